// One rule for files tsion cannot read or write, in every command:
// `tsion: error: cannot <read|write|...> <path>: <reason>`, exit 2, nothing
// written. An unreadable entry, an unreadable imported module and a missing
// entry are the same kind of problem; a module an import names that does not
// exist is a mistake in the source (TS2307, exit 1).
import * as fs from "node:fs";
import * as path from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { bin, cleanupProjects, expectNoStack, listTree, makeProject, repoRoot, tsion, type CliResult } from "./helpers.ts";
import { findExecutable } from "../../host/executables.ts";
import { requirement } from "../support/requirements.ts";

afterAll(cleanupProjects);

const isRoot = process.getuid?.() === 0;
const setpriv = isRoot ? findExecutable("setpriv") : null;
// Root reads every file whatever its mode: the unreadable cases run as nobody (uid 65534).
const need = requirement("test/cli/io-errors (unreadable files)", isRoot && setpriv === null ? "setpriv (util-linux), to drop root" : "");

/** The CLI as a user for whom mode 000 means unreadable. */
async function tsionUnprivileged(args: string[], cwd: string): Promise<CliResult> {
  if (!isRoot) return tsion(args, { cwd });
  fs.chmodSync(cwd, 0o755); // mkdtemp makes it 0700; its parent, the temp directory, is open to all already
  const r = await execa(setpriv!, ["--reuid=65534", "--regid=65534", "--clear-groups", "node", bin, ...args], {
    cwd,
    reject: false,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1" },
    extendEnv: false,
  });
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function guestProject(files: Record<string, string>): string {
  const dir = makeProject();
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const MAIN = 'import { greeting } from "./lib/greet.ts";\nconsole.log(greeting());\n';
const LIB = 'export function greeting(): string {\n  return "hi";\n}\n';

describe.skipIf(need.skip)("unreadable files", () => {
  it("an unreadable entry: exit 2, one line, nothing written (compile, check, build)", async () => {
    need.assert();
    const dir = guestProject({ "guest-scripts/main.ts": MAIN, "guest-scripts/lib/greet.ts": LIB });
    fs.chmodSync(path.join(dir, "guest-scripts/main.ts"), 0o000);
    for (const args of [["compile", "guest-scripts/main.ts"], ["check", "guest-scripts/main.ts"], ["build"]]) {
      const r = await tsionUnprivileged(args, dir);
      expect(r, args.join(" ")).toMatchObject({ exitCode: 2, stdout: "", stderr: "tsion: error: cannot read guest-scripts/main.ts: permission denied" });
    }
    expect(listTree(dir)).not.toContain("dist");
  });

  it("an unreadable imported module: the same line and status as an unreadable entry", async () => {
    need.assert();
    const dir = guestProject({ "guest-scripts/main.ts": MAIN, "guest-scripts/lib/greet.ts": LIB });
    fs.chmodSync(path.join(dir, "guest-scripts/lib/greet.ts"), 0o000);
    for (const args of [["compile", "guest-scripts/main.ts"], ["check"], ["build"]]) {
      const r = await tsionUnprivileged(args, dir);
      expect(r, args.join(" ")).toMatchObject({ exitCode: 2, stdout: "", stderr: "tsion: error: cannot read guest-scripts/lib/greet.ts: permission denied" });
      expectNoStack(r.stderr);
    }
    expect(listTree(dir)).not.toContain("dist");
  });
});

describe("missing files", () => {
  it("a missing entry: exit 2, the same line", async () => {
    const dir = guestProject({ "guest-scripts/lib/greet.ts": LIB });
    expect(await tsion(["compile", "guest-scripts/main.ts"], { cwd: dir })).toMatchObject({
      exitCode: 2,
      stderr: "tsion: error: cannot read guest-scripts/main.ts: no such file or directory\n",
    });
  });

  it("an import of a module that does not exist is the source's mistake: TS2307, exit 1", async () => {
    const dir = guestProject({ "guest-scripts/main.ts": MAIN });
    const r = await tsion(["check"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^guest-scripts\/main\.ts\(1,26\): error TS2307: Cannot find module '\.\/lib\/greet\.ts'/m);
  });

  it("every command words a missing input file the same way, exit 2", async () => {
    const dir = makeProject();
    const cases: [string[], string][] = [
      [["compile", "nope.ts"], "cannot read nope.ts: no such file or directory"],
      [["check", "nope.ts"], "cannot read nope.ts: no such file or directory"],
      [["build"], "cannot read guest-scripts: no such file or directory"],
      [["sim", "nope.ion"], "cannot read nope.ion: no such file or directory"],
      [["test", "nope.toml"], "cannot read nope.toml: no such file or directory"],
      [["pack", "--format", "json", "--config", "nope.json"], "cannot read nope.json: no such file or directory"],
      [["net", "show", "--config", "nope.toml"], "cannot read nope.toml: no such file or directory"],
      [["vm", "timeline", "nope.log"], "cannot read nope.log: no such file or directory"],
    ];
    for (const [args, message] of cases) {
      const r = await tsion(args, { cwd: dir });
      expect(r, args.join(" ")).toMatchObject({ exitCode: 2, stdout: "", stderr: `tsion: error: ${message}\n` });
    }
    fs.writeFileSync(path.join(dir, "file"), "");
    expect(await tsion(["init", "file"], { cwd: dir })).toMatchObject({ exitCode: 2, stderr: "tsion: error: cannot create file: not a directory\n" });
  });
});

it("repo root is readable for the unprivileged runs", () => {
  // The unprivileged CLI loads tsion from this checkout.
  expect(fs.statSync(repoRoot).mode & 0o005).toBe(0o005);
});
