/**
 * `tsion sim [--root DIR] [--scenario FILE] [--clock real|virtual] SCRIPT.ion [ARGS...]`
 *
 * Runs a compiled Ion script in ion-sim. Without --root/--scenario it behaves
 * like `ion SCRIPT` in the current directory on the real machine (RealHost,
 * host PATH). With either, the script runs against the mocked Redox
 * (runtime-shims/mock): absolute paths resolve inside the mock root, the
 * Redox command shims replace host commands, and /scheme/netcfg is modelled.
 * A guest `.ts` entry is run on the Node backend instead. The exit status is
 * the script's.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import type { Command } from "commander";
import type { Host } from "../../../runtime-shims/host/types.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface SimOptions {
  root?: string;
  scenario?: string;
  clock?: string;
}

export class SimUsageError extends Error {
  readonly exitCode = 2;
}

export interface SimIO {
  out(s: string): void;
  err(s: string): void;
}

const PROCESS_IO: SimIO = {
  out: (s) => void fs.writeSync(1, s),
  err: (s) => void fs.writeSync(2, s),
};

async function makeHost(opts: SimOptions, io: SimIO): Promise<{ host: Host; env: Record<string, string>; dispose(): void }> {
  const { out, err } = io;
  if (!opts.root && !opts.scenario) {
    const { RealHost } = await import("../../../runtime-shims/host/real-host.ts");
    return { host: new RealHost(out, err), env: { ...(process.env as Record<string, string>) }, dispose() {} };
  }
  const { MockRedox } = await import("../../../runtime-shims/mock/mock-redox.ts");
  const { loadScenario } = await import("../../../runtime-shims/mock/scenario.ts");
  const { ScenarioError } = await import("../../../runtime-shims/mock/scenario.ts");
  let sc;
  try {
    sc = opts.scenario ? loadScenario(path.resolve(opts.scenario)) : undefined;
  } catch (e) {
    if (e instanceof ScenarioError) throw new SimUsageError(e.message);
    throw e;
  }
  const mock = new MockRedox({
    ...(sc?.mock ?? {}),
    root: opts.root ? path.resolve(opts.root) : undefined,
    clock: opts.clock === "real" ? "real" : "virtual",
    out,
    err,
  });
  return { host: mock, env: sc?.run.env ?? { PATH: "/usr/bin" }, dispose: () => mock.dispose() };
}

/** Run SCRIPT (.ion in ion-sim, .ts on the Node backend); returns its exit status. */
export async function runSim(script: string, args: string[], opts: SimOptions, io: SimIO = PROCESS_IO): Promise<number> {
  if (opts.clock !== undefined && opts.clock !== "real" && opts.clock !== "virtual")
    throw new SimUsageError(`--clock must be 'real' or 'virtual', not '${opts.clock}'`);
  const file = path.resolve(script);
  let source: string;
  try {
    source = fs.readFileSync(file, "utf8");
  } catch {
    throw new SimUsageError(`cannot read '${script}'`);
  }
  const { host, env, dispose } = await makeHost(opts, io);
  try {
    if (file.endsWith(".ts")) {
      const { runGuestOnNode } = await import("../../../runtime-shims/node-runner/index.ts");
      return runGuestOnNode(file, { host, args, env }).status;
    }
    const simPath = path.join(REPO, "runtime-shims/ion-sim/index.ts");
    if (!fs.existsSync(simPath)) throw new SimUsageError("ion-sim is not available (runtime-shims/ion-sim/index.ts missing)");
    const { runIon } = (await import(pathToFileURL(simPath).href)) as {
      runIon: (
        src: string,
        o: { fileName: string; args: string[]; env: Record<string, string>; host: Host },
      ) => { status: number } | number | Promise<{ status: number } | number>;
    };
    const r = await runIon(source, { fileName: file, args, env, host });
    return typeof r === "number" ? r : r.status;
  } finally {
    dispose();
  }
}

export function registerSim(program: Command): void {
  // Everything after SCRIPT belongs to the script (`tsion sim s.ion -v` must not
  // print tsion's version): options are positional, and sim passes them through.
  program.enablePositionalOptions();
  program
    .command("sim")
    .description("run a compiled Ion script in ion-sim, on this machine or against the mocked Redox")
    .argument("<script>", "SCRIPT.ion (or a guest .ts entry, run on the Node backend)")
    .argument("[args...]", "arguments for the script")
    .option("--root <dir>", "mock Redox: guest filesystem lives in DIR (kept afterwards)")
    .option("--scenario <file>", "mock Redox set up from a scenario file (test/scenarios/*.toml)")
    .option("--clock <kind>", "with the mock: 'virtual' (sleep is instant) or 'real'", "virtual")
    .passThroughOptions()
    .allowUnknownOption()
    .action(async (script: string, args: string[], opts: SimOptions) => {
      try {
        process.exitCode = await runSim(script, args, opts);
      } catch (e) {
        if (e instanceof SimUsageError) throw Object.assign(new Error(e.message), { exitCode: 2 });
        throw e;
      }
    });
}
