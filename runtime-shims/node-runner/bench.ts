/**
 * benchScenarios(): run every scenario and report, per scenario and backend,
 * the wall-clock time and the simulated time the guest took. Used by the
 * bench script (bench/); the ion backend is included when it is available.
 */
import * as path from "node:path";
import {
  BackendUnavailable,
  checkExpectations,
  loadIonBackend,
  runScenario,
  scenarioFiles,
  type Backend,
} from "../mock/scenario-runner.ts";
import { loadScenario } from "../mock/scenario.ts";

export interface ScenarioBenchResult {
  scenario: string;
  backend: Backend;
  /** wall-clock milliseconds for the run(s), excluding compilation */
  wallMs: number;
  /** simulated seconds when the guest ended */
  simSeconds: number;
  /** external commands the guest ran (each a process spawn on Redox), from the mock's command log */
  processes?: number;
  status: number | null;
  /** expectations met */
  ok: boolean;
  error?: string;
  /** guest script and arguments (for the timing targets) */
  script?: string;
  args?: string[];
  /** simulated time netstack's netcfg became usable, or null (no NIC) */
  netcfgUpAt?: number | null;
  /** simulated time of the first address + default route, or null */
  usableAt?: number | null;
  /** simulated time the background dhcpd applied a lease, or null */
  leaseAt?: number | null;
}

export interface BenchOptions {
  /** default: node, plus ion when the compiler and ion-sim load */
  backends?: Backend[];
  /** default: every test/scenarios/*.toml */
  files?: string[];
}

export async function benchScenarios(opts: BenchOptions = {}): Promise<ScenarioBenchResult[]> {
  let backends = opts.backends;
  if (!backends) {
    backends = ["node"];
    try {
      await loadIonBackend();
      backends.push("ion");
    } catch (e) {
      if (!(e instanceof BackendUnavailable)) throw e;
    }
  }
  const results: ScenarioBenchResult[] = [];
  for (const file of opts.files ?? scenarioFiles()) {
    const sc = loadScenario(file);
    for (const backend of backends) {
      if (!sc.run.backends.includes(backend)) continue;
      const name = path.basename(file, ".toml");
      try {
        const obs = await runScenario(sc, backend);
        results.push({
          scenario: name,
          backend,
          wallMs: obs.wallMs,
          simSeconds: obs.simTime,
          processes: obs.commandLog.length,
          status: obs.status,
          ok: checkExpectations(obs, sc.expect).length === 0,
          script: path.basename(sc.run.script, ".ts"),
          args: sc.run.args,
          netcfgUpAt: obs.timeline.find((e) => e.event === "netcfg-up")?.time ?? null,
          usableAt: obs.firstUsableAt,
          leaseAt: obs.timeline.find((e) => e.event === "dhcp-lease")?.time ?? null,
        });
      } catch (e) {
        results.push({ scenario: name, backend, wallMs: NaN, simSeconds: NaN, status: null, ok: false, error: (e as Error).message.split("\n")[0] });
      }
    }
  }
  return results;
}
