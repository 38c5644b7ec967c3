/**
 * The steps of `net setup`, in order, each with the change it records (see
 * changes.ts) and the exact commands it runs. Step ids name the points where
 * TSION_NET_FAIL_AT injects a failure (tests only; see setup.ts).
 *
 * Network (once, with its first VM):
 *   bridge.create, bridge.addr, bridge.up        bridge topology
 *   subnet.unreachable                            tap-nat: the subnet's unused addresses go nowhere (not out the default route)
 *   firewall.nft | firewall.iptables-filter, firewall.iptables-nat
 *   forwarding                                    net.ipv4.ip_forward=1, the old value recorded
 *   dhcp.start                                    bridge with DHCP: dnsmasq on the bridge
 * VM:
 *   tap.create                                    ip tuntap add ... user UID [multi_queue]
 *   tap.addr, tap.up, tap.route, tap.proxy-arp    tap-nat shared: host address (noprefixroute), /32 route to the guest
 *   tap.addr, tap.up                              tap-nat routed: the block's first address
 *   tap.master, tap.up                            bridge
 *   dhcp.start                                    tap-nat with DHCP: dnsmasq on the TAP
 *   dhcp.host                                     bridge with DHCP: the VM's static lease, dnsmasq reloads
 * Last: commit (no change; marks the operation complete).
 */
import * as fs from "node:fs";
import { commandActions, type Action, type Change } from "./changes.ts";
import type { Command, Runner } from "./commands.ts";
import { daemonArgs, hostsLine, readHosts, reloadHosts, startDaemon, writeHosts, type DhcpServer } from "./dnsmasq.ts";
import { iptablesChains, iptablesCreate, nftScript } from "./firewall.ts";
import { dottedMask, formatIPv4, parseCidr } from "./addresses.ts";
import type { NetworkSpec, VmNetwork } from "./model.ts";
import type { Owner } from "./privileges.ts";
import type { FirewallKind, State, StateDir } from "./state.ts";

export interface StepContext {
  runner: Runner;
  state: State;
  stateDir: StateDir;
}

export interface Step {
  id: string;
  change?: Change;
  actions(ctx: StepContext): Action[];
}


const commands = (id: string, change: Change | undefined, cmds: Command[]): Step => ({ id, change, actions: (ctx) => commandActions(ctx.runner, cmds) });

export const COMMIT_STEP: Step = { id: "commit", actions: () => [] };

/** The DHCP server of a network (bridge) or of one VM's TAP (tap-nat). */
export function dhcpServer(stateDir: StateDir, net: NetworkSpec, iface: string, dns: string[], instance: string): DhcpServer {
  const c = parseCidr(net.subnet)!;
  return { dir: stateDir.dnsmasqDir(instance), iface, network: formatIPv4(c.addr), netmask: dottedMask(c.prefix), router: net.host, dns };
}

function dhcpStart(id: string, server: DhcpServer, initialHosts: string[]): Step {
  return {
    id,
    change: { kind: "dnsmasq", dir: server.dir },
    actions: (ctx) => [
      {
        show: `# static leases in ${server.dir}/hosts: ${initialHosts.length ? initialHosts.join(" ") : "(none yet)"}`,
        run: async () => {
          fs.mkdirSync(server.dir, { recursive: true, mode: 0o755 });
          writeHosts(server.dir, initialHosts);
        },
      },
      { show: ctx.runner.display({ argv: daemonArgs(server) }), run: async () => void (await startDaemon(ctx.runner, server)) },
    ],
  };
}

export function networkSteps(net: NetworkSpec, firewall: FirewallKind | undefined, dhcp: DhcpServer | undefined): Step[] {
  const steps: Step[] = [];
  if (net.topology === "vsock") return steps;
  if (net.topology === "bridge") {
    const prefix = parseCidr(net.subnet)!.prefix;
    steps.push(
      commands("bridge.create", { kind: "link", name: net.bridge }, [{ argv: ["ip", "link", "add", "name", net.bridge, "type", "bridge"] }]),
      commands("bridge.addr", undefined, [{ argv: ["ip", "addr", "add", `${net.host}/${prefix}`, "dev", net.bridge] }]),
      commands("bridge.up", undefined, [{ argv: ["ip", "link", "set", "dev", net.bridge, "up"] }]),
    );
  }
  if (net.topology === "tap-nat") {
    // Guests have /32 routes (shared) or block routes (routed); the rest of the subnet must not leak out the default route.
    const route = ["unreachable", net.subnet];
    steps.push(commands("subnet.unreachable", { kind: "route", route }, [{ argv: ["ip", "route", "add", ...route] }]));
  }
  if (net.nat && firewall === "nft") {
    steps.push(commands("firewall.nft", { kind: "nft-table", network: net.name }, [{ argv: ["nft", "-f", "-"], input: nftScript(net) }]));
  } else if (net.nat && firewall === "iptables") {
    for (const c of iptablesChains(net)) {
      steps.push(commands(`firewall.iptables-${c.table}`, { kind: "iptables-chain", ...c }, iptablesCreate(net, c)));
    }
  }
  if (net.nat) steps.push(forwardingStep(net.name));
  if (dhcp !== undefined) steps.push(dhcpStart("dhcp.start", dhcp, []));
  return steps;
}

function forwardingStep(network: string): Step {
  const read: Command = { argv: ["sysctl", "-n", "net.ipv4.ip_forward"] };
  const enable: Command = { argv: ["sysctl", "-q", "-w", "net.ipv4.ip_forward=1"] };
  return {
    id: "forwarding",
    change: { kind: "forwarding", network },
    actions: (ctx) => {
      const f = ctx.state.forwarding;
      if (f !== undefined) {
        return [
          {
            show: `# net.ipv4.ip_forward is already held at 1 for network(s) ${f.holders.join(", ") || "(none)"}`,
            run: async () => {
              if (!f.holders.includes(network)) f.holders.push(network);
            },
          },
        ];
      }
      let previous = "";
      return [
        {
          show: `${ctx.runner.display(read)}   # recorded; teardown restores it`,
          run: async () => {
            previous = (await ctx.runner.run(read)).stdout.trim();
            if (!/^[01]$/.test(previous)) throw new Error(`net.ipv4.ip_forward reads ${JSON.stringify(previous)}, expected 0 or 1`);
            ctx.state.forwarding = { previous, holders: [network] };
          },
        },
        {
          show: `${ctx.runner.display(enable)}   # when it is 0`,
          run: async () => {
            if (previous !== "1") await ctx.runner.run(enable);
          },
        },
      ];
    },
  };
}

export function vmSteps(net: NetworkSpec, v: VmNetwork, owner: Owner, tapDhcp: DhcpServer | undefined, bridgeDhcpDir: string | undefined): Step[] {
  if (net.topology === "vsock") return [];
  const tap = v.tap!;
  const create = ["ip", "tuntap", "add", "dev", tap, "mode", "tap", "user", owner.user];
  if (owner.group !== undefined) create.push("group", owner.group);
  if (v.queues > 1) create.push("multi_queue");
  const steps: Step[] = [commands("tap.create", { kind: "link", name: tap }, [{ argv: create }])];
  const up = commands("tap.up", undefined, [{ argv: ["ip", "link", "set", "dev", tap, "up"] }]);
  if (net.topology === "tap-nat" && net.layout === "shared") {
    steps.push(
      // noprefixroute: every TAP of the subnet has the host address; each guest is reached by its own /32 route.
      commands("tap.addr", undefined, [{ argv: ["ip", "addr", "add", `${v.gateway}/${v.prefix}`, "dev", tap, "noprefixroute"] }]),
      up,
      commands("tap.route", undefined, [{ argv: ["ip", "route", "add", `${v.ip}/32`, "dev", tap] }]),
      // Guests of the subnet reach each other through the host: it answers their ARP for one another.
      commands("tap.proxy-arp", undefined, [{ argv: ["sysctl", "-q", "-w", `net.ipv4.conf.${tap}.proxy_arp=1`] }]),
    );
  } else if (net.topology === "tap-nat") {
    steps.push(commands("tap.addr", undefined, [{ argv: ["ip", "addr", "add", `${v.gateway}/${v.prefix}`, "dev", tap] }]), up);
  } else {
    steps.push(commands("tap.master", undefined, [{ argv: ["ip", "link", "set", "dev", tap, "master", net.bridge] }]), up);
  }
  const line = hostsLine(v.mac!, v.ip!);
  if (tapDhcp !== undefined) steps.push(dhcpStart("dhcp.start", tapDhcp, [line]));
  if (bridgeDhcpDir !== undefined) {
    steps.push({
      id: "dhcp.host",
      change: { kind: "dhcp-host", dir: bridgeDhcpDir, line },
      actions: () => [
        {
          show: `# add '${line}' to ${bridgeDhcpDir}/hosts, then kill -HUP dnsmasq (it re-reads its static leases)`,
          run: async () => {
            const lines = readHosts(bridgeDhcpDir);
            if (!lines.includes(line)) writeHosts(bridgeDhcpDir, [...lines, line]);
            await reloadHosts(bridgeDhcpDir);
          },
        },
      ],
    });
  }
  return steps;
}
