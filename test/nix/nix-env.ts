/**
 * Running the real nix (Debian's nix-bin) in tests without touching the
 * machine: every call gets a private store, state, log and config directory
 * under one temporary directory (removed by cleanup()), with the sandbox off
 * (a builder such as /bin/sh must be reachable) and no substituters.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";

export async function whyNoNix(): Promise<string> {
  for (const tool of ["nix-instantiate", "nix-build"]) {
    const r = await execa(tool, ["--version"], { reject: false });
    if (r.exitCode !== 0) return `${tool} is not installed (Debian package nix-bin)`;
  }
  return "";
}

export interface NixEnv {
  dir: string;
  env: Record<string, string>;
  cleanup(): void;
}

export function makeNixEnv(): NixEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-nix-"));
  fs.mkdirSync(path.join(dir, "etc"));
  fs.writeFileSync(
    path.join(dir, "etc", "nix.conf"),
    ["build-users-group =", "sandbox = false", "substituters =", "experimental-features =", ""].join("\n"),
  );
  const env = {
    NIX_STORE_DIR: path.join(dir, "store"),
    NIX_STATE_DIR: path.join(dir, "var"),
    NIX_LOG_DIR: path.join(dir, "log"),
    NIX_CONF_DIR: path.join(dir, "etc"),
    NIX_PATH: "",
    HOME: path.join(dir, "home"),
    XDG_CACHE_HOME: path.join(dir, "cache"),
  };
  return {
    dir,
    env,
    cleanup() {
      // Store paths are read-only.
      if (fs.existsSync(dir)) {
        for (const p of fs.readdirSync(dir, { recursive: true }) as string[]) {
          try {
            fs.chmodSync(path.join(dir, p), 0o755);
          } catch {
            // symlinks to nowhere
          }
        }
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface NixResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function nixInstantiate(nix: NixEnv, args: string[]): Promise<NixResult> {
  const r = await execa("nix-instantiate", args, { env: nix.env, extendEnv: true, reject: false, stripFinalNewline: false });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/**
 * `nix-instantiate --eval --strict --json -E expr`, parsed; throws with nix's
 * stderr on failure. `readWrite`: let the evaluation add paths to the (private)
 * store, e.g. to read the result of builtins.path.
 */
export async function nixEval(nix: NixEnv, expr: string, opts: { readWrite?: boolean } = {}): Promise<unknown> {
  const r = await nixInstantiate(nix, [...(opts.readWrite ? ["--read-write-mode"] : []), "--eval", "--strict", "--json", "-E", expr]);
  if (r.exitCode !== 0) throw new Error(`nix evaluation failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

/** The error message of an evaluation that must fail (throws if it succeeds). */
export async function nixEvalError(nix: NixEnv, expr: string): Promise<string> {
  const r = await nixInstantiate(nix, ["--eval", "--strict", "--json", "-E", expr]);
  if (r.exitCode === 0) throw new Error(`nix evaluation succeeded but should have failed: ${r.stdout}`);
  return r.stderr;
}
