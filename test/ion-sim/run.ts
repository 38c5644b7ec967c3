/** Runs an Ion script through ion-sim on the real host, in a fresh temp directory. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { RealHost } from "../../runtime-shims/host/real-host.ts";
import { runIon } from "../../runtime-shims/ion-sim/index.ts";

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number;
  dir: string;
}

type RunIon = typeof runIon;

/**
 * Run an Ion script in ion-sim on the real host with `dir` as the working
 * directory, capturing its stdout and stderr (stdin empty). Shared by the
 * conformance harness, the differential suite and the unit tests.
 */
export function runIonInDir(
  src: string,
  dir: string,
  opts: { fileName: string; env: Record<string, string>; args?: string[]; run?: RunIon },
): { stdout: string; stderr: string; status: number } {
  let stdout = "";
  let stderr = "";
  const host = new RealHost(
    (s) => (stdout += s),
    (s) => (stderr += s),
    dir,
  );
  const { status } = (opts.run ?? runIon)(src, { fileName: opts.fileName, args: opts.args, env: opts.env, host, stdin: "" });
  return { stdout, stderr, status };
}

type ScriptOptions = { files?: Record<string, string>; env?: Record<string, string> };

/** Run `f` in a fresh temporary directory holding `files`; the directory is removed afterwards. */
function inTempDir<T>(files: Record<string, string>, f: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ion-sim-unit-"));
  try {
    for (const [rel, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content);
    }
    return f(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const scriptEnv = (opts: ScriptOptions) => ({ PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8", ...(opts.env ?? {}) });

/** Run a script as `t.ion` in ion-sim, in a temporary directory (`dir`: where it ran; removed afterwards). */
export function runScript(src: string, opts: ScriptOptions = {}): RunResult {
  return inTempDir(opts.files ?? {}, (dir) => {
    fs.writeFileSync(path.join(dir, "t.ion"), src);
    return { ...runIonInDir(src, dir, { fileName: "t.ion", env: scriptEnv(opts) }), dir };
  });
}

/**
 * The same run on a real ion binary (`ION_BIN`), or null when there is none. The script is
 * `t.ion` in the working directory, stdin is empty, stdout and stderr are pipes; a run that
 * does not end within 10 s is killed.
 */
export function runRealIon(src: string, opts: ScriptOptions = {}): { stdout: string; stderr: string; status: number } | null {
  const bin = process.env.ION_BIN;
  if (!bin) return null;
  return inTempDir(opts.files ?? {}, (dir) => {
    fs.writeFileSync(path.join(dir, "t.ion"), src);
    const r = spawnSync(bin, ["t.ion"], { cwd: dir, env: scriptEnv(opts), input: "", encoding: "utf8", timeout: 10_000, killSignal: "SIGKILL" });
    const status = r.status ?? 128 + (r.signal ? (os.constants.signals[r.signal] ?? 0) : 0);
    return { stdout: r.stdout, stderr: r.stderr, status };
  });
}
