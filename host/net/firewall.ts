/**
 * NAT and forward rules of one network, in a place tsion owns alone:
 * an nftables table `inet tsion-NAME`, or, only where `nft` is missing, the
 * iptables chains `tsion-NAME-fwd` (filter) and `tsion-NAME-nat` (nat) with
 * one jump each from FORWARD and POSTROUTING. Removing the table (or the
 * jumps and chains) removes every rule tsion added and nothing else.
 *
 * The forward rules accept the network's traffic and count it. In nftables
 * an accept in one table cannot override a drop in another (every base chain
 * on the hook must accept), so a FORWARD policy of drop elsewhere (Docker)
 * still drops it: `tsion net doctor` reports that and how to let it through.
 */
import type { Command } from "./commands.ts";
import { nftTableName, type NetworkSpec } from "./model.ts";
import type { FirewallKind } from "./state.ts";
import { findExecutable } from "../executables.ts";

export class FirewallError extends Error {}

/** `auto`: nft when present, else iptables; an explicit choice must be installed. */
export function chooseFirewall(choice: "auto" | FirewallKind, find: (name: string) => string | null = findExecutable): FirewallKind {
  if (choice !== "auto") {
    if (find(choice) === null) throw new FirewallError(`--firewall ${choice}: \`${choice}\` is not installed`);
    return choice;
  }
  if (find("nft") !== null) return "nft";
  if (find("iptables") !== null) return "iptables";
  throw new FirewallError("NAT needs nftables or iptables, and neither `nft` nor `iptables` is installed (Debian: apt install nftables)");
}

export function nftScript(net: NetworkSpec): string {
  const t = nftTableName(net.name);
  const s = net.subnet;
  // Declaring, deleting and re-declaring in one transaction replaces a table left by a lost state instead of adding to it.
  return [
    `table inet ${t} {}`,
    `delete table inet ${t}`,
    `table inet ${t} {`,
    `\tchain forward {`,
    `\t\ttype filter hook forward priority filter; policy accept;`,
    `\t\tip saddr ${s} counter accept comment "from the VMs of ${net.name}"`,
    `\t\tip daddr ${s} ct state established,related counter accept comment "replies to the VMs of ${net.name}"`,
    `\t}`,
    `\tchain postrouting {`,
    `\t\ttype nat hook postrouting priority srcnat; policy accept;`,
    `\t\tip saddr ${s} ip daddr != ${s} counter masquerade comment "NAT for the VMs of ${net.name}"`,
    `\t}`,
    `}`,
    "",
  ].join("\n");
}

export const NFT_GONE = /No such file or directory/;

export function nftDeleteTable(network: string): Command {
  return { argv: ["nft", "delete", "table", "inet", nftTableName(network)], tolerate: NFT_GONE };
}

export interface IptablesChain {
  table: "filter" | "nat";
  chain: string;
  parent: "FORWARD" | "POSTROUTING";
}

export function iptablesChains(net: NetworkSpec): IptablesChain[] {
  return [
    { table: "filter", chain: `tsion-${net.name}-fwd`, parent: "FORWARD" },
    { table: "nat", chain: `tsion-${net.name}-nat`, parent: "POSTROUTING" },
  ];
}

const IPT_GONE = /No chain\/target\/match by that name|does a matching rule exist|Couldn't load target|doesn't exist|does not exist/i;

const ipt = (table: string, ...args: string[]): string[] => ["iptables", "-w", "-t", table, ...args];

/** Removes the jump and the chain; tolerates either being gone. */
export function iptablesRemove(c: IptablesChain): Command[] {
  return [
    { argv: ipt(c.table, "-D", c.parent, "-j", c.chain), tolerate: IPT_GONE },
    { argv: ipt(c.table, "-F", c.chain), tolerate: IPT_GONE },
    { argv: ipt(c.table, "-X", c.chain), tolerate: IPT_GONE },
  ];
}

/** Creates the chain with its rules and the jump to it (after removing a leftover of the same name). */
export function iptablesCreate(net: NetworkSpec, c: IptablesChain): Command[] {
  const s = net.subnet;
  const rules =
    c.table === "filter"
      ? [
          ["-A", c.chain, "-s", s, "-j", "ACCEPT"],
          ["-A", c.chain, "-d", s, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"],
        ]
      : [["-A", c.chain, "-s", s, "!", "-d", s, "-j", "MASQUERADE"]];
  // At the top of FORWARD, so a DROP policy or a later REJECT does not eat the VMs' traffic.
  const jump = c.table === "filter" ? ["-I", c.parent, "1", "-j", c.chain] : ["-A", c.parent, "-j", c.chain];
  return [...iptablesRemove(c), { argv: ipt(c.table, "-N", c.chain) }, ...rules.map((r) => ({ argv: ipt(c.table, ...r) })), { argv: ipt(c.table, ...jump) }];
}
