/**
 * What the host's network looks like (links, addresses, routes; read with
 * `ip -j`), and the clash rules that setup enforces before changing
 * anything and `net doctor` reports: a TAP or bridge name taken by a link
 * tsion did not create, a host or guest address already on a foreign link,
 * a subnet overlapping a foreign route or another managed network.
 */
import { formatCidr, overlaps, parseCidr, parseIPv4, type Cidr } from "./addresses.ts";
import type { Runner } from "./commands.ts";
import { segmentOf, type NetworkModel, type NetworkSpec, type VmNetwork } from "./model.ts";
import { managedLinks, type State } from "./state.ts";

export interface HostLink {
  name: string;
  /** linkinfo.info_kind (tun, bridge, veth...), "" for a plain device. */
  kind: string;
  master?: string;
  /** IPv4 addresses as a.b.c.d/n. */
  addrs: string[];
}

export interface HostRoute {
  dst: string;
  dev?: string;
  table?: string;
  type?: string;
}

export interface HostView {
  links: HostLink[];
  routes: HostRoute[];
}

interface IpAddrJson {
  ifname: string;
  master?: string;
  linkinfo?: { info_kind?: string };
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

export async function readHostView(runner: Runner): Promise<HostView> {
  const links = (JSON.parse((await runner.read(["ip", "-j", "-d", "addr", "show"])) || "[]") as IpAddrJson[]).map((l) => ({
    name: l.ifname,
    kind: l.linkinfo?.info_kind ?? "",
    master: l.master,
    addrs: (l.addr_info ?? []).filter((a) => a.family === "inet").map((a) => `${a.local}/${a.prefixlen}`),
  }));
  const routes = JSON.parse((await runner.read(["ip", "-j", "-4", "route", "show", "table", "all"])) || "[]") as HostRoute[];
  return { links, routes };
}

/** What one setup is about to create. */
export interface Targets {
  /** Networks not set up yet. */
  networks: NetworkSpec[];
  /** VMs not set up yet (tap-nat and bridge). */
  vms: VmNetwork[];
}

export interface Clash {
  /** tap, address, subnet */
  kind: "interface" | "address" | "subnet";
  message: string;
}

/** A route that carries traffic for its prefix (main-table unicast, not the default route). */
function routeCidr(r: HostRoute): Cidr | null {
  if ((r.type !== undefined && r.type !== "unicast") || (r.table !== undefined && r.table !== "main") || r.dst === "default") return null;
  return parseCidr(r.dst.includes("/") ? r.dst : `${r.dst}/32`);
}

export function clashes(view: HostView, model: NetworkModel, state: State, targets: Targets): Clash[] {
  const ours = managedLinks(state);
  const out: Clash[] = [];
  const foreign = view.links.filter((l) => !ours.has(l.name));
  const linkNamed = (name: string) => foreign.find((l) => l.name === name);
  const holderOf = (addr: string) => foreign.find((l) => l.addrs.some((a) => a.split("/")[0] === addr));

  const newLinks: [string, string][] = [];
  for (const n of targets.networks) if (n.topology === "bridge") newLinks.push([n.bridge, `the bridge of network ${n.name}`]);
  for (const v of targets.vms) if (v.tap) newLinks.push([v.tap, `the TAP of VM ${v.vm}`]);
  for (const [name, what] of newLinks) {
    const l = linkNamed(name);
    if (l) {
      out.push({
        kind: "interface",
        message: `${name} (${what}) already exists as a ${l.kind || "network"} device tsion did not create; choose another name (tap = "..." in the configuration, TAP_NAME) or delete it (ip link del ${name})`,
      });
    }
  }

  const segments: [Cidr, string, string][] = [];
  for (const n of targets.networks) {
    if (n.topology === "vsock") continue;
    if (n.layout !== "routed") segments.push([parseCidr(n.subnet)!, `network ${n.name}`, n.name]);
    if (n.topology === "bridge") {
      const h = holderOf(n.host);
      if (h) out.push({ kind: "address", message: `${n.host} (the host address of network ${n.name}) is already an address of ${h.name}` });
    }
  }
  for (const v of targets.vms) {
    const net = model.networks[v.network]!;
    if (net.layout === "routed") segments.push([segmentOf(net, parseIPv4(v.ip!)!), `VM ${v.vm}'s block`, net.name]);
    if (net.topology === "tap-nat") {
      const h = holderOf(v.gateway!);
      if (h) out.push({ kind: "address", message: `${v.gateway} (the host end of VM ${v.vm}) is already an address of ${h.name}` });
    }
    const g = view.links.find((l) => l.addrs.some((a) => a.split("/")[0] === v.ip));
    if (g) out.push({ kind: "address", message: `${v.ip} (the address of VM ${v.vm}) is an address of this host (on ${g.name})` });
  }
  for (const [seg, what, network] of segments) {
    for (const r of view.routes) {
      const c = routeCidr(r);
      if (c === null || (r.dev !== undefined && ours.has(r.dev))) continue;
      if (overlaps(seg, c)) {
        out.push({ kind: "subnet", message: `${formatCidr(seg)} (${what}) overlaps the route ${r.dst}${r.dev ? ` dev ${r.dev}` : ""}; choose another subnet` });
      }
    }
    for (const [name, ns] of Object.entries(state.networks)) {
      if (name === network || ns.spec.topology === "vsock") continue;
      const c = parseCidr(ns.spec.subnet);
      if (c && overlaps(seg, c)) out.push({ kind: "subnet", message: `${formatCidr(seg)} (${what}) overlaps ${ns.spec.subnet} of the managed network ${name}` });
    }
  }
  return out;
}
