/** Runs an Ion script through ion-sim on the real host, in a fresh temp directory. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
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

export function runScript(src: string, opts: { files?: Record<string, string>; env?: Record<string, string> } = {}): RunResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ion-sim-unit-"));
  for (const [rel, content] of Object.entries(opts.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8", ...(opts.env ?? {}) };
  return { ...runIonInDir(src, dir, { fileName: "t.ion", env }), dir };
}
