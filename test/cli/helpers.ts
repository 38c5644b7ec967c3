/** Spawning the real CLI (bin/tsion.mjs) on copies of the fixture projects. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { execa, type ResultPromise } from "execa";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const bin = path.join(repoRoot, "bin", "tsion.mjs");
/**
 * Tests that drive the compiler skip (visibly) while compile.ts does not exist,
 * except under CI=true, where a missing compiler must fail them.
 */
export const compilerPresent = fs.existsSync(path.join(repoRoot, "compiler", "src", "compile.ts")) || process.env.CI === "true";
export const compilerSkipReason = "compiler/src/compile.ts does not exist yet (compiler core not written)";

const made: string[] = [];

/** A fresh temporary copy of test/cli/fixtures/<name> (or an empty dir). */
export function makeProject(name?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-cli-"));
  made.push(dir);
  if (name !== undefined) fs.cpSync(path.join(repoRoot, "test", "cli", "fixtures", name), dir, { recursive: true });
  return dir;
}

export function cleanupProjects(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a CLI run: this process's, minus colour forcing (vitest
 * may set FORCE_COLOR; next to NO_COLOR, Node then warns on stderr) and
 * ION_BIN (`tsion test` would add real ion); a test sets them when it means to.
 */
function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== "FORCE_COLOR" && k !== "ION_BIN") env[k] = v;
  return { ...env, NO_COLOR: "1", ...extra };
}

export async function tsion(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const r = await execa("node", [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: cliEnv(options.env),
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

export function spawnTsion(args: string[], cwd: string): ResultPromise<{ cwd: string; reject: false; env: Record<string, string> }> {
  return execa("node", [bin, ...args], { cwd, reject: false, env: cliEnv(), extendEnv: false });
}

/** All names in a directory tree, relative, sorted (to prove no stray temp files). */
export function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map(String).sort();
}

export function modeOf(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

/** No stack frames: user input must never produce a trace. */
export function expectNoStack(stderr: string): void {
  if (/^\s+at .+:\d+:\d+\)?$/m.test(stderr)) throw new Error(`stack trace in stderr:\n${stderr}`);
}
