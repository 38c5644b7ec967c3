/**
 * Runs compiled Ion the two ways the differential suites compare against Node:
 * in ion-sim (in-process, RealHost with captured output) and on a real ion
 * binary. Both get a fresh empty temp dir as cwd, the minimal env and empty stdin.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";
import { runIonInDir } from "../ion-sim/run.ts";
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

export function runOnRealIon(ionBin: string, ion: string, fileName: string, args: string[] = []): Promise<IonRun> {
  return withTempDir("tsion-diff-ion-", async (dir) => {
    fs.writeFileSync(path.join(dir, fileName), ion);
    const r = await execa(ionBin, [fileName, ...args], {
      cwd: dir,
      env: minimalEnv(),
      extendEnv: false,
      stdin: "ignore",
      reject: false,
      stripFinalNewline: false,
      timeout: 60_000,
    });
    const status = r.exitCode ?? 128 + (r.signal ? (os.constants.signals[r.signal] ?? 0) : 0);
    return { stdout: r.stdout, stderr: r.stderr, status };
  });
}
