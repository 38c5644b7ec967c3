/**
 * Runs a scenario (docs/scenarios.md) on one backend and observes the result:
 *   node: the guest TS run in-process (runtime-shims/node-runner),
 *   ion:  the guest compiled to Ion (compiler/src/compile.ts) and run by ion-sim.
 * Checks the expectations and compares two backends' observations, as
 * readable mismatches (a one-line message, and both sides as text where a
 * diff says more). `checkScenario` does all of it for one scenario variant:
 * `tsion test` and the repository's scenario suite both use it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Host } from "../host/types.ts";
import { runGuestOnNode } from "../node-runner/index.ts";
import { MockRedox, type CommandLogEntry } from "./mock-redox.ts";
import { loadScenario, REPO_ROOT, variantName, type Expectations, type Scenario, type Variant } from "./scenario.ts";
import type { TimelineEntry } from "./clock.ts";
import { formatDiagnostics, type Diagnostic } from "../../compiler/src/diagnostics.ts";

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

type CompileFile = (p: string) => { ion?: string; diagnostics: Diagnostic[] };
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

/** A guest that does not compile: its diagnostics, formatted like tsc's. */
export class GuestCompileError extends Error {
  constructor(
    readonly entry: string,
    readonly diagnostics: Diagnostic[],
  ) {
    super(formatDiagnostics(diagnostics, readSource, { color: false }).trimEnd());
    this.name = "GuestCompileError";
  }
}

function readSource(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

const compiled = new Map<string, string | GuestCompileError>();

/** Compile a guest entry to Ion once per process; throws GuestCompileError with the diagnostics on failure. */
export async function compileGuest(entry: string): Promise<string> {
  let hit = compiled.get(entry);
  if (hit === undefined) {
    const { compileFile } = await loadIonBackend();
    const r = compileFile(entry);
    hit = r.ion ?? new GuestCompileError(entry, r.diagnostics);
    compiled.set(entry, hit);
  }
  if (hit instanceof GuestCompileError) throw hit;
  return hit;
}

export interface RunScenarioOptions {
  /** Keep the mock root (for debugging); it is removed otherwise. */
  keepRoot?: boolean;
  /** Use this directory as the mock root. */
  root?: string;
  /** "real": events by wall time and sleeps really sleep (default "virtual"). */
  clock?: "virtual" | "real";
  /** Arguments instead of `[run] args`. */
  args?: string[];
  /** ion backend: run this Ion text instead of compiling `[run] script` (`tsion sim SCRIPT.ion`). */
  ion?: { source: string; fileName: string };
  /** The guest's stdout and stderr as they are written (they are captured either way). */
  out?: (s: string) => void;
  err?: (s: string) => void;
}

/** Build a fresh MockRedox from the scenario, run the guest `times` times on `backend`, observe. */
export async function runScenario(
  file: string | Scenario,
  backend: Backend,
  opts: RunScenarioOptions = {},
): Promise<Observation> {
  const sc = typeof file === "string" ? loadScenario(file) : file;
  const ion = backend === "ion" ? (opts.ion?.source ?? (await compileGuest(sc.run.script))) : undefined;
  const runIon = backend === "ion" ? (await loadIonBackend()).runIon : undefined;
  const args = opts.args ?? sc.run.args;
  const mock = new MockRedox({ ...sc.mock, root: opts.root, clock: opts.clock, out: opts.out, err: opts.err });
  const started = performance.now();
  try {
    const statuses: number[] = [];
    for (let i = 0; i < sc.run.times; i++) {
      if (backend === "node") {
        statuses.push(runGuestOnNode(sc.run.script, { host: mock, args, env: sc.run.env }).status);
      } else {
        const r = await runIon!(ion!, {
          fileName: opts.ion?.fileName ?? sc.run.script.replace(/\.ts$/, ".ion"),
          args,
          env: sc.run.env,
          host: mock,
        });
        statuses.push(typeof r === "number" ? r : r.status);
      }
    }
    return observe(sc, backend, mock, statuses, performance.now() - started);
  } finally {
    // A temporary root goes; a given --root is the caller's and stays.
    if (!opts.keepRoot) mock.dispose();
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

/**
 * One thing that did not match: a one-line message, and for values that
 * span lines (stdout, files, routes, the command log, netcfg, the timeline)
 * both sides as text, so a report can show a diff.
 */
export interface Mismatch {
  /** What was compared: "stdout", "file /etc/net/dns", "command log", "netcfg", ... */
  what: string;
  message: string;
  /** [expect]'s value, or the first backend's, as text (with `actual`). */
  expected?: string;
  actual?: string;
}

const show = (v: unknown) => JSON.stringify(v);

/** A command log as text: one `t=1.250  cat /scheme/netcfg/route/list` line per command. */
export function renderCommandLog(log: readonly CommandLogEntry[]): string {
  return log.map((c) => `t=${c.time.toFixed(3)}  ${c.argv.map(shellWord).join(" ")}\n`).join("");
}

/** Command lines for reading: words with spaces or quotes are shown JSON-quoted. */
function shellWord(w: string): string {
  return w !== "" && /^[\w@%+=:,./-]+$/.test(w) ? w : show(w);
}

/** A list of argvs (an [expect] commands list) as text, one command per line. */
function renderArgvs(list: readonly string[][]): string {
  return list.map((a) => `${a.map(shellWord).join(" ")}\n`).join("");
}

/** The netcfg state as text, one fact per line. */
export function renderNetcfg(n: NetcfgObservation): string {
  if (!n.up) return "netcfg absent\n";
  const lines = [`device: ${n.device || "(none)"}`, `addr: ${n.addr}`, ...n.routes.map((r) => `route: ${r}`), `nameserver: ${n.nameserver}`, `mac: ${n.mac}`];
  for (const [name, addr] of Object.entries(n.ifaces).sort(([a], [b]) => a.localeCompare(b))) lines.push(`ifaces/${name}: ${addr}`);
  return lines.map((l) => `${l}\n`).join("");
}

/** The timeline as text: `t=0.500  netcfg  registered` per event. */
export function renderTimeline(entries: readonly TimelineEntry[]): string {
  return entries.map((e) => `t=${e.time.toFixed(3)}  ${e.event}${e.detail === "" ? "" : `  ${e.detail}`}\n`).join("");
}

/** Lines as text, each ending in a newline. */
function lines(list: readonly string[]): string {
  return list.map((l) => `${l}\n`).join("");
}

/** Every failed expectation (empty = all good). */
export function expectationMismatches(obs: Observation, e: Expectations): Mismatch[] {
  const bad: Mismatch[] = [];
  const add = (what: string, message: string, expected?: string, actual?: string) => bad.push({ what, message, expected, actual });
  const eq = (what: string, got: unknown, want: unknown, text?: [string, string]) => {
    if (show(got) !== show(want)) add(what, `${what}: expected ${show(want)}, got ${show(got)}`, text?.[0], text?.[1]);
  };
  // Always checked: configuring the loopback interface is a bug in any scenario.
  const lo = obs.timeline.find((t) => t.event === "lo-write");
  if (lo) add("loopback", `the guest wrote to /scheme/netcfg/ifaces/lo at t=${lo.time} (lo now reads ${show(lo.detail)})`);
  if (e.status !== undefined) eq("status", obs.status, e.status);
  if (e.statuses !== undefined) eq("statuses", obs.statuses, e.statuses);
  if (e.stdout !== undefined) eq("stdout", obs.stdout, e.stdout, [e.stdout, obs.stdout]);
  for (const s of e.stdout_contains ?? []) if (!obs.stdout.includes(s)) add("stdout", `stdout lacks ${show(s)}; stdout was ${show(obs.stdout)}`);
  for (const s of e.stdout_lacks ?? []) if (obs.stdout.includes(s)) add("stdout", `stdout contains ${show(s)}; stdout was ${show(obs.stdout)}`);
  if (e.stderr !== undefined) eq("stderr", obs.stderr, e.stderr, [e.stderr, obs.stderr]);
  for (const s of e.stderr_contains ?? []) if (!obs.stderr.includes(s)) add("stderr", `stderr lacks ${show(s)}; stderr was ${show(obs.stderr)}`);
  if (e.addr !== undefined) eq("addr/list", obs.netcfg.up ? obs.netcfg.addr : "(netcfg absent)", e.addr);
  for (const [name, want] of Object.entries(e.ifaces ?? {})) eq(`ifaces/${name}/addr/list`, obs.netcfg.ifaces[name] ?? "(no such interface)", want);
  if (e.routes !== undefined) eq("route/list", obs.netcfg.routes, e.routes, [lines(e.routes), lines(obs.netcfg.routes)]);
  if (e.nameserver !== undefined) eq("resolv/nameserver", obs.netcfg.nameserver, e.nameserver);
  const argvs = obs.commandLog.map((c) => c.argv);
  if (e.commands !== undefined) eq("command log", argvs, e.commands, [renderArgvs(e.commands), renderArgvs(argvs)]);
  for (const want of e.commands_include ?? [])
    if (!argvs.some((a) => show(a) === show(want))) add("command log", `command ${show(want)} was not run; log: ${show(argvs)}`);
  for (const name of e.commands_exclude ?? []) {
    const hit = argvs.find((a) => a[0] === name || a[0]!.endsWith(`/${name}`));
    if (hit) add("command log", `command ${show(name)} must not run, but ran as ${show(hit)}`);
  }
  if (e.processes_at_most !== undefined && argvs.length > e.processes_at_most)
    add("command log", `processes_at_most ${e.processes_at_most}: ${argvs.length} commands ran: ${show(argvs.map((a) => a[0]))}`);
  if (e.network_by !== undefined) {
    if (obs.firstAddrAt === null) add("timeline", `network_by ${e.network_by}: addr/list never showed an address`);
    else if (obs.firstAddrAt > e.network_by + EPS) add("timeline", `network_by ${e.network_by}: first address at t=${obs.firstAddrAt}`);
  }
  if (e.usable_by !== undefined) {
    if (obs.firstUsableAt === null) add("timeline", `usable_by ${e.usable_by}: never had an address and a default route`);
    else if (obs.firstUsableAt > e.usable_by + EPS) add("timeline", `usable_by ${e.usable_by}: address and default route first at t=${obs.firstUsableAt}`);
  }
  for (const s of e.log_contains ?? []) if (!obs.log.includes(s)) add("/scheme/log", `/scheme/log lacks ${show(s)}; log was ${show(obs.log)}`);
  if (e.network_never === true && obs.firstAddrAt !== null) add("timeline", `network_never: addr/list showed an address at t=${obs.firstAddrAt}`);
  if (e.network_never === false && obs.firstAddrAt === null) add("timeline", `network_never = false: addr/list never showed an address`);
  if (e.finished_by !== undefined && obs.simTime > e.finished_by + EPS) add("timeline", `finished_by ${e.finished_by}: ended at t=${obs.simTime}`);
  for (const p of e.files_absent ?? []) if (p in obs.files) add(`file ${p}`, `file ${p} should be absent, has ${show(obs.files[p])}`);
  for (const [p, want] of Object.entries(e.files ?? {})) {
    if (!(p in obs.files)) add(`file ${p}`, `file ${p} missing (expected ${show(want)})`);
    else eq(`file ${p}`, obs.files[p], want, [want, obs.files[p]!]);
  }
  return bad;
}

/** Every failed expectation, as readable lines (empty = all good). */
export function checkExpectations(obs: Observation, e: Expectations): string[] {
  return expectationMismatches(obs, e).map((m) => m.message);
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

/**
 * Differences between two backends' observations (empty = identical where it
 * matters: stdout, statuses, netcfg, every file, the command log with times,
 * the timeline of netcfg events). stderr is not compared: a backend's own
 * failure messages may differ in wording.
 */
export function backendDifferences(a: Observation, b: Observation): Mismatch[] {
  const diffs: Mismatch[] = [];
  const cmp = (what: string, x: unknown, y: unknown, text?: [string, string]) => {
    if (show(x) !== show(y)) diffs.push({ what, message: `${what} differs:\n    ${a.backend}: ${show(x)}\n    ${b.backend}: ${show(y)}`, expected: text?.[0], actual: text?.[1] });
  };
  cmp("stdout", a.stdout, b.stdout, [a.stdout, b.stdout]);
  cmp("statuses", a.statuses, b.statuses);
  cmp("netcfg", a.netcfg, b.netcfg, [renderNetcfg(a.netcfg), renderNetcfg(b.netcfg)]);
  const fileNames = [...new Set([...Object.keys(a.files), ...Object.keys(b.files)])].sort();
  for (const f of fileNames) cmp(`file ${f}`, a.files[f], b.files[f], [a.files[f] ?? "", b.files[f] ?? ""]);
  const la = a.commandLog;
  const lb = b.commandLog;
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (show(la[i]) !== show(lb[i])) {
      const d = { what: "command log", expected: renderCommandLog(la), actual: renderCommandLog(lb) };
      diffs.push({ ...d, message: `command log from entry ${i} differs:\n    ${a.backend}: ${show(la.slice(i, i + 3))}\n    ${b.backend}: ${show(lb.slice(i, i + 3))}` });
      break;
    }
  }
  if (show(a.timeline) !== show(b.timeline))
    diffs.push({ what: "timeline", message: "timeline differs", expected: renderTimeline(a.timeline), actual: renderTimeline(b.timeline) });
  return diffs;
}

/** Differences between two backends' observations, as readable lines (empty = they agree). */
export function compareBackends(a: Observation, b: Observation): string[] {
  return backendDifferences(a, b).map((d) => d.message);
}

/** Throws unless both backends gave the same stdout, statuses, files, netcfg, command log and timeline. */
export function assertBackendsAgree(a: Observation, b: Observation): void {
  const d = compareBackends(a, b);
  if (d.length > 0) throw new Error(`${a.scenario} [${variantName(a.variant)}]: backends disagree:\n  - ${d.join("\n  - ")}`);
}

/** One backend's part in a scenario check. */
export interface BackendRun {
  backend: ObservedBackend;
  /** What the run produced (absent when it could not run). */
  observation?: Observation;
  /** Why it could not run: the guest does not compile, the backend failed to load or crashed. */
  error?: string;
  /** Failed [expect] checks. */
  mismatches: Mismatch[];
}

/** A scenario in one variant, on every backend it asks for. */
export interface ScenarioResult {
  file: string;
  description: string;
  variant: Variant;
  runs: BackendRun[];
  /** Pairs of backends that ran and disagree, with their differences. */
  disagreements: { a: ObservedBackend; b: ObservedBackend; differences: Mismatch[] }[];
  passed: boolean;
}

export interface CheckScenarioOptions {
  /** Also run on this real ion binary (runtime-shims/realion), compared with ion-sim. */
  realIon?: string;
}

/**
 * Runs the scenario on each backend of `[run] backends` (and real ion when
 * asked), checks `[expect]` on each, and that node and ion-sim (and ion-sim
 * and real ion) agree. Never throws for a failing guest: the result says.
 */
export async function checkScenario(sc: Scenario, opts: CheckScenarioOptions = {}): Promise<ScenarioResult> {
  const runs: BackendRun[] = [];
  const attempt = async (backend: ObservedBackend, run: () => Promise<Observation>): Promise<void> => {
    try {
      const observation = await run();
      runs.push({ backend, observation, mismatches: expectationMismatches(observation, sc.expect) });
    } catch (e) {
      const error = e instanceof GuestCompileError || e instanceof BackendUnavailable ? e.message : `${backend} run failed: ${(e as Error).stack ?? String(e)}`;
      runs.push({ backend, error, mismatches: [] });
    }
  };
  for (const backend of sc.run.backends) await attempt(backend, () => runScenario(sc, backend));
  if (opts.realIon !== undefined) {
    const realIon = opts.realIon;
    await attempt("real-ion", async () => (await import("../realion/run-scenario.ts")).runScenarioOnRealIon(sc, realIon));
  }
  const disagreements: ScenarioResult["disagreements"] = [];
  const ran = (b: ObservedBackend) => runs.find((r) => r.backend === b)?.observation;
  for (const [a, b] of [["node", "ion"], ["ion", "real-ion"]] as const) {
    const x = ran(a);
    const y = ran(b);
    if (x === undefined || y === undefined) continue;
    const differences = backendDifferences(x, y);
    if (differences.length > 0) disagreements.push({ a, b, differences });
  }
  const passed = runs.every((r) => r.error === undefined && r.mismatches.length === 0) && disagreements.length === 0;
  return { file: sc.file, description: sc.description, variant: sc.variant, runs, disagreements, passed };
}

/** The variants a scenario runs in: its own, plus each again on an image without sleep when asked. */
export function scenarioVariants(sc: Scenario, opts: { withoutSleep?: boolean } = {}): Variant[] {
  const vs = [...sc.variants];
  if (opts.withoutSleep)
    for (const v of sc.variants) if (!v.missing.includes("sleep")) vs.push({ era: v.era, missing: [...v.missing, "sleep"].sort() });
  return vs;
}

/** All scenario files (sorted) under a directory, default test/scenarios. */
export function scenarioFiles(dir = path.join(REPO_ROOT, "test/scenarios")): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".toml"))
    .sort()
    .map((f) => path.join(dir, f));
}
