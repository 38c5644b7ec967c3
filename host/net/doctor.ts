/**
 * `net doctor`: what would block running VMs on this host's network, each
 * finding with a fix. Read-only: it lists and reads, and never loads a
 * table (iptables-legacy-save only prints tables that exist). A `fail`
 * blocks a run (exit 1); a `warn` may surprise; `skip` could not be checked.
 */
import * as fs from "node:fs";
import { execa } from "execa";
import { allocateVm, AllocationError, recordAllocation } from "./allocate.ts";
import { Runner } from "./commands.ts";
import { unreachableByDaemon } from "./dnsmasq.ts";
import { clashes, readHostView, type Clash } from "./host-view.ts";
import { DEFAULT_VM, vmNetwork, type NetworkModel, type VmNetwork } from "./model.ts";
import { privilegeProblem, resolveOwner } from "./privileges.ts";
import { defaultStateDir, StateDir, type State } from "./state.ts";
import { findExecutable } from "../executables.ts";

export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface Check {
  id: string;
  status: CheckStatus;
  message: string;
  /** How to fix it (fail, warn). */
  hint?: string;
}

export interface DoctorReport {
  /** No check failed. */
  ok: boolean;
  checks: Check[];
}

export interface DoctorOptions {
  stateDir?: string;
  netns?: string;
  owner?: string;
  /** Executables are looked up with this PATH (tests). */
  path?: string;
  /** Device paths (tests). */
  devices?: { tun?: string; kvm?: string; vsock?: string };
}

function charDevice(p: string): boolean {
  try {
    return fs.statSync(p).isCharacterDevice();
  } catch {
    return false;
  }
}

interface NftObject {
  chain?: { family: string; table: string; name: string; hook?: string; policy?: string };
  rule?: { family: string; table: string; chain: string; expr: unknown[] };
  table?: { family: string; name: string };
}

export async function runDoctor(model: NetworkModel, vms: string[] = [], opts: DoctorOptions = {}): Promise<DoctorReport> {
  const checks: Check[] = [];
  const add = (c: Check) => checks.push(c);
  const find = (n: string) => findExecutable(n, opts.path ?? process.env.PATH ?? "");
  const runner = new Runner({ netns: opts.netns, timeoutMs: 10_000 });
  const names = vms.length > 0 ? vms : Object.keys(model.vms).length > 0 ? Object.keys(model.vms) : [DEFAULT_VM];
  const nets = [...new Set(names.map((n) => model.networks[model.vms[n]?.network ?? ""]).filter((n) => n !== undefined))];
  const ipNets = nets.filter((n) => n.topology !== "vsock");
  const natNets = nets.filter((n) => n.nat);

  // /dev/net/tun
  const tun = opts.devices?.tun ?? "/dev/net/tun";
  if (ipNets.length === 0) add({ id: "tun", status: "ok", message: "no TAP is needed (vsock only)" });
  else if (charDevice(tun)) add({ id: "tun", status: "ok", message: `${tun} is present` });
  else add({ id: "tun", status: "fail", message: `${tun} is missing: no TAP device can be created`, hint: "load the tun module (modprobe tun); in a container, pass the device (docker run --device /dev/net/tun --cap-add NET_ADMIN)" });

  // privileges
  const privilege = privilegeProblem("setup", opts.netns);
  const privileged = privilege === "";
  if (privileged) add({ id: "privileges", status: "ok", message: "this process may change the network (CAP_NET_ADMIN)" });
  else add({ id: "privileges", status: "fail", message: "net setup and teardown need root, and so do some of these checks", hint: "run `sudo tsion net doctor`, then `sudo tsion net setup`; the TAPs are owned by you, so the VMM itself needs no root" });

  // firewall tools and the mix of both
  const nft = find("nft");
  const iptables = find("iptables");
  const legacy = find("iptables-legacy");
  let variant = "";
  if (iptables) variant = (await execa(iptables, ["-V"], { reject: false })).stdout.match(/\((\w+)\)/)?.[1] ?? "";
  if (natNets.length === 0) add({ id: "firewall", status: "ok", message: "no network needs NAT" });
  else if (nft) add({ id: "firewall", status: "ok", message: `nft found: NAT rules go in nftables tables tsion-<network>${iptables ? ` (iptables is also here, the ${variant || "unknown"} variant; tsion does not use it)` : ""}` });
  else if (iptables) add({ id: "firewall", status: "warn", message: `nft is missing: NAT falls back to iptables (${variant || "unknown"} variant), chains tsion-<network>-fwd/-nat`, hint: "install nftables (apt install nftables) to keep tsion's rules in a table of its own" });
  else add({ id: "firewall", status: "fail", message: "neither nft nor iptables is installed: NAT rules cannot be added", hint: "apt install nftables" });

  let ruleset: NftObject[] = [];
  let legacySave = "";
  if (!privileged) {
    add({ id: "firewall-mix", status: "skip", message: "reading the firewall needs root" });
  } else {
    if (nft) ruleset = (JSON.parse((await runner.run({ argv: ["nft", "-j", "list", "ruleset"] }).catch(() => ({ stdout: "" }))).stdout || '{"nftables":[]}') as { nftables: NftObject[] }).nftables;
    if (legacy) legacySave = (await runner.run({ argv: ["iptables-legacy-save"] }).catch(() => ({ stdout: "" }))).stdout;
    const legacyRules = legacySave.split("\n").filter((l) => l.startsWith("-A ") || /^:\S+ DROP/.test(l));
    const nftTables = ruleset.filter((o) => o.table).map((o) => `${o.table!.family} ${o.table!.name}`);
    if (legacyRules.length > 0 && nftTables.length > 0) {
      add({
        id: "firewall-mix",
        status: "warn",
        message: `rules in both iptables-legacy (${legacyRules.length}) and nftables (tables ${nftTables.join(", ")}): packets pass through both, and each tool shows only half`,
        hint: "keep one backend: move the legacy rules over (iptables-legacy-save | iptables-nft-restore, then iptables-legacy -F / -X per table) and select it (update-alternatives --set iptables /usr/sbin/iptables-nft)",
      });
    } else {
      add({ id: "firewall-mix", status: "ok", message: legacyRules.length > 0 ? "iptables-legacy rules only" : nftTables.length > 0 ? `nftables only (${nftTables.length} table(s))` : "no firewall rules" });
    }
  }

  // FORWARD policy drop (Docker)
  if (natNets.length === 0) add({ id: "forward-policy", status: "ok", message: "no network forwards traffic" });
  else if (!privileged) add({ id: "forward-policy", status: "skip", message: "reading the firewall needs root" });
  else {
    const marks = natNets.flatMap((n) => [n.subnet.split("/")[0]!, n.bridge].filter(Boolean));
    const taps = names.map((n) => model.vms[n]?.tap).filter((t): t is string => !!t);
    const mentions = (text: string) => [...marks, ...taps].some((m) => text.includes(`"${m}"`) || text.includes(` ${m}`) || text.includes(`${m}/`));
    const blocking: string[] = [];
    for (const o of ruleset) {
      const c = o.chain;
      if (!c || c.hook !== "forward" || c.policy !== "drop") continue;
      const accepted = ruleset.some((r) => r.rule && r.rule.family === c.family && r.rule.table === c.table && JSON.stringify(r.rule.expr).includes('"accept"') && mentions(JSON.stringify(r.rule.expr)));
      if (!accepted) blocking.push(`${c.family} ${c.table} ${c.name}`);
    }
    if (/^:FORWARD DROP/m.test(legacySave)) {
      const accepted = legacySave.split("\n").some((l) => l.startsWith("-A ") && l.includes("-j ACCEPT") && mentions(`${l} `));
      if (!accepted) blocking.push("iptables-legacy filter FORWARD");
    }
    const docker = ruleset.some((o) => o.chain?.name === "DOCKER-USER") || legacySave.includes(":DOCKER-USER");
    if (blocking.length === 0) add({ id: "forward-policy", status: "ok", message: "no FORWARD chain drops the VMs' traffic by policy" });
    else {
      const s = natNets[0]!.subnet;
      add({
        id: "forward-policy",
        status: "fail",
        message: `forwarded traffic is dropped by the policy of ${blocking.join(", ")}${docker ? " (Docker sets this)" : ""}: the VMs would reach the host but nothing beyond it. tsion's own accept rules cannot override a drop in another table`,
        hint: docker
          ? `let the VMs through Docker's user chain: iptables -I DOCKER-USER -s ${s} -j ACCEPT; iptables -I DOCKER-USER -d ${s} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`
          : `accept the VMs' traffic in that chain, e.g. nft insert rule ${blocking[0]} ip saddr ${s} accept; nft insert rule ${blocking[0]} ip daddr ${s} ct state established,related accept`,
      });
    }
  }

  // ip_forward
  const stateDir = new StateDir(opts.stateDir ?? defaultStateDir(opts.netns));
  let state: State;
  try {
    state = stateDir.read();
  } catch (e) {
    state = { version: 1, networks: {}, vms: {}, allocations: {}, remembered: {} };
    add({ id: "state", status: "warn", message: (e as Error).message });
  }
  if (natNets.length === 0) add({ id: "ip-forward", status: "ok", message: "no network forwards traffic" });
  else if (opts.netns !== undefined && !privileged) add({ id: "ip-forward", status: "skip", message: "entering the namespace needs root" });
  else {
    const value = (await runner.run({ argv: ["sysctl", "-n", "net.ipv4.ip_forward"] }).catch(() => ({ stdout: "?" }))).stdout.trim();
    const holders = state.forwarding?.holders ?? [];
    if (value === "1") add({ id: "ip-forward", status: "ok", message: `net.ipv4.ip_forward is 1${holders.length ? ` (held by tsion for ${holders.join(", ")})` : ""}` });
    else if (holders.length > 0) add({ id: "ip-forward", status: "fail", message: `net.ipv4.ip_forward is ${value}, but networks ${holders.join(", ")} need it: something reset it`, hint: "sysctl -w net.ipv4.ip_forward=1 (and find what turned it off: a firewall service, a container runtime)" });
    else add({ id: "ip-forward", status: "ok", message: `net.ipv4.ip_forward is ${value}: setup turns it on and teardown puts ${value} back` });
  }

  // clashes: TAP and address names, subnets
  if (ipNets.length === 0) {
    add({ id: "interfaces", status: "ok", message: "no interface is needed" });
  } else if (opts.netns !== undefined && !privileged) {
    for (const id of ["interfaces", "addresses", "subnets"]) add({ id, status: "skip", message: "entering the namespace needs root" });
  } else {
    const view = await readHostView(runner);
    const book = structuredClone({ allocations: state.allocations, remembered: state.remembered });
    const planned: VmNetwork[] = [];
    const allocProblems: string[] = [];
    for (const n of names) {
      if (model.vms[n] === undefined) continue;
      try {
        const a = allocateVm(model, n, book);
        recordAllocation(book, n, a);
        if (state.vms[n] === undefined && model.networks[a.network]!.topology !== "vsock") planned.push(vmNetwork(model, n, a));
      } catch (e) {
        if (!(e instanceof AllocationError)) throw e;
        allocProblems.push(e.message);
      }
    }
    const found = clashes(view, model, state, { networks: ipNets.filter((n) => state.networks[n.name] === undefined), vms: planned });
    const report = (id: string, kinds: Clash["kind"][], okText: string, hint: string, extra: string[] = []) => {
      const msgs = [...found.filter((c) => kinds.includes(c.kind)).map((c) => c.message), ...extra];
      add(msgs.length === 0 ? { id, status: "ok", message: okText } : { id, status: "fail", message: msgs.join("; "), hint });
    };
    report("interfaces", ["interface"], `no TAP or bridge name is taken (${[...new Set([...planned.map((v) => v.tap!), ...ipNets.map((n) => n.bridge).filter(Boolean)])].join(", ") || "all set up"})`, "rename the TAP (tap = \"...\" for the VM, or TAP_NAME) or remove the old device");
    report("addresses", ["address"], "no host or guest address is already in use", "choose other addresses (host, ip, HOST_IP, GUEST_IP) or remove them from the interface holding them", allocProblems);
    report("subnets", ["subnet"], `no subnet overlaps a route or another managed network (${ipNets.map((n) => n.subnet).join(", ")})`, "choose a free subnet in the configuration (subnet = ...) or HOST_IP");
  }

  // dnsmasq
  if (nets.some((n) => n.dhcp)) {
    const why = unreachableByDaemon(stateDir.dir);
    if (!find("dnsmasq")) add({ id: "dnsmasq", status: "fail", message: "dnsmasq is missing and a network uses DHCP", hint: "apt install dnsmasq-base (the binary without the system service)" });
    else if (why) add({ id: "dnsmasq", status: "fail", message: `dnsmasq runs as nobody and cannot reach ${stateDir.dir}: ${why}`, hint: "use a --state-dir whose parents are searchable (chmod o+x), e.g. the default /run/tsion" });
    else add({ id: "dnsmasq", status: "ok", message: "dnsmasq is installed" });
  }

  // hypervisors
  const hv = ["cloud-hypervisor", "qemu-system-x86_64"].filter((h) => find(h) !== null);
  if (hv.length > 0) add({ id: "hypervisor", status: "ok", message: `found ${hv.join(", ")}` });
  else add({ id: "hypervisor", status: "fail", message: "neither cloud-hypervisor nor qemu-system-x86_64 is installed", hint: "install Cloud Hypervisor (a static binary from its GitHub releases) or QEMU (apt install qemu-system-x86)" });

  // /dev/kvm, for the user who will run the VMM
  const kvm = opts.devices?.kvm ?? "/dev/kvm";
  const owner = resolveOwner(opts.owner);
  if (!charDevice(kvm)) {
    add({ id: "kvm", status: "fail", message: `${kvm} is missing: VMs would run without hardware virtualization (Cloud Hypervisor needs it)`, hint: "enable virtualization in the firmware (or nested virtualization in the VM you are in) and load kvm_intel or kvm_amd" });
  } else {
    const access = await kvmAccess(kvm, owner.user);
    add(access === "" ? { id: "kvm", status: "ok", message: `${kvm} is usable by user ${owner.user}` } : { id: "kvm", status: "warn", message: `${kvm}: ${access}`, hint: `add the user to the device's group (usermod -aG kvm ${owner.user}) and log in again` });
  }

  if (nets.some((n) => n.topology === "vsock")) {
    const vsock = opts.devices?.vsock ?? "/dev/vhost-vsock";
    add(charDevice(vsock) ? { id: "vsock", status: "ok", message: `${vsock} is present` } : { id: "vsock", status: "warn", message: `${vsock} is missing (QEMU's vhost-vsock-pci needs it; Cloud Hypervisor's vsock uses a Unix socket)`, hint: "modprobe vhost_vsock" });
  }

  return { ok: !checks.some((c) => c.status === "fail"), checks };
}

/** "" when `user` can read and write the device, else why not. */
async function kvmAccess(device: string, user: string): Promise<string> {
  const st = fs.statSync(device);
  const ids = await execa("id", ["-u", user], { reject: false });
  const groups = await execa("id", ["-G", user], { reject: false });
  if (ids.exitCode !== 0) return `cannot look up user ${user}`;
  const uid = Number(ids.stdout.trim());
  if (uid === 0) return "";
  const gids = groups.stdout.trim().split(/\s+/).map(Number);
  const rw = (bits: number) => (bits & 0o6) === 0o6;
  if (st.uid === uid && rw(st.mode >> 6)) return "";
  if (gids.includes(st.gid) && rw(st.mode >> 3)) return "";
  if (rw(st.mode)) return "";
  return `user ${user} (uid ${uid}) cannot open it (mode ${(st.mode & 0o777).toString(8)}, group ${st.gid})`;
}

export function formatDoctor(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.id.length));
  const lines: string[] = [];
  for (const c of report.checks) {
    const tag = { ok: "ok  ", warn: "warn", fail: "FAIL", skip: "skip" }[c.status];
    lines.push(`${tag}  ${c.id.padEnd(width)}  ${c.message}`);
    if (c.hint && (c.status === "fail" || c.status === "warn")) lines.push(`${" ".repeat(width + 8)}fix: ${c.hint}`);
  }
  lines.push(report.ok ? "\nnothing blocks a run" : `\n${report.checks.filter((c) => c.status === "fail").length} problem(s) block a run`);
  return lines.join("\n");
}
