/**
 * What setup changes on the host, as records kept in the state directory,
 * and the one way each is undone. Teardown, the rollback of a failed setup
 * and the recovery after a crash all undo through `undoActions`, so what is
 * removed is exactly what was recorded. Every undo tolerates finding its
 * change already gone (idempotent teardown).
 */
import * as fs from "node:fs";
import type { Runner } from "./commands.ts";
import { daemonPid, dhcpFiles, readHosts, reloadHosts, stopDaemon, writeHosts } from "./dnsmasq.ts";
import { iptablesRemove, nftDeleteTable, type IptablesChain } from "./firewall.ts";
import type { State } from "./state.ts";

export type Change =
  /** A TAP or bridge we created (its addresses, routes and per-interface sysctls go with it). */
  | { kind: "link"; name: string }
  /** A route without a device (`unreachable SUBNET`), as `ip route` arguments. */
  | { kind: "route"; route: string[] }
  /** The nftables table inet tsion-NETWORK. */
  | { kind: "nft-table"; network: string }
  /** An iptables chain of ours and the jump to it. */
  | ({ kind: "iptables-chain" } & IptablesChain)
  /** The network holds net.ipv4.ip_forward at 1 (State.forwarding has the value to restore). */
  | { kind: "forwarding"; network: string }
  /** A dnsmasq daemon of ours and its directory. */
  | { kind: "dnsmasq"; dir: string }
  /** A static lease line in a dnsmasq hosts file. */
  | { kind: "dhcp-host"; dir: string; line: string };

/**
 * Whether a step that failed may have left part of its change behind. A
 * single `ip link add`, `ip route add` or `nft -f` either happens or not, so a failed one is
 * not undone (its name may belong to someone else); the others are undone
 * whatever happened, which is safe because their undo checks what it removes.
 */
export function mayBePartial(change: Change): boolean {
  return change.kind !== "link" && change.kind !== "route" && change.kind !== "nft-table";
}

export interface Action {
  /** The command (or a `#` note for what is not a command), as --dry-run prints it. */
  show: string;
  run(): Promise<void>;
}

const LINK_GONE = /Cannot find device|does not exist/;
const DNSMASQ_DIR = /^\/.+\/dnsmasq\/(net|vm)-[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function commandActions(runner: Runner, cmds: Parameters<Runner["run"]>[0][]): Action[] {
  return cmds.map((c) => ({ show: runner.display(c), run: async () => void (await runner.run(c)) }));
}

export function undoActions(change: Change, runner: Runner, state: State): Action[] {
  switch (change.kind) {
    case "link":
      return commandActions(runner, [{ argv: ["ip", "link", "del", "dev", change.name], tolerate: LINK_GONE }]);
    case "route":
      return commandActions(runner, [{ argv: ["ip", "route", "del", ...change.route], tolerate: /No such process/ }]);
    case "nft-table":
      return commandActions(runner, [nftDeleteTable(change.network)]);
    case "iptables-chain":
      return commandActions(runner, iptablesRemove(change));
    case "forwarding": {
      const f = state.forwarding;
      const rest = f?.holders.filter((h) => h !== change.network) ?? [];
      const actions: Action[] = [
        {
          show: `# network ${change.network} no longer needs net.ipv4.ip_forward`,
          run: async () => {
            if (state.forwarding) state.forwarding.holders = state.forwarding.holders.filter((h) => h !== change.network);
          },
        },
      ];
      if (f !== undefined && rest.length === 0) {
        if (f.previous !== "1") actions.push(...commandActions(runner, [{ argv: ["sysctl", "-q", "-w", `net.ipv4.ip_forward=${f.previous}`] }]));
        actions.push({ show: "# the value before tsion is restored", run: async () => void delete state.forwarding });
      }
      return actions;
    }
    case "dnsmasq": {
      // Defence in depth: only ever remove a directory shaped like ours (state.ts dnsmasqDir).
      if (!DNSMASQ_DIR.test(change.dir)) throw new Error(`refusing to remove ${change.dir}: not a dnsmasq directory of tsion's`);
      const pid = daemonPid(change.dir);
      return [
        {
          show: `kill -TERM ${pid ?? `$(cat ${dhcpFiles(change.dir).pid})`} && rm -r ${change.dir}`,
          run: () => stopDaemon(change.dir),
        },
      ];
    }
    case "dhcp-host":
      return [
        {
          show: `# remove '${change.line}' from ${dhcpFiles(change.dir).hosts}, then kill -HUP dnsmasq`,
          run: async () => {
            if (!fs.existsSync(change.dir)) return;
            writeHosts(change.dir, readHosts(change.dir).filter((l) => l !== change.line));
            await reloadHosts(change.dir);
          },
        },
      ];
  }
}
