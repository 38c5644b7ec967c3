// CLI behaviour that needs no compiler: help, version, usage and I/O errors.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanupProjects, expectNoStack, makeProject, repoRoot, tsion } from "./helpers.ts";

const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version;

afterAll(cleanupProjects);

describe("tsion --help and --version", () => {
  it("--version and -v print the package version", async () => {
    for (const flag of ["--version", "-v"]) {
      const r = await tsion([flag]);
      expect(r).toMatchObject({ exitCode: 0, stdout: `${version}\n`, stderr: "" });
    }
  });

  it("--help lists every command and the exit statuses", async () => {
    const r = await tsion(["--help"]);
    expect(r.exitCode).toBe(0);
    for (const cmd of ["init", "compile", "build", "check", "test", "sim", "pack", "net", "vm"]) expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, "m"));
    expect(r.stdout).toContain("Exit status: 0 success, 1 diagnostics or failed checks, 2 usage or I/O error.");
  });

  it("subcommand help shows its options", async () => {
    const r = await tsion(["build", "--help"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("--out-dir <dir>");
    expect(r.stdout).toContain("--watch");
    const c = await tsion(["help", "compile"]);
    expect(c.exitCode).toBe(0);
    expect(c.stdout).toContain("-o, --output <file>");
  });
});

const simPresent = fs.existsSync(path.join(repoRoot, "compiler", "src", "cli", "sim.ts"));

describe.skipIf(!simPresent)("tsion sim is registered from sim.ts", () => {
  it("appears in --help and reports a missing script as an I/O error", async () => {
    const help = await tsion(["--help"]);
    expect(help.stdout).toMatch(/^  sim\b/m);
    const r = await tsion(["sim", "no-such-script.ion"], { cwd: makeProject() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^tsion: error: .*no-such-script\.ion/m);
    expectNoStack(r.stderr);
  });
});

describe("usage errors exit with 2 and one clear line", () => {
  const cases: [string, string[], RegExp][] = [
    ["no command", [], /Usage: tsion/],
    ["unknown command", ["frobnicate"], /^tsion: error: unknown command 'frobnicate'/m],
    ["unknown option", ["build", "--bogus"], /^tsion: error: unknown option '--bogus'/m],
    ["missing argument", ["compile"], /^tsion: error: missing required argument 'file'/m],
    ["option without its value", ["compile", "x.ts", "-o"], /^tsion: error: option '-o, --output <file>' argument missing/m],
    ["too many arguments", ["compile", "a.ts", "b.ts"], /^tsion: error: too many arguments/m],
  ];
  for (const [name, args, pattern] of cases) {
    it(name, async () => {
      const r = await tsion(args);
      expect(r.exitCode).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(pattern);
      expectNoStack(r.stderr);
    });
  }
});

describe("I/O errors exit with 2", () => {
  it("compile of a missing file", async () => {
    const r = await tsion(["compile", "does-not-exist.ts"], { cwd: makeProject() });
    expect(r).toMatchObject({ exitCode: 2, stdout: "", stderr: "tsion: error: cannot read does-not-exist.ts: no such file or directory\n" });
  });

  it("compile of a directory", async () => {
    const dir = makeProject();
    fs.mkdirSync(path.join(dir, "d.ts"));
    const r = await tsion(["compile", "d.ts"], { cwd: dir });
    expect(r).toMatchObject({ exitCode: 2, stderr: "tsion: error: cannot read d.ts: not a regular file\n" });
  });

  it("check of a missing file", async () => {
    const r = await tsion(["check", "nope.ts"], { cwd: makeProject() });
    expect(r).toMatchObject({ exitCode: 2, stderr: "tsion: error: cannot read nope.ts: no such file or directory\n" });
  });

  it("build without guest-scripts/", async () => {
    const dir = makeProject();
    const r = await tsion(["build"], { cwd: dir });
    expect(r).toMatchObject({ exitCode: 2, stderr: "tsion: error: cannot read guest-scripts: no such file or directory\n" });
    expect(fs.existsSync(path.join(dir, "dist"))).toBe(false);
  });

  it("build with an empty guest-scripts/", async () => {
    const dir = makeProject();
    fs.mkdirSync(path.join(dir, "guest-scripts", "lib"), { recursive: true });
    const r = await tsion(["build"], { cwd: dir });
    expect(r).toMatchObject({ exitCode: 2, stderr: "tsion: error: no entry points (*.ts) in guest-scripts\n" });
  });
});
