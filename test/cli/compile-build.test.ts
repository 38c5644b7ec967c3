// The CLI driving the real compiler core on the fixture projects.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanupProjects, compilerPresent, compilerSkipReason, expectNoStack, listTree, makeProject, modeOf, tsion } from "./helpers.ts";

afterAll(cleanupProjects);

if (!compilerPresent) {
  // Visible in the run's output, so a skip is never silent.
  console.warn(`test/cli/compile-build.test.ts skipped: ${compilerSkipReason}`);
}

const SUMMARY_LINE = /^(\S+\.ion) +(\d+) lines +([\d.]+ (?:B|KiB)) +\((guest-scripts\/[^)]+\.ts)\)$/;

describe.skipIf(!compilerPresent)("tsion compile", () => {
  it("prints Ion on stdout and nothing on stderr", async () => {
    const dir = makeProject("project");
    const r = await tsion(["compile", "guest-scripts/hello.ts"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("hello from tsion");
    expect(listTree(dir)).not.toContain("dist");
  });

  it("-o writes the same Ion atomically with mode 0755", async () => {
    const dir = makeProject("project");
    const toStdout = await tsion(["compile", "guest-scripts/greet-main.ts"], { cwd: dir });
    const r = await tsion(["compile", "guest-scripts/greet-main.ts", "-o", "out/greet.ion"], { cwd: dir });
    expect(r).toMatchObject({ exitCode: 0, stdout: "", stderr: "" });
    const out = path.join(dir, "out", "greet.ion");
    expect(fs.readFileSync(out, "utf8")).toBe(toStdout.stdout);
    expect(modeOf(out)).toBe(0o755);
    expect(listTree(path.join(dir, "out"))).toEqual(["greet.ion"]);
  });

  it("a type error exits 1 with a tsc-style diagnostic, code frame and summary", async () => {
    const dir = makeProject("broken");
    const r = await tsion(["compile", "guest-scripts/bad.ts"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^guest-scripts\/bad\.ts\(2,7\): error TS2322: /m);
    expect(r.stderr).toMatch(/^guest-scripts\/bad\.ts\(3,7\): error TS2322: /m);
    expect(r.stderr).toContain('2 const x: number = "not a number";\n        ~');
    expect(r.stderr).toMatch(/Found 2 errors in the same file, starting at: guest-scripts\/bad\.ts:2\n$/);
    expect(r.stderr).not.toMatch(/\x1b\[/);
    expectNoStack(r.stderr);
  });

  it("a failing compile leaves an existing output untouched and no temp files", async () => {
    const dir = makeProject("broken");
    const out = path.join(dir, "bad.ion");
    fs.writeFileSync(out, "# previous good build\n", { mode: 0o755 });
    const before = listTree(dir);
    const r = await tsion(["compile", "guest-scripts/bad.ts", "-o", "bad.ion"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(fs.readFileSync(out, "utf8")).toBe("# previous good build\n");
    expect(listTree(dir)).toEqual(before);
  });

  it("an unwritable output exits 2 and leaves no temp files", async () => {
    const dir = makeProject("project");
    fs.mkdirSync(path.join(dir, "taken.ion"));
    const r = await tsion(["compile", "guest-scripts/hello.ts", "-o", "taken.ion"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^tsion: error: cannot write .*taken\.ion: /);
    expectNoStack(r.stderr);
    expect(listTree(dir).filter((n) => n.includes("tsion-tmp"))).toEqual([]);
  });

  it("FORCE_COLOR colours diagnostics, NO_COLOR wins over it", async () => {
    const dir = makeProject("broken");
    const coloured = await tsion(["compile", "guest-scripts/bad.ts"], { cwd: dir, env: { NO_COLOR: "", FORCE_COLOR: "1" } });
    expect(coloured.stderr).toMatch(/\x1b\[/);
    const plain = await tsion(["compile", "guest-scripts/bad.ts"], { cwd: dir, env: { NO_COLOR: "1", FORCE_COLOR: "1" } });
    expect(plain.stderr).not.toMatch(/\x1b\[/);
    expect(coloured.stderr.replace(/\x1b\[[0-9;]*m/g, "")).toBe(plain.stderr);
  });
});

describe.skipIf(!compilerPresent)("tsion build", () => {
  it("compiles every top-level entry, not lib/, with mode 0755, and copies init/ verbatim", async () => {
    const dir = makeProject("project");
    const r = await tsion(["build"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    const out = path.join(dir, "dist", "ion");
    expect(listTree(out)).toEqual(["commands.json", "greet-main.ion", "hello.ion", "init", "init/10_netcfg.service", "init/sub", "init/sub/nested.txt"]);
    for (const name of ["greet-main.ion", "hello.ion"]) expect(modeOf(path.join(out, name))).toBe(0o755);
    for (const rel of ["10_netcfg.service", "sub/nested.txt"]) {
      expect(fs.readFileSync(path.join(out, "init", rel))).toEqual(fs.readFileSync(path.join(dir, "guest-scripts", "init", rel)));
    }
    // The build output equals what `compile` prints for the same entry.
    const single = await tsion(["compile", "guest-scripts/hello.ts"], { cwd: dir });
    expect(fs.readFileSync(path.join(out, "hello.ion"), "utf8")).toBe(single.stdout);
  });

  it("prints one summary line per script with real line counts and sizes", async () => {
    const dir = makeProject("project");
    const r = await tsion(["build"], { cwd: dir });
    const lines = r.stdout.trimEnd().split("\n");
    const rows = lines.filter((l) => SUMMARY_LINE.test(l)).map((l) => SUMMARY_LINE.exec(l)!);
    expect(rows.map((m) => m[1])).toEqual(["greet-main.ion", "hello.ion"]);
    for (const m of rows) {
      const text = fs.readFileSync(path.join(dir, "dist", "ion", m[1]!), "utf8");
      expect(Number(m[2])).toBe(text.split("\n").length - (text.endsWith("\n") ? 1 : 0));
      expect(m[4]).toBe(`guest-scripts/${m[1]!.replace(/\.ion$/, ".ts")}`);
    }
    expect(lines.at(-1)).toBe("2 of 2 scripts written to dist/ion/, 2 init files copied to dist/ion/init/");
  });

  it("--out-dir writes elsewhere", async () => {
    const dir = makeProject("project");
    const r = await tsion(["build", "--out-dir", "custom/place"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(listTree(path.join(dir, "custom", "place"))).toContain("hello.ion");
    expect(fs.existsSync(path.join(dir, "dist"))).toBe(false);
  });

  it("a failing entry is not written (older output kept); clean entries are written; exit 1", async () => {
    const dir = makeProject("broken");
    const out = path.join(dir, "dist", "ion");
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "bad.ion"), "# older bad.ion\n", { mode: 0o755 });
    const r = await tsion(["build"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^guest-scripts\/bad\.ts\(2,7\): error TS2322: /m);
    expect(r.stdout).toMatch(/^bad\.ion +not written: 2 errors +\(guest-scripts\/bad\.ts\)$/m);
    expect(r.stdout).toMatch(/^1 of 2 scripts written to dist\/ion\/$/m);
    expect(fs.readFileSync(path.join(out, "bad.ion"), "utf8")).toBe("# older bad.ion\n");
    expect(fs.readFileSync(path.join(out, "ok.ion"), "utf8")).toContain("still fine");
    expect(listTree(out)).toEqual(["bad.ion", "commands.json", "ok.ion"]);
  });
});

describe.skipIf(!compilerPresent)("tsion build: outputs of deleted entry points", () => {
  it("warns about a script whose entry is gone, keeps it, and --clean removes exactly it (file and commands.json entry)", async () => {
    const dir = makeProject("project");
    expect((await tsion(["build"], { cwd: dir })).exitCode).toBe(0);
    const out = path.join(dir, "dist", "ion");
    // Files build never wrote stay whatever happens.
    fs.writeFileSync(path.join(out, "mine.ion"), "# written by hand\n");
    fs.writeFileSync(path.join(out, "notes.txt"), "mine\n");
    fs.rmSync(path.join(dir, "guest-scripts", "hello.ts"));
    const scripts = () => Object.keys((JSON.parse(fs.readFileSync(path.join(out, "commands.json"), "utf8")) as { scripts: object }).scripts);

    const warned = await tsion(["build"], { cwd: dir });
    expect(warned.exitCode).toBe(0);
    expect(warned.stderr).toBe("tsion: warning: dist/ion/hello.ion is stale: guest-scripts/hello.ts no longer exists (tsion build --clean removes it)\n");
    expect(listTree(out)).toContain("hello.ion");
    expect(scripts()).toEqual(["greet-main.ion", "hello.ion"]);

    const cleaned = await tsion(["build", "--clean"], { cwd: dir });
    expect(cleaned.exitCode).toBe(0);
    expect(cleaned.stderr).toBe("");
    expect(cleaned.stdout).toContain("removed dist/ion/hello.ion: guest-scripts/hello.ts no longer exists\n");
    expect(listTree(out)).toEqual(["commands.json", "greet-main.ion", "init", "init/10_netcfg.service", "init/sub", "init/sub/nested.txt", "mine.ion", "notes.txt"]);
    expect(scripts()).toEqual(["greet-main.ion"]);

    const again = await tsion(["build", "--clean"], { cwd: dir });
    expect(again).toMatchObject({ exitCode: 0, stderr: "" });
    expect(again.stdout).not.toContain("removed");
  });

  it("an init file whose source is gone: warned about, kept, and removed by --clean with its emptied folder; an unrecorded one is never touched", async () => {
    const dir = makeProject("project");
    expect((await tsion(["build"], { cwd: dir })).exitCode).toBe(0);
    const out = path.join(dir, "dist", "ion");
    const recorded = () => (JSON.parse(fs.readFileSync(path.join(out, "commands.json"), "utf8")) as { init: string[] }).init;
    expect(recorded()).toEqual(["10_netcfg.service", "sub/nested.txt"]);
    fs.writeFileSync(path.join(out, "init", "by-hand.service"), "mine\n");
    fs.rmSync(path.join(dir, "guest-scripts", "init", "sub"), { recursive: true });

    const warned = await tsion(["build"], { cwd: dir });
    expect(warned.exitCode).toBe(0);
    expect(warned.stderr).toBe("tsion: warning: dist/ion/init/sub/nested.txt is stale: guest-scripts/init/sub/nested.txt no longer exists (tsion build --clean removes it)\n");
    expect(listTree(out)).toContain("init/sub/nested.txt");

    const cleaned = await tsion(["build", "--clean"], { cwd: dir });
    expect(cleaned).toMatchObject({ exitCode: 0, stderr: "" });
    expect(cleaned.stdout).toContain("removed dist/ion/init/sub/nested.txt: guest-scripts/init/sub/nested.txt no longer exists\n");
    expect(listTree(path.join(out, "init"))).toEqual(["10_netcfg.service", "by-hand.service"]);
    expect(recorded()).toEqual(["10_netcfg.service"]);
  });
});

describe.skipIf(!compilerPresent)("tsion check", () => {
  it("reports an error in a lib module once, even when two entries import it", async () => {
    const dir = makeProject("shared-error");
    const r = await tsion(["check"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr.match(/^guest-scripts\/lib\/broken\.ts\(2,14\): error TS2322: /gm)).toHaveLength(1);
    expect(r.stderr).toMatch(/Found 1 error in guest-scripts\/lib\/broken\.ts:2\n$/);
  });

  it("reports nothing and writes nothing for clean entries", async () => {
    const dir = makeProject("project");
    const before = listTree(dir);
    const r = await tsion(["check"], { cwd: dir });
    expect(r).toMatchObject({ exitCode: 0, stdout: "2 files checked, no errors.\n", stderr: "" });
    expect(listTree(dir)).toEqual(before);
  });

  it("exits 1 with the diagnostics of the files given", async () => {
    const dir = makeProject("broken");
    const r = await tsion(["check", "guest-scripts/bad.ts", "guest-scripts/ok.ts"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^guest-scripts\/bad\.ts\(3,7\): error TS2322: /m);
    const ok = await tsion(["check", "guest-scripts/ok.ts"], { cwd: dir });
    expect(ok).toMatchObject({ exitCode: 0, stdout: "1 file checked, no errors.\n" });
  });
});
