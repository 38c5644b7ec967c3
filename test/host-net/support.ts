// Shared by the host networking tests that run for real: whether they can
// run here, throwaway namespaces with their own state directory, full dumps
// of a namespace's network state, and the CLI run inside a namespace.
// Nothing here touches the machine's own namespace: every command is
// `ip netns add|del|exec`, `ip -n <ours>` or runs under `ip netns exec <ours>`.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { findExecutable } from "../../host/executables.ts";
import { addNetns, deleteNetns, netnsName, sweepStaleNetns } from "../../runtime-shims/netns/namespaces.ts";
import { missingForDhcpLab } from "../../runtime-shims/netns/requirements.ts";
import { requirement } from "../support/requirements.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const TSION = path.join(ROOT, "bin", "tsion.mjs");

async function missingHere(): Promise<string[]> {
  const missing = await missingForDhcpLab();
  for (const [tool, pkg] of [
    ["nft", "nftables"],
    ["iptables", "iptables"],
    ["iptables-legacy", "iptables"],
    ["sysctl", "procps"],
    ["setpriv", "util-linux"],
    ["ss", "iproute2"],
  ]) {
    if (!findExecutable(tool!)) missing.push(`\`${tool}\` not found (Debian package ${pkg})`);
  }
  if (!fs.existsSync("/dev/net/tun")) missing.push("/dev/net/tun is missing (TAP devices cannot be created)");
  return missing;
}

/** Root, namespaces, ip, nft, iptables, dnsmasq, udhcpc, sysctl, setpriv, /dev/net/tun. */
export const need = requirement("test/host-net", await missingHere());

export async function run(cmd: string, args: string[], opts: { input?: string; reject?: boolean } = {}): Promise<string> {
  const r = await execa(findExecutable(cmd) ?? cmd, args, { input: opts.input, reject: false, timeout: 30_000, env: { LC_ALL: "C" } });
  if (r.exitCode !== 0 && opts.reject !== false) throw new Error(`${cmd} ${args.join(" ")} failed (${r.exitCode}): ${r.stderr}`);
  return r.stdout;
}

/** `cmd` inside the namespace. */
export function inNs(ns: string, cmd: string, args: string[], opts: { input?: string; reject?: boolean } = {}): Promise<string> {
  return run("ip", ["netns", "exec", ns, cmd, ...args], opts);
}

export interface Lab {
  ns: string;
  /** State directory (mode 0755 so dnsmasq, as nobody, reaches its files). */
  stateDir: string;
  /** Scratch directory (config files). */
  dir: string;
}

/** A fresh namespace (lo up) and state directory; both removed afterwards, whatever happens. */
export async function withLab<T>(fn: (lab: Lab) => Promise<T>): Promise<T> {
  await sweepStaleNetns();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-host-net-"));
  fs.chmodSync(dir, 0o755);
  const ns = netnsName("hnet");
  try {
    await addNetns(ns);
    const stateDir = path.join(dir, "state");
    return await fn({ ns, stateDir, dir });
  } finally {
    // Deleting the namespace kills what still runs in it (dnsmasq of a failed test).
    await deleteNetns(ns);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Everything a setup could change in a namespace, as comparable text:
 * links (with details), addresses, IPv4 and IPv6 routes of every table,
 * policy rules, the nftables ruleset, iptables-legacy tables, and every net.*
 * sysctl. Counters and timers that tick by themselves are left out.
 */
export async function dump(ns: string): Promise<Record<string, unknown>> {
  const j = async (args: string[]) => JSON.parse((await run("ip", ["-n", ns, "-j", ...args])) || "[]");
  const links = ((await j(["-d", "link", "show"])) as Record<string, unknown>[]).map((l) => {
    const { linkinfo, ...rest } = l as { linkinfo?: { info_data?: Record<string, unknown> } };
    // A bridge's timers and a link's own counters move on their own.
    const data = linkinfo?.info_data ? Object.fromEntries(Object.entries(linkinfo.info_data).filter(([k]) => !/timer/.test(k))) : undefined;
    return { ...rest, linkinfo: linkinfo ? { ...linkinfo, info_data: data } : undefined };
  });
  return {
    links,
    addrs: await j(["addr", "show"]),
    routes4: await j(["-4", "route", "show", "table", "all"]),
    routes6: await j(["-6", "route", "show", "table", "all"]),
    rules4: await j(["-4", "rule", "show"]),
    rules6: await j(["-6", "rule", "show"]),
    nft: JSON.parse(await inNs(ns, "nft", ["-j", "list", "ruleset"])),
    iptablesLegacy: (await inNs(ns, "iptables-legacy-save", [])).replace(/^#.*\n/gm, ""),
    // nf_conntrack_count counts live connections (test traffic), not configuration.
    sysctl: (await inNs(ns, "sysctl", ["-a", "--pattern", "^net\\."], { reject: false }))
      .split("\n")
      .filter((l) => !l.startsWith("net.netfilter.nf_conntrack_count "))
      .sort(),
  };
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** `tsion ARGS`, inside the namespace when `ns` is given (the tool then works as in the machine's own namespace). */
export async function tsion(args: string[], opts: { ns?: string; env?: Record<string, string>; as?: string[] } = {}): Promise<CliResult> {
  const argv = [...(opts.as ?? []), process.execPath, TSION, ...args];
  const [cmd, rest] = opts.ns ? ["ip", ["netns", "exec", opts.ns, ...argv]] : [argv[0]!, argv.slice(1)];
  // Exactly this environment: no FORCE_COLOR (Node warns on stderr when it meets NO_COLOR), none of tsion's variables unless given.
  const env: Record<string, string> = { NO_COLOR: "1", ...opts.env };
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !(k in env) && !/^(FORCE_COLOR|TSION_NET_.*|TAP_NAME|HOST_IP|GUEST_IP|GUEST_MAC|SUDO_.*)$/.test(k)) env[k] = v;
  }
  const r = await execa(findExecutable(cmd!) ?? cmd!, rest as string[], { reject: false, timeout: 60_000, cwd: ROOT, env, extendEnv: false });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Commands a --verbose run executed (the `+ ` lines of stderr). */
export function commandsRun(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.startsWith("+ "));
}

export function writeConfig(lab: Lab, name: string, toml: string): string {
  const file = path.join(lab.dir, name);
  fs.writeFileSync(file, toml);
  return file;
}

/**
 * iptables (the fallback) cannot remove a table: once `filter` or `nat`
 * exists it stays, empty, with its built-in chains at policy ACCEPT. Such a
 * table filters and rewrites nothing; this drops it from a dump (nftables
 * view of iptables-nft, and iptables-legacy-save) so the rest can be compared.
 */
export function withoutEmptyIptablesTables(d: Record<string, unknown>): Record<string, unknown> {
  type O = { table?: { family: string; name: string }; chain?: { family: string; table: string; policy?: string; hook?: string }; rule?: { family: string; table: string } };
  const objs = (d.nft as { nftables: O[] }).nftables;
  const isIptables = (family: string, table: string) => family === "ip" && ["filter", "nat", "mangle", "raw"].includes(table);
  const empty = (family: string, table: string) =>
    isIptables(family, table) &&
    !objs.some((o) => o.rule && o.rule.family === family && o.rule.table === table) &&
    objs.every((o) => !o.chain || o.chain.family !== family || o.chain.table !== table || (o.chain.hook !== undefined && o.chain.policy === "accept"));
  const nftables = objs.filter((o) => {
    const t = o.table ? [o.table.family, o.table.name] : o.chain ? [o.chain.family, o.chain.table] : null;
    return t === null || !empty(t[0]!, t[1]!);
  });
  const legacy = String(d.iptablesLegacy)
    .split(/(?=^\*)/m)
    .filter((block) => !/^\*/.test(block) || /^-A /m.test(block) || /^:\S+ (?!ACCEPT)/m.test(block))
    .join("");
  return { ...d, nft: { nftables }, iptablesLegacy: legacy };
}
