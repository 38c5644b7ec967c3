/**
 * `net setup` and `net teardown`: the plan (plan.ts) applied under the state
 * directory's lock, every change recorded before it is made.
 *
 * - Setup is all or nothing per invocation: when a step fails, everything
 *   this invocation did is undone (newest first) and its allocations freed.
 * - A VM or network already set up is left alone (idempotent), after
 *   checking that its devices still exist and its settings did not change.
 * - An operation that died half-way leaves records marked incomplete; the
 *   next operation undoes them first (recovery).
 * - Teardown undoes exactly the recorded changes, newest first, continuing
 *   past failures (kept in the state for the next try); forwarding goes back
 *   to its recorded value once no network needs it.
 *
 * Test hook: TSION_NET_FAIL_AT=<step id>[@<vm>][:after|:crash] makes the
 * first step with that id (of that VM) fail before it runs, or after it
 * succeeded, or kills the process there with SIGKILL (to test recovery).
 * Step ids: plan.ts.
 */
import { allocateVm, recordAllocation, releaseAllocation, AllocationError } from "./allocate.ts";
import { mayBePartial, undoActions, type Action } from "./changes.ts";
import { Runner } from "./commands.ts";
import { unreachableByDaemon } from "./dnsmasq.ts";
import { chooseFirewall } from "./firewall.ts";
import { clashes, readHostView } from "./host-view.ts";
import { DEFAULT_VM, vmNetwork, type NetworkModel, type NetworkSpec, type VmNetwork } from "./model.ts";
import { COMMIT_STEP, dhcpServer, networkSteps, vmSteps, type Step, type StepContext } from "./plan.ts";
import { ownerProblem, privilegeProblem, resolveOwner, type Owner } from "./privileges.ts";
import { defaultStateDir, StateDir, type ChangeRecord, type FirewallKind, type State } from "./state.ts";
import { findExecutable } from "../executables.ts";

export interface NetOptions {
  /** Default: defaultStateDir(netns). */
  stateDir?: string;
  /** Work inside this network namespace. */
  netns?: string;
  firewall?: "auto" | FirewallKind;
  /** TAP owner (user or uid, optionally :group); default SUDO_UID, else this user. */
  owner?: string;
  /** Print the commands instead of running them. */
  dryRun?: boolean;
  /** Receives `+ command` for each command run (--verbose). */
  log?: (line: string) => void;
  /** Receives the dry-run listing. */
  print?: (line: string) => void;
  /** Called as each setup step starts (progress; tests list the steps with it). */
  onStep?: (step: { id: string; vm?: string; network: string }) => void;
  /** Test hook; default process.env.TSION_NET_FAIL_AT. */
  failAt?: string;
}

/** Bad input or an unusable environment: nothing was changed. */
export class NetUsageError extends Error {
  readonly exitCode = 2;
}
/** The operation could not run or failed (and was rolled back): exit 1. */
export class NetFailure extends Error {
  readonly exitCode = 1;
}

export interface SetupResult {
  vms: (VmNetwork & { status: "created" | "unchanged" })[];
  /** Commands run (probes included). */
  commands: number;
}

export interface TeardownResult {
  vms: string[];
  networks: string[];
  /** Names asked for that were not set up (nothing to do). */
  absent: string[];
  commands: number;
}

const NETNS = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function checkCommon(opts: NetOptions): void {
  if (opts.netns !== undefined && !NETNS.test(opts.netns)) {
    throw new NetUsageError(`--netns '${opts.netns}' is not a namespace name (letters, digits, '.', '_' or '-')`);
  }
  if (opts.owner !== undefined) {
    const p = ownerProblem(opts.owner);
    if (p) throw new NetUsageError(`--owner '${opts.owner}' ${p}`);
  }
}

function stateDirOf(opts: NetOptions): StateDir {
  return new StateDir(opts.stateDir ?? defaultStateDir(opts.netns));
}

class InjectedFailure extends Error {}

type Moment = "before" | "after";

function injector(spec: string | undefined): (id: string, vm: string | undefined, when: Moment) => void {
  if (!spec) return () => undefined;
  const m = /^([a-z.-]+)(?:@([^:]+))?(?::(after|crash))?$/.exec(spec);
  if (!m) throw new NetUsageError(`TSION_NET_FAIL_AT '${spec}' is not <step>[@<vm>][:after|:crash]`);
  const [, id, vm, mode] = m;
  const when: Moment = mode === "after" ? "after" : "before";
  let fired = false;
  return (step, stepVm, moment) => {
    if (fired || step !== id || moment !== when || (vm !== undefined && vm !== stepVm)) return;
    fired = true;
    if (mode === "crash") process.kill(process.pid, "SIGKILL");
    throw new InjectedFailure(`injected failure ${moment} step ${step}${stepVm ? ` of VM ${stepVm}` : ""} (TSION_NET_FAIL_AT=${spec})`);
  };
}

/** Every command this process needs, found before anything changes. */
function requireTools(names: string[]): void {
  const missing = names.filter((n) => findExecutable(n) === null);
  const pkg: Record<string, string> = { ip: "iproute2", sysctl: "procps", dnsmasq: "dnsmasq-base", nft: "nftables", iptables: "iptables" };
  if (missing.length > 0) {
    throw new NetFailure(`missing ${missing.map((m) => `\`${m}\` (Debian package ${pkg[m] ?? m})`).join(", ")}; nothing was changed`);
  }
}

// ---------------------------------------------------------------------------
// Execution with records

interface Journal {
  rec: ChangeRecord;
  list: ChangeRecord[];
}

class Executor {
  readonly journal: Journal[] = [];
  private readonly inject: ReturnType<typeof injector>;

  constructor(
    readonly ctx: StepContext,
    failAt: string | undefined,
    private readonly onStep: NetOptions["onStep"],
  ) {
    this.inject = injector(failAt);
  }

  save(): void {
    this.ctx.stateDir.write(this.ctx.state);
  }

  async apply(steps: Step[], list: ChangeRecord[], where: { network: string; vm?: string }): Promise<void> {
    for (const step of steps) {
      this.onStep?.({ id: step.id, ...where });
      let rec: ChangeRecord | undefined;
      if (step.change) {
        rec = { step: step.id, change: step.change, done: false };
        list.push(rec);
        this.journal.push({ rec, list });
        this.save();
      }
      this.inject(step.id, where.vm, "before");
      for (const a of step.actions(this.ctx)) await a.run();
      if (rec) {
        rec.done = true;
        this.save();
      }
      this.inject(step.id, where.vm, "after");
    }
  }

  /** Undo this executor's records, newest first; returns the errors (records that failed stay). */
  async rollback(): Promise<Error[]> {
    const errors: Error[] = [];
    for (const { rec, list } of [...this.journal].reverse()) {
      try {
        if (rec.done || mayBePartial(rec.change)) await runAll(undoActions(rec.change, this.ctx.runner, this.ctx.state));
        list.splice(list.indexOf(rec), 1);
      } catch (e) {
        errors.push(e as Error);
      }
      this.save();
    }
    return errors;
  }
}

async function runAll(actions: Action[]): Promise<void> {
  for (const a of actions) await a.run();
}

/** Undo a list of records newest first; failed ones stay in the list. */
async function undoList(list: ChangeRecord[], ctx: StepContext, save: () => void): Promise<Error[]> {
  const errors: Error[] = [];
  for (const rec of [...list].reverse()) {
    try {
      await runAll(undoActions(rec.change, ctx.runner, ctx.state));
      list.splice(list.indexOf(rec), 1);
    } catch (e) {
      errors.push(e as Error);
    }
    save();
  }
  return errors;
}

/** Finish what a dead operation left incomplete: undo it all. */
async function recover(ctx: StepContext, save: () => void): Promise<Error[]> {
  const errors: Error[] = [];
  const s = ctx.state;
  for (const [name, vm] of Object.entries(s.vms)) {
    if (vm.complete) continue;
    const e = await undoList(vm.changes, ctx, save);
    errors.push(...e);
    if (e.length === 0) {
      delete s.vms[name];
      releaseAllocation(s, name);
      save();
    }
  }
  for (const [name, net] of Object.entries(s.networks)) {
    if (net.complete || Object.values(s.vms).some((v) => v.network === name)) continue;
    const e = await undoList(net.changes, ctx, save);
    errors.push(...e);
    if (e.length === 0) {
      delete s.networks[name];
      save();
    }
  }
  return errors;
}

function sameSpec(a: NetworkSpec, b: NetworkSpec): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function specDiff(a: NetworkSpec, b: NetworkSpec): string {
  return (Object.keys(a) as (keyof NetworkSpec)[])
    .filter((k) => a[k] !== b[k])
    .map((k) => `${k} ${JSON.stringify(a[k])} (now ${JSON.stringify(b[k])})`)
    .join(", ");
}

// ---------------------------------------------------------------------------
// Setup

/** Sets up the host side of `vms` (default: the default VM). */
export async function setupNetworking(model: NetworkModel, vms: string[] = [DEFAULT_VM], opts: NetOptions = {}): Promise<SetupResult> {
  checkCommon(opts);
  const names = [...new Set(vms)];
  for (const n of names) if (model.vms[n] === undefined) throw new NetUsageError(`VM ${n} is not in the network model`);
  const owner = resolveOwner(opts.owner);
  const stateDir = stateDirOf(opts);
  const runner = new Runner({ netns: opts.netns, log: opts.log });
  const nets = [...new Set(names.map((n) => model.networks[model.vms[n]!.network]!))];

  if (opts.dryRun) return dryRunSetup(model, names, owner, stateDir, runner, opts);

  const privilege = privilegeProblem("setup", opts.netns);
  if (privilege) throw new NetFailure(privilege);
  const tools = ["ip"];
  const natNets = nets.filter((n) => n.nat);
  let firewall: FirewallKind | undefined;
  if (natNets.length > 0) {
    try {
      firewall = chooseFirewall(opts.firewall ?? "auto");
    } catch (e) {
      throw new NetFailure(`${(e as Error).message}; nothing was changed`);
    }
    tools.push(firewall);
  }
  if (natNets.length > 0 || nets.some((n) => n.topology === "tap-nat")) tools.push("sysctl");
  if (nets.some((n) => n.dhcp)) tools.push("dnsmasq");
  requireTools(tools);
  if (nets.some((n) => n.dhcp)) {
    const why = unreachableByDaemon(stateDir.dir);
    if (why) throw new NetFailure(`dnsmasq runs as nobody and must read its files in ${stateDir.dir}, but ${why}; use a --state-dir whose parents are searchable (chmod o+x); nothing was changed`);
  }

  return stateDir.withLock(async () => {
    const state = stateDir.read();
    const ctx: StepContext = { runner, state, stateDir };
    const save = () => stateDir.write(state);
    const recovered = await recover(ctx, save);
    if (recovered.length > 0) throw new NetFailure(`could not undo an interrupted earlier operation: ${recovered.map((e) => e.message).join("; ")}`);

    // Allocation and checks, in memory: nothing is recorded unless all pass.
    const book = structuredClone({ allocations: state.allocations, remembered: state.remembered });
    const resolved: VmNetwork[] = [];
    const problems: string[] = [];
    for (const n of names) {
      try {
        const alloc = allocateVm(model, n, state);
        recordAllocation(state, n, alloc);
        resolved.push(vmNetwork(model, n, alloc));
      } catch (e) {
        if (!(e instanceof AllocationError)) throw e;
        problems.push(e.message);
      }
    }
    const view = await readHostView(runner);
    const newNets: NetworkSpec[] = [];
    for (const net of nets) {
      const rec = state.networks[net.name];
      if (rec === undefined) newNets.push(net);
      else if (!sameSpec(rec.spec, net)) {
        problems.push(`network ${net.name} is set up with other settings: ${specDiff(rec.spec, net)}; tear it down first (tsion net teardown --network ${net.name})`);
      }
    }
    const newVms: VmNetwork[] = [];
    const unchanged = new Set<string>();
    for (const v of resolved) {
      const rec = state.vms[v.vm];
      if (rec === undefined) {
        newVms.push(v);
        continue;
      }
      unchanged.add(v.vm);
      const want = `owner ${owner.user}${owner.group ? `:${owner.group}` : ""}, ${v.queues} queue pair(s)`;
      const have = `owner ${rec.owner.user}${rec.owner.group ? `:${rec.owner.group}` : ""}, ${rec.queues} queue pair(s)`;
      if (want !== have) problems.push(`VM ${v.vm} is set up with ${have}, not ${want}; tear it down first (tsion net teardown ${v.vm})`);
      if (v.tap && !view.links.some((l) => l.name === v.tap)) {
        problems.push(`VM ${v.vm} is recorded as set up, but its TAP ${v.tap} is gone; run tsion net teardown ${v.vm}, then set it up again`);
      }
    }
    problems.push(...clashes(view, model, state, { networks: newNets, vms: newVms.filter((v) => v.tap) }).map((c) => c.message));
    if (problems.length > 0) throw new NetFailure(`${problems.join("\n")}\nnothing was changed`);
    save();

    const exec = new Executor(ctx, opts.failAt ?? process.env.TSION_NET_FAIL_AT, opts.onStep);
    try {
      for (const net of newNets) {
        state.networks[net.name] = { spec: net, firewall: net.nat ? firewall : undefined, changes: [], complete: false };
        const first = newVms.find((v) => v.network === net.name);
        const dhcp = net.dhcp && net.topology === "bridge" ? dhcpServer(stateDir, net, net.bridge, model.vms[first?.vm ?? ""]?.dns ?? [], `net-${net.name}`) : undefined;
        await exec.apply(networkSteps(net, net.nat ? firewall : undefined, dhcp), state.networks[net.name]!.changes, { network: net.name });
      }
      for (const v of newVms) {
        const net = model.networks[v.network]!;
        state.vms[v.vm] = { network: net.name, owner, queues: v.queues, changes: [], complete: false };
        const tapDhcp = net.dhcp && net.topology === "tap-nat" ? dhcpServer(stateDir, net, v.tap!, model.vms[v.vm]!.dns, `vm-${v.vm}`) : undefined;
        const bridgeDir = net.dhcp && net.topology === "bridge" ? stateDir.dnsmasqDir(`net-${net.name}`) : undefined;
        await exec.apply(vmSteps(net, v, owner, tapDhcp, bridgeDir), state.vms[v.vm]!.changes, { network: net.name, vm: v.vm });
      }
      await exec.apply([COMMIT_STEP], [], { network: "" });
      for (const net of newNets) state.networks[net.name]!.complete = true;
      for (const v of newVms) state.vms[v.vm]!.complete = true;
      save();
    } catch (e) {
      const errors = await exec.rollback();
      if (errors.length === 0) {
        for (const v of newVms) delete state.vms[v.vm];
        for (const net of newNets) delete state.networks[net.name];
        state.allocations = book.allocations;
        state.remembered = book.remembered;
      }
      save();
      const why = (e as Error).message;
      if (errors.length > 0) {
        throw new NetFailure(`setup failed: ${why}\nthe rollback failed too: ${errors.map((x) => x.message).join("; ")}\nwhat remains is recorded in ${stateDir.file}; tsion net teardown --all retries it`);
      }
      throw new NetFailure(`setup failed: ${why}\neverything this setup changed was undone`);
    }
    return { vms: resolved.map((v) => ({ ...v, status: unchanged.has(v.vm) ? ("unchanged" as const) : ("created" as const) })), commands: runner.count };
  });
}

function dryRunSetup(model: NetworkModel, names: string[], owner: Owner, stateDir: StateDir, runner: Runner, opts: NetOptions): SetupResult {
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  let state: State;
  try {
    state = stateDir.read();
  } catch {
    state = { version: 1, networks: {}, vms: {}, allocations: {}, remembered: {} };
    print(`# ${stateDir.file} is unreadable here: planning as if nothing were set up`);
  }
  const ctx: StepContext = { runner, state: structuredClone(state), stateDir };
  const firewall = (() => {
    try {
      return chooseFirewall(opts.firewall ?? "auto");
    } catch {
      return "nft" as const;
    }
  })();
  const resolved: VmNetwork[] = [];
  const done = new Set<string>();
  const show = (steps: Step[]) => {
    for (const s of steps) for (const a of s.actions(ctx)) print(a.show);
  };
  for (const n of names) {
    const alloc = allocateVm(model, n, ctx.state);
    recordAllocation(ctx.state, n, alloc);
    resolved.push(vmNetwork(model, n, alloc));
  }
  for (const v of resolved) {
    const net = model.networks[v.network]!;
    if (!ctx.state.networks[net.name] && !done.has(net.name)) {
      done.add(net.name);
      print(`# network ${net.name} (${net.topology}${net.subnet ? ` ${net.subnet}` : ""})`);
      const dhcp = net.dhcp && net.topology === "bridge" ? dhcpServer(stateDir, net, net.bridge, model.vms[v.vm]!.dns, `net-${net.name}`) : undefined;
      show(networkSteps(net, net.nat ? firewall : undefined, dhcp));
    }
    if (ctx.state.vms[v.vm]) {
      print(`# VM ${v.vm} is already set up`);
      continue;
    }
    print(`# VM ${v.vm}${v.ip ? ` (${v.ip}, ${v.mac}, ${v.tap})` : v.cid !== undefined ? ` (vsock CID ${v.cid})` : ""}`);
    const tapDhcp = net.dhcp && net.topology === "tap-nat" ? dhcpServer(stateDir, net, v.tap!, model.vms[v.vm]!.dns, `vm-${v.vm}`) : undefined;
    const bridgeDir = net.dhcp && net.topology === "bridge" ? stateDir.dnsmasqDir(`net-${net.name}`) : undefined;
    show(vmSteps(net, v, owner, tapDhcp, bridgeDir));
  }
  return { vms: resolved.map((v) => ({ ...v, status: ctx.state.vms[v.vm] ? ("unchanged" as const) : ("created" as const) })), commands: 0 };
}

// ---------------------------------------------------------------------------
// Teardown

export interface Selection {
  vms?: string[];
  network?: string;
  all?: boolean;
}

export async function teardownNetworking(selection: Selection = {}, opts: NetOptions = {}): Promise<TeardownResult> {
  checkCommon(opts);
  const stateDir = stateDirOf(opts);
  const runner = new Runner({ netns: opts.netns, log: opts.log });
  if (opts.dryRun) return dryRunTeardown(selection, stateDir, runner, opts);
  const privilege = privilegeProblem("teardown", opts.netns);
  if (privilege) throw new NetFailure(privilege);

  return stateDir.withLock(async () => {
    const state = stateDir.read();
    const ctx: StepContext = { runner, state, stateDir };
    const save = () => stateDir.write(state);
    const errors = await recover(ctx, save);
    const { vms, networks, absent } = select(state, selection);
    for (const v of vms) if (state.vms[v]) state.vms[v]!.complete = false;
    for (const n of networks) state.networks[n]!.complete = false;
    save();
    for (const v of vms) {
      const rec = state.vms[v];
      const e = rec ? await undoList(rec.changes, ctx, save) : [];
      errors.push(...e);
      if (e.length === 0) {
        delete state.vms[v];
        releaseAllocation(state, v);
        save();
      }
    }
    for (const n of networks) {
      if (Object.values(state.vms).some((v) => v.network === n)) continue;
      const e = await undoList(state.networks[n]!.changes, ctx, save);
      errors.push(...e);
      if (e.length === 0) {
        delete state.networks[n];
        save();
      }
    }
    if (errors.length > 0) {
      throw new NetFailure(`teardown did not finish: ${errors.map((e) => e.message).join("; ")}\nwhat remains is recorded in ${stateDir.file}; run the teardown again`);
    }
    return { vms, networks, absent, commands: runner.count };
  });
}

/** The VMs and networks a teardown selection covers (a network goes with its last VM). */
function select(state: State, sel: Selection): { vms: string[]; networks: string[]; absent: string[] } {
  const known = new Set([...Object.keys(state.vms), ...Object.keys(state.allocations)]);
  let vms: string[];
  const absent: string[] = [];
  if (sel.all) vms = [...known];
  else if (sel.network !== undefined) vms = [...known].filter((v) => (state.vms[v]?.network ?? state.allocations[v]?.network) === sel.network);
  else {
    const asked = sel.vms && sel.vms.length > 0 ? sel.vms : [DEFAULT_VM];
    vms = asked.filter((v) => known.has(v));
    absent.push(...asked.filter((v) => !known.has(v)));
  }
  const leaving = new Set(vms);
  const networks = Object.keys(state.networks).filter(
    (n) => (sel.all || sel.network === n || vms.some((v) => (state.vms[v]?.network ?? state.allocations[v]?.network) === n)) && Object.entries(state.vms).every(([name, v]) => v.network !== n || leaving.has(name)),
  );
  if (sel.network !== undefined && vms.length === 0 && networks.length === 0) absent.push(`network ${sel.network}`);
  return { vms: vms.sort(), networks: networks.sort(), absent };
}

function dryRunTeardown(selection: Selection, stateDir: StateDir, runner: Runner, opts: NetOptions): TeardownResult {
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const state = structuredClone(stateDir.read());
  const { vms, networks, absent } = select(state, selection);
  for (const v of vms) {
    print(`# VM ${v}`);
    for (const rec of [...(state.vms[v]?.changes ?? [])].reverse()) for (const a of undoActions(rec.change, runner, state)) print(a.show);
    print(`# free the allocation of ${v}`);
  }
  for (const n of networks) {
    print(`# network ${n}`);
    for (const rec of [...state.networks[n]!.changes].reverse()) {
      for (const a of undoActions(rec.change, runner, state)) {
        print(a.show);
        if (rec.change.kind === "forwarding" && a.show.startsWith("#") && state.forwarding) {
          state.forwarding.holders = state.forwarding.holders.filter((h) => h !== n);
        }
      }
    }
  }
  return { vms, networks, absent, commands: 0 };
}

/** The recorded state (for `net status` and host/vm lookups); empty when none. */
export function readNetworkState(opts: NetOptions = {}): State {
  checkCommon(opts);
  return stateDirOf(opts).read();
}
