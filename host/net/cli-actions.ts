/**
 * What the `tsion net` subcommands do (registered in cli.ts, which loads this
 * module only when a net command runs: it pulls in execa and the whole
 * networking stack). Errors are printed one line each (`tsion: error: ...`);
 * exit status 0 ok, 1 failure (rolled back, invalid configuration, doctor
 * found a blocker), 2 usage error or unreadable file.
 */
import { ConfigFileError, loadNetworkModel } from "./config.ts";
import { formatDoctor, runDoctor } from "./doctor.ts";
import { DEFAULT_VM, formatProblem, ModelError, type NetworkModel } from "./model.ts";
import { AllocationError } from "./allocate.ts";
import { StateError } from "./state.ts";
import { FirewallError } from "./firewall.ts";
import { NetFailure, NetUsageError, readNetworkState, setupNetworking, teardownNetworking, type NetOptions } from "./setup.ts";
import { resolveVmNetworks } from "./index.ts";

export interface Common {
  config?: string;
  stateDir?: string;
  netns?: string;
  json?: boolean;
  verbose?: boolean;
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function netOptions(o: Common & { dryRun?: boolean; owner?: string; firewall?: string }): NetOptions {
  if (o.firewall !== undefined && !["auto", "nft", "iptables"].includes(o.firewall)) {
    throw new NetUsageError(`--firewall '${o.firewall}' is not one of auto, nft, iptables`);
  }
  return {
    stateDir: o.stateDir,
    netns: o.netns,
    owner: o.owner,
    dryRun: o.dryRun,
    firewall: o.firewall as NetOptions["firewall"],
    log: o.verbose ? (l) => process.stderr.write(`${l}\n`) : undefined,
    print: out,
  };
}

/** Runs an action; prints errors as `tsion: error:` lines and sets the exit status. */
async function guarded(fn: () => Promise<number | void>): Promise<void> {
  try {
    const status = await fn();
    if (typeof status === "number" && status > 0) process.exitCode = Math.max(Number(process.exitCode ?? 0), status);
  } catch (e) {
    let status = 1;
    let lines: string[];
    if (e instanceof ModelError) {
      lines = e.problems.map(formatProblem);
      if (e.problems.every((p) => p.source === "command line")) status = 2;
    } else if (e instanceof NetUsageError || e instanceof ConfigFileError || e instanceof StateError) {
      status = 2;
      lines = e.message.split("\n");
    } else if (e instanceof NetFailure || e instanceof AllocationError || e instanceof FirewallError) {
      lines = e.message.split("\n");
    } else {
      if (process.env.TSION_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
      lines = [`internal error: ${(e as Error).message?.split("\n")[0] ?? String(e)}`];
      status = 2;
    }
    for (const l of lines) process.stderr.write(`tsion: error: ${l}\n`);
    process.exitCode = Math.max(Number(process.exitCode ?? 0), status);
  }
}

function describe(model: NetworkModel, v: ReturnType<typeof resolveVmNetworks>[number] & { status?: string }): string {
  const net = model.networks[v.network]!;
  const head = `${v.vm}${v.status ? `: ${v.status}` : ""}`;
  if (v.topology === "vsock") return `${head}  vsock CID ${v.cid}  network ${v.network}`;
  const kind = `${net.topology}${net.topology === "tap-nat" ? ` ${net.layout}` : ` ${net.bridge}`}${net.dhcp ? ", DHCP" : ""}${net.nat ? ", NAT" : ""}`;
  return `${head}  ${v.tap}${v.queues > 1 ? ` (${v.queues} queues)` : ""}  mac ${v.mac}  guest ${v.ip}/${v.prefix} gateway ${v.gateway}  mode ${v.guest.mode}  network ${v.network} (${kind})`;
}

export function setup(vms: string[], o: Common & { dhcp?: boolean; queues?: string; owner?: string; firewall?: string; dryRun?: boolean }): Promise<void> {
  return guarded(async () => {
    const options = netOptions(o);
    const targets = vms.length ? vms : [DEFAULT_VM];
    const model = loadNetworkModel({ config: o.config, vms: targets, dhcp: o.dhcp, queues: o.queues });
    const result = await setupNetworking(model, targets, options);
    if (o.json) out(JSON.stringify(result.vms, null, 2));
    else if (!o.dryRun) for (const v of result.vms) out(describe(model, v));
  });
}

export function teardown(vms: string[], o: Common & { network?: string; all?: boolean; dryRun?: boolean }): Promise<void> {
  return guarded(async () => {
    if ((o.all ? 1 : 0) + (o.network ? 1 : 0) + (vms.length ? 1 : 0) > 1) throw new NetUsageError("give VM names, --network or --all, not several");
    const r = await teardownNetworking({ vms, network: o.network, all: o.all }, netOptions(o));
    if (o.json) out(JSON.stringify(r, null, 2));
    else if (!o.dryRun) {
      for (const v of r.vms) out(`${v}: torn down`);
      for (const n of r.networks) out(`network ${n}: torn down`);
      for (const a of r.absent) out(`${a}: not set up, nothing to do`);
    }
  });
}

export function status(o: Common): Promise<void> {
  return guarded(async () => {
    const s = readNetworkState(netOptions(o));
    if (o.json) return out(JSON.stringify(s, null, 2));
    const nets = Object.entries(s.networks);
    if (nets.length === 0 && Object.keys(s.allocations).length === 0) return out("nothing is set up");
    for (const [name, n] of nets) out(`network ${name}: ${n.spec.topology} ${n.spec.subnet}${n.firewall ? `, NAT via ${n.firewall}` : ""}${n.complete ? "" : " (incomplete)"}`);
    for (const [vm, a] of Object.entries(s.allocations)) {
      const v = s.vms[vm];
      out(`  ${vm}: ${a.cid !== undefined ? `CID ${a.cid}` : `${a.tap} ${a.mac} ${a.ip}`} in ${a.network}${v ? (v.complete ? ", set up" : ", incomplete") : ", allocated only"}`);
    }
    if (s.forwarding) out(`net.ipv4.ip_forward held at 1 for ${s.forwarding.holders.join(", ")} (was ${s.forwarding.previous})`);
  });
}

export function show(vms: string[], o: Common & { guest?: boolean }): Promise<void> {
  return guarded(async () => {
    const targets = vms.length ? vms : [DEFAULT_VM];
    if (o.guest && targets.length !== 1) throw new NetUsageError("--guest prints the configuration of one VM; name one");
    const model = loadNetworkModel({ config: o.config, vms: targets });
    const list = resolveVmNetworks(model, targets, netOptions(o));
    if (o.guest) return out(JSON.stringify(list[0]!.guest, null, 2));
    if (o.json) return out(JSON.stringify(list, null, 2));
    for (const v of list) out(`${describe(model, v)}\n  guest: ${JSON.stringify(v.guest)}`);
  });
}

export function doctor(vms: string[], o: Common & { owner?: string }): Promise<void> {
  return guarded(async () => {
    const model = loadNetworkModel({ config: o.config, vms });
    const report = await runDoctor(model, vms, { stateDir: o.stateDir, netns: o.netns, owner: o.owner });
    out(o.json ? JSON.stringify(report, null, 2) : formatDoctor(report));
    return report.ok ? 0 : 1;
  });
}
