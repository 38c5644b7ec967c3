/**
 * Scenarios (docs/scenarios.md) on a REAL ion binary: the guest compiled
 * exactly as the ion-sim backend compiles it, run by the real shell in the
 * sandbox (sandbox.ts) against a fresh MockRedox built from the scenario.
 * Returns the same Observation as runScenario, so compareBackends and
 * checkExpectations work unchanged.
 */
import type { ObservedBackend, Observation } from "../mock/scenario-runner.ts";
import { compileGuest, observe } from "../mock/scenario-runner.ts";
import { MockRedox } from "../mock/mock-redox.ts";
import { loadScenario, type Scenario } from "../mock/scenario.ts";
import { RealSandbox } from "./sandbox.ts";

/** Label of real-ion observations (compareBackends prints it). */
export const REAL_ION: ObservedBackend = "real-ion";

export interface RealRunOptions {
  /** Run this script text instead of the compiled guest (machinery tests with bash). */
  script?: string;
  /** Per-run timeout (default 25 s). */
  timeoutMs?: number;
}

/** Build the mock from the scenario, run the guest `times` times with `shell`, observe. */
export async function runScenarioOnRealIon(file: string | Scenario, ionBin: string, opts: RealRunOptions = {}): Promise<Observation> {
  const sc = typeof file === "string" ? loadScenario(file) : file;
  const script = opts.script ?? (await compileGuest(sc.run.script));
  const mock = new MockRedox({ ...sc.mock });
  const started = performance.now();
  try {
    const statuses: number[] = [];
    let stdout = "";
    let stderr = "";
    await RealSandbox.with(mock, ionBin, async (sb) => {
      const scriptPath = sb.addFile(".tsion-guest.ion", script);
      for (let i = 0; i < sc.run.times; i++) {
        const r = await sb.run([scriptPath, ...sc.run.args], {
          env: sc.run.env,
          uid: sc.run.uid,
          cwd: sc.run.cwd,
          timeoutMs: opts.timeoutMs,
        });
        statuses.push(r.status);
        stdout += r.stdout;
        stderr += r.stderr;
      }
    });
    return observe(sc, REAL_ION, mock, statuses, performance.now() - started, { stdout, stderr });
  } finally {
    mock.dispose();
  }
}


