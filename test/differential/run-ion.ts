/**
 * Runs compiled Ion the two ways the differential suites compare against Node:
 * in ion-sim (in-process, RealHost with captured output) and on a real ion
 * binary. Both get a fresh empty temp dir as cwd, the minimal env and empty stdin.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { runIonInDir } from "../ion-sim/run.ts";
import { stdioFifo } from "../../runtime-shims/realion/fifo.ts";
import { minimalEnv } from "../corpus/corpus.ts";
import type { IonSim } from "../corpus/toolchain.ts";

export interface IonRun {
  stdout: string;
  stderr: string;
  status: number;
}

function withTempDir<T>(prefix: string, fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  let result: T;
  try {
    result = fn(dir);
  } catch (e) {
    cleanup();
    throw e;
  }
  if (result instanceof Promise) return result.finally(cleanup) as T;
  cleanup();
  return result;
}

export function runInIonSim(sim: IonSim, ion: string, fileName: string, args: string[] = []): IonRun {
  return withTempDir("tsion-diff-sim-", (dir) => runIonInDir(ion, dir, { fileName, args, env: minimalEnv(), run: sim.runIon }));
}

/**
 * Runs `ion SCRIPT ARGS` with a fresh empty cwd (the script lives in another
 * temp dir, so listing the cwd sees what Node's run saw), the minimal env and
 * stdin from /dev/null. stdout and stderr are FIFOs: Node's pipes are socket
 * pairs, and a script that writes `> /dev/stderr` cannot open a socket (ENXIO).
 */
export async function runOnRealIon(ionBin: string, ion: string, fileName: string, args: string[] = []): Promise<IonRun> {
  const scriptDir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-diff-ion-script-"));
  try {
    return await withTempDir("tsion-diff-ion-", async (dir) => {
      const script = path.join(scriptDir, fileName);
      fs.writeFileSync(script, ion);
      const out = stdioFifo(scriptDir, "stdout");
      const err = stdioFifo(scriptDir, "stderr");
      let child: ReturnType<typeof spawn>;
      try {
        child = spawn(ionBin, [script, ...args], { cwd: dir, env: minimalEnv(), stdio: ["ignore", out.w, err.w] });
      } finally {
        fs.closeSync(out.w);
        fs.closeSync(err.w);
      }
      let stdout = "";
      let stderr = "";
      const drained = Promise.all([out.read((s) => (stdout += s)), err.read((s) => (stderr += s))]);
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      const status = await new Promise<number>((resolve, reject) => {
        child.once("error", reject);
        child.once("close", (code, signal) => resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0)));
      }).finally(() => clearTimeout(timer));
      await drained;
      return { stdout, stderr, status };
    });
  } finally {
    fs.rmSync(scriptDir, { recursive: true, force: true });
  }
}
