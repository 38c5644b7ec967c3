/**
 * Runs a scenario (docs/scenarios.md) on one backend and observes the result:
 *   node: the guest TS run in-process (runtime-shims/node-runner),
 *   ion:  the guest compiled to Ion (compiler/src/compile.ts) and run by ion-sim.
 * Also: checking the expectations, and comparing two backends' observations.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Host } from "../host/types.ts";
import { runGuestOnNode } from "../node-runner/index.ts";
import { MockRedox, type CommandLogEntry } from "./mock-redox.ts";
import { loadScenario, REPO_ROOT, variantName, type Expectations, type Scenario, type Variant } from "./scenario.ts";
import type { TimelineEntry } from "./clock.ts";

export type Backend = "node" | "ion";
/** Who produced an observation: a backend, or a real ion binary (runtime-shims/realion). */
export type ObservedBackend = Backend | "real-ion";

export interface NetcfgObservation {
  up: boolean;
  /** the interface a script should configure (eth0, or the first one that is not lo); "" when none */
  device: string;
  /** that interface's addr/list */
  addr: string;
  routes: string[];
  nameserver: string;
  mac: string;
  /** addr/list of every interface */
  ifaces: Record<string, string>;
}

export interface Observation {
  scenario: string;
  backend: ObservedBackend;
  /** the mocked image: naming era and missing commands */
  variant: Variant;
  /** status of the last run */
  status: number;
  statuses: number[];
  stdout: string;
  stderr: string;
  /** final content of every file under the mock root, by guest path */
  files: Record<string, string>;
  netcfg: NetcfgObservation;
  commandLog: CommandLogEntry[];
  timeline: TimelineEntry[];
  /** when addr/list first showed an address, or null */
  firstAddrAt: number | null;
  /** when netcfg first had an address and a default route via a gateway, or null */
  firstUsableAt: number | null;
  /** what init units (background dhcpd, netstack) wrote to /scheme/log */
  log: string;
  /** simulated seconds when the last run ended */
  simTime: number;
  /** wall-clock milliseconds the run took */
  wallMs: number;
}

/** The ion backend cannot run yet (compiler or ion-sim missing). */
export class BackendUnavailable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "BackendUnavailable";
  }
}

type CompileFile = (p: string) => {
  ion?: string;
  diagnostics: { file: string; line: number; col: number; code: string; message: string }[];
};
type RunIon = (
  source: string,
  opts: { fileName: string; args: string[]; env: Record<string, string>; host: Host },
) => { status: number } | number | Promise<{ status: number } | number>;

let ionBackend: Promise<{ compileFile: CompileFile; runIon: RunIon }> | undefined;

/** Lazily import the compiler and ion-sim; rejects with BackendUnavailable when absent. */
export function loadIonBackend(): Promise<{ compileFile: CompileFile; runIon: RunIon }> {
  ionBackend ??= (async () => {
    const compilePath = path.join(REPO_ROOT, "compiler/src/compile.ts");
    const simPath = path.join(REPO_ROOT, "runtime-shims/ion-sim/index.ts");
    for (const p of [compilePath, simPath])
      if (!fs.existsSync(p)) throw new BackendUnavailable(`ion backend unavailable: ${path.relative(REPO_ROOT, p)} does not exist yet`);
    let compileMod: Record<string, unknown>;
    let simMod: Record<string, unknown>;
    try {
      compileMod = await import(pathToFileURL(compilePath).href);
      simMod = await import(pathToFileURL(simPath).href);
    } catch (e) {
      throw new BackendUnavailable(`ion backend unavailable: import failed: ${(e as Error).message}`);
    }
    if (typeof compileMod.compileFile !== "function") throw new BackendUnavailable("ion backend unavailable: compile.ts has no compileFile");
    if (typeof simMod.runIon !== "function") throw new BackendUnavailable("ion backend unavailable: ion-sim has no runIon");
    return { compileFile: compileMod.compileFile as CompileFile, runIon: simMod.runIon as RunIon };
  })();
  return ionBackend;
}

const compiled = new Map<string, string>();

/** Compile a guest entry to Ion once per process; throws with the diagnostics on failure. */
export async function compileGuest(entry: string): Promise<string> {
  const hit = compiled.get(entry);
  if (hit !== undefined) return hit;
  const { compileFile } = await loadIonBackend();
  const r = compileFile(entry);
  if (r.ion === undefined || r.diagnostics.length > 0) {
    const diags = r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`).join("\n");
    if (r.ion === undefined) throw new Error(`compiling ${entry} failed:\n${diags}`);
  }
  compiled.set(entry, r.ion!);
  return r.ion!;
}

export interface RunScenarioOptions {
  /** Keep the mock root (for debugging); it is removed otherwise. */
  keepRoot?: boolean;
  /** Use this directory as the mock root. */
  root?: string;
  /** "real": events by wall time and sleeps really sleep (default "virtual"). */
  clock?: "virtual" | "real";
}

/** Build a fresh MockRedox from the scenario, run the guest `times` times on `backend`, observe. */
export async function runScenario(
  file: string | Scenario,
  backend: Backend,
  opts: RunScenarioOptions = {},
): Promise<Observation> {
  const sc = typeof file === "string" ? loadScenario(file) : file;
  const ion = backend === "ion" ? await compileGuest(sc.run.script) : undefined;
  const runIon = backend === "ion" ? (await loadIonBackend()).runIon : undefined;
  const mock = new MockRedox({ ...sc.mock, root: opts.root, clock: opts.clock });
  const started = performance.now();
  try {
    const statuses: number[] = [];
    for (let i = 0; i < sc.run.times; i++) {
      if (backend === "node") {
        statuses.push(runGuestOnNode(sc.run.script, { host: mock, args: sc.run.args, env: sc.run.env }).status);
      } else {
        const r = await runIon!(ion!, {
          fileName: sc.run.script.replace(/\.ts$/, ".ion"),
          args: sc.run.args,
          env: sc.run.env,
          host: mock,
        });
        statuses.push(typeof r === "number" ? r : r.status);
      }
    }
    return observe(sc, backend, mock, statuses, performance.now() - started);
  } finally {
    if (!opts.keepRoot && !opts.root) mock.dispose();
  }
}

/**
 * The observation of a finished run on `mock`. `output` replaces the mock's
 * captured stdout/stderr when the guest was a real process (realion).
 */
export function observe(
  sc: Scenario,
  backend: ObservedBackend,
  mock: MockRedox,
  statuses: number[],
  wallMs: number,
  output: { stdout: string; stderr: string } = { stdout: mock.stdoutText, stderr: mock.stderrText },
): Observation {
  return {
    scenario: sc.file,
    backend,
    variant: sc.variant,
    status: statuses[statuses.length - 1]!,
    statuses,
    stdout: output.stdout,
    stderr: output.stderr,
    files: mock.files(),
    netcfg: mock.netcfgState(),
    commandLog: mock.commandLog.map((c) => ({ argv: [...c.argv], time: c.time })),
    timeline: [...mock.timeline.entries],
    firstAddrAt: mock.timeline.first("addr"),
    firstUsableAt: mock.timeline.first("usable"),
    log: mock.logText,
    simTime: mock.now(),
    wallMs,
  };
}

const EPS = 1e-9;

/** Every failed expectation, as readable lines (empty = all good). */
export function checkExpectations(obs: Observation, e: Expectations): string[] {
  const bad: string[] = [];
  const show = (v: unknown) => JSON.stringify(v);
  const eq = (what: string, got: unknown, want: unknown) => {
    if (show(got) !== show(want)) bad.push(`${what}: expected ${show(want)}, got ${show(got)}`);
  };
  // Always checked: configuring the loopback interface is a bug in any scenario.
  const lo = obs.timeline.find((t) => t.event === "lo-write");
  if (lo) bad.push(`the guest wrote to /scheme/netcfg/ifaces/lo at t=${lo.time} (lo now reads ${show(lo.detail)})`);
  if (e.status !== undefined) eq("status", obs.status, e.status);
  if (e.statuses !== undefined) eq("statuses", obs.statuses, e.statuses);
  if (e.stdout !== undefined) eq("stdout", obs.stdout, e.stdout);
  for (const s of e.stdout_contains ?? []) if (!obs.stdout.includes(s)) bad.push(`stdout lacks ${show(s)}; stdout was ${show(obs.stdout)}`);
  for (const s of e.stdout_lacks ?? []) if (obs.stdout.includes(s)) bad.push(`stdout contains ${show(s)}; stdout was ${show(obs.stdout)}`);
  if (e.stderr !== undefined) eq("stderr", obs.stderr, e.stderr);
  for (const s of e.stderr_contains ?? []) if (!obs.stderr.includes(s)) bad.push(`stderr lacks ${show(s)}; stderr was ${show(obs.stderr)}`);
  if (e.addr !== undefined) eq("addr/list", obs.netcfg.up ? obs.netcfg.addr : "(netcfg absent)", e.addr);
  for (const [name, want] of Object.entries(e.ifaces ?? {})) eq(`ifaces/${name}/addr/list`, obs.netcfg.ifaces[name] ?? "(no such interface)", want);
  if (e.routes !== undefined) eq("route/list", obs.netcfg.routes, e.routes);
  if (e.nameserver !== undefined) eq("resolv/nameserver", obs.netcfg.nameserver, e.nameserver);
  const argvs = obs.commandLog.map((c) => c.argv);
  if (e.commands !== undefined) eq("command log", argvs, e.commands);
  for (const want of e.commands_include ?? [])
    if (!argvs.some((a) => show(a) === show(want))) bad.push(`command ${show(want)} was not run; log: ${show(argvs)}`);
  for (const name of e.commands_exclude ?? []) {
    const hit = argvs.find((a) => a[0] === name || a[0]!.endsWith(`/${name}`));
    if (hit) bad.push(`command ${show(name)} must not run, but ran as ${show(hit)}`);
  }
  if (e.processes_at_most !== undefined && argvs.length > e.processes_at_most)
    bad.push(`processes_at_most ${e.processes_at_most}: ${argvs.length} commands ran: ${show(argvs.map((a) => a[0]))}`);
  if (e.network_by !== undefined) {
    if (obs.firstAddrAt === null) bad.push(`network_by ${e.network_by}: addr/list never showed an address`);
    else if (obs.firstAddrAt > e.network_by + EPS) bad.push(`network_by ${e.network_by}: first address at t=${obs.firstAddrAt}`);
  }
  if (e.usable_by !== undefined) {
    if (obs.firstUsableAt === null) bad.push(`usable_by ${e.usable_by}: never had an address and a default route`);
    else if (obs.firstUsableAt > e.usable_by + EPS) bad.push(`usable_by ${e.usable_by}: address and default route first at t=${obs.firstUsableAt}`);
  }
  for (const s of e.log_contains ?? []) if (!obs.log.includes(s)) bad.push(`/scheme/log lacks ${show(s)}; log was ${show(obs.log)}`);
  if (e.network_never === true && obs.firstAddrAt !== null) bad.push(`network_never: addr/list showed an address at t=${obs.firstAddrAt}`);
  if (e.network_never === false && obs.firstAddrAt === null) bad.push(`network_never = false: addr/list never showed an address`);
  if (e.finished_by !== undefined && obs.simTime > e.finished_by + EPS) bad.push(`finished_by ${e.finished_by}: ended at t=${obs.simTime}`);
  for (const p of e.files_absent ?? []) if (p in obs.files) bad.push(`file ${p} should be absent, has ${show(obs.files[p])}`);
  for (const [p, want] of Object.entries(e.files ?? {})) {
    if (!(p in obs.files)) bad.push(`file ${p} missing (expected ${show(want)})`);
    else eq(`file ${p}`, obs.files[p], want);
  }
  return bad;
}

/** Throws listing every failed expectation. */
export function assertScenario(obs: Observation, e: Expectations): void {
  const bad = checkExpectations(obs, e);
  if (bad.length > 0) {
    throw new Error(
      `${obs.scenario} [${obs.backend}, ${variantName(obs.variant)}]: ${bad.length} expectation(s) failed:\n  - ${bad.join("\n  - ")}\n` +
        `stdout:\n${obs.stdout}\nstderr:\n${obs.stderr}`,
    );
  }
}

/** Differences between two backends' observations (empty = identical where it matters). */
export function compareBackends(a: Observation, b: Observation): string[] {
  const diffs: string[] = [];
  const show = (v: unknown) => JSON.stringify(v);
  const cmp = (what: string, x: unknown, y: unknown) => {
    if (show(x) !== show(y)) diffs.push(`${what} differs:\n    ${a.backend}: ${show(x)}\n    ${b.backend}: ${show(y)}`);
  };
  cmp("stdout", a.stdout, b.stdout);
  cmp("statuses", a.statuses, b.statuses);
  cmp("netcfg", a.netcfg, b.netcfg);
  const fileNames = [...new Set([...Object.keys(a.files), ...Object.keys(b.files)])].sort();
  for (const f of fileNames) cmp(`file ${f}`, a.files[f], b.files[f]);
  const la = a.commandLog;
  const lb = b.commandLog;
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (show(la[i]) !== show(lb[i])) {
      cmp(`command log from entry ${i}`, la.slice(i, i + 3), lb.slice(i, i + 3));
      break;
    }
  }
  return diffs;
}

/** Throws unless both backends gave the same stdout, statuses, files, netcfg and command log. */
export function assertBackendsAgree(a: Observation, b: Observation): void {
  const d = compareBackends(a, b);
  if (d.length > 0) throw new Error(`${a.scenario} [${variantName(a.variant)}]: backends disagree:\n  - ${d.join("\n  - ")}`);
}

/** All scenario files (sorted) under a directory, default test/scenarios. */
export function scenarioFiles(dir = path.join(REPO_ROOT, "test/scenarios")): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".toml"))
    .sort()
    .map((f) => path.join(dir, f));
}
