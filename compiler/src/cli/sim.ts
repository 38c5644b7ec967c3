/**
 * `tsion sim [--root DIR] [--scenario FILE] [--clock real|virtual] [--no-expect] SCRIPT [ARGS...]`
 *
 * Runs one program and shows what it does. SCRIPT.ion runs in ion-sim; a
 * guest `.ts` entry is first checked like `tsion compile` (diagnostics, exit
 * 1) and then runs as TypeScript on Node (the Node backend); `tsion test`
 * runs both and compares them.
 *
 * Without --root/--scenario it behaves like `ion SCRIPT` in the current
 * directory on this machine (RealHost, host PATH). With either, the script
 * runs against the mocked Redox (runtime-shims/mock): absolute paths resolve
 * inside the mock root, the Redox command shims replace host commands, and
 * /scheme/netcfg is modelled. With --scenario, `[run]` applies (args unless
 * ARGS are given, times, uid, cwd, env; SCRIPT replaces `[run] script`, which
 * may be absent) and `[expect]` is checked afterwards: a failed check is
 * listed on stderr and the exit status is 1. Otherwise the exit status is the
 * script's (of its last run).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import type { Host } from "../../../runtime-shims/host/types.ts";
import { compileAll } from "./compiler-api.ts";
import { CliError, describeIoError, EXIT_DIAGNOSTICS, EXIT_USAGE } from "./errors.ts";
import { reportDiagnostics } from "./report.ts";

export interface SimOptions {
  root?: string;
  scenario?: string;
  clock?: string;
  /** false with --no-expect: run the scenario's set-up and [run], skip [expect]. */
  expect?: boolean;
}

export class SimUsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = "SimUsageError";
  }
}

export interface SimIO {
  out(s: string): void;
  err(s: string): void;
  /** Colour in diagnostics (default: only on a terminal, never with NO_COLOR). */
  color?: boolean;
}

const PROCESS_IO: SimIO = {
  out: (s) => void fs.writeSync(1, s),
  err: (s) => void fs.writeSync(2, s),
};

async function hostFor(opts: SimOptions, io: SimIO): Promise<{ host: Host; env: Record<string, string>; dispose(): void }> {
  if (!opts.root) {
    const { RealHost } = await import("../../../runtime-shims/host/real-host.ts");
    return { host: new RealHost(io.out, io.err), env: { ...(process.env as Record<string, string>) }, dispose() {} };
  }
  const { MockRedox } = await import("../../../runtime-shims/mock/mock-redox.ts");
  const mock = new MockRedox({ root: path.resolve(opts.root), clock: opts.clock === "real" ? "real" : "virtual", out: io.out, err: io.err });
  return { host: mock, env: { PATH: "/usr/bin" }, dispose: () => mock.dispose() };
}

/** Runs `source` (ion-sim) or the guest entry `file` (Node) on `host`. */
async function runOn(host: Host, file: string, source: string, args: string[], env: Record<string, string>): Promise<number> {
  if (file.endsWith(".ts")) {
    const { runGuestOnNode } = await import("../../../runtime-shims/node-runner/index.ts");
    return runGuestOnNode(file, { host, args, env }).status;
  }
  const { runIon } = await import("../../../runtime-shims/ion-sim/index.ts");
  return runIon(source, { fileName: file, args, env, host }).status;
}

/** The scenario's mock and [run], then its [expect]; returns the exit status. */
async function runScenarioSim(file: string, source: string, args: string[], opts: SimOptions & { scenario: string }, io: SimIO): Promise<number> {
  const { loadScenario, ScenarioError } = await import("../../../runtime-shims/mock/scenario.ts");
  const { runScenario, expectationMismatches } = await import("../../../runtime-shims/mock/scenario-runner.ts");
  let sc;
  try {
    sc = loadScenario(path.resolve(opts.scenario), undefined, { script: file });
  } catch (e) {
    if (e instanceof ScenarioError) throw new SimUsageError(e.message);
    throw e;
  }
  const backend = file.endsWith(".ts") ? "node" : "ion";
  const obs = await runScenario(sc, backend, {
    root: opts.root ? path.resolve(opts.root) : undefined,
    clock: opts.clock === "real" ? "real" : "virtual",
    args: args.length > 0 ? args : undefined,
    ion: backend === "ion" ? { source, fileName: file } : undefined,
    out: io.out,
    err: io.err,
  });
  if (opts.expect === false) return obs.status;
  const bad = expectationMismatches(obs, sc.expect);
  if (bad.length === 0) return obs.status;
  const { formatMismatches, backendLabel } = await import("./test-report.ts");
  io.err(`tsion: [expect] of ${sc.file} not met (${backendLabel(backend)}, exit status ${obs.status}):\n${formatMismatches(bad, backendLabel(backend))}`);
  return EXIT_DIAGNOSTICS;
}

/** Run SCRIPT (.ion in ion-sim, .ts on the Node backend once it compiles); returns the exit status. */
export async function runSim(script: string, args: string[], opts: SimOptions, io: SimIO = PROCESS_IO): Promise<number> {
  if (opts.clock !== undefined && opts.clock !== "real" && opts.clock !== "virtual")
    throw new SimUsageError(`--clock must be 'real' or 'virtual', not '${opts.clock}'`);
  const file = path.resolve(script);
  let source: string;
  try {
    source = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw describeIoError(err, "read", script);
  }
  if (file.endsWith(".ts")) {
    // What compile would refuse does not run: the Node backend is only meaningful for the subset.
    const result = (await compileAll([file], { checkOnly: true })).get(file)!;
    if (reportDiagnostics(result.diagnostics, io.err, io.color)) return EXIT_DIAGNOSTICS;
  }
  if (opts.scenario) return runScenarioSim(file, source, args, { ...opts, scenario: opts.scenario }, io);
  const { host, env, dispose } = await hostFor(opts, io);
  try {
    return await runOn(host, file, source, args, env);
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
    .description("run one script against the mocked Redox (or this machine): .ion in ion-sim, a .ts entry as TypeScript on Node after the compile check")
    .argument("<script>", "SCRIPT.ion, or a guest .ts entry (checked like compile, then run on Node)")
    .argument("[args...]", "arguments for the script (with --scenario: instead of [run] args)")
    .option("--root <dir>", "mock Redox: guest filesystem lives in DIR (kept afterwards)")
    .option("--scenario <file>", "mock Redox set up from a scenario file; its [run] applies and its [expect] is checked")
    .option("--no-expect", "with --scenario: do not check [expect]")
    .option("--clock <kind>", "with the mock: 'virtual' (sleep is instant) or 'real'", "virtual")
    .passThroughOptions()
    .allowUnknownOption()
    .addHelpText("after", "\nExit status: the script's; 1 when it does not compile or [expect] is not met; 2 usage or I/O error.\n")
    .action(async (script: string, args: string[], opts: SimOptions) => {
      process.exitCode = await runSim(script, args, opts, { ...PROCESS_IO });
    });
}
