/**
 * A one-shot DHCP client in a network namespace: busybox udhcpc (or a
 * standalone `udhcpc`) with a script that only PRINTS the lease. Nothing is
 * configured: the lease is data for the mock, not an address for this machine.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { execa } from "execa";
import { findExecutable } from "./executables.ts";

export interface Lease {
  ip: string;
  /** from the subnet mask (option 1) */
  prefix: number;
  subnet: string;
  /** first router (option 3) */
  router: string;
  /** first DNS server (option 6) */
  dns: string;
}

const MARK = "tsion-lease";

/** udhcpc calls the script with deconfig|bound|renew|leasefail|nak; only bound/renew carry a lease. */
const SCRIPT = `#!/bin/sh
# Prints the lease; configures nothing.
case "$1" in
  bound|renew) echo "${MARK} ip=$ip subnet=$subnet router=$router dns=$dns" ;;
esac
exit 0
`;

/** Prefix length of a contiguous dotted netmask, or null. */
export function maskToPrefix(mask: string): number | null {
  const parts = mask.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  const bits = parts.map((p) => Number(p).toString(2).padStart(8, "0")).join("");
  if (!/^1*0*$/.test(bits)) return null;
  const zero = bits.indexOf("0");
  return zero === -1 ? 32 : zero;
}

/** The lease from the script's output line; throws when it is missing or malformed. */
export function parseLeaseOutput(stdout: string): Lease {
  const line = stdout.split("\n").find((l) => l.startsWith(`${MARK} `));
  if (line === undefined) throw new Error(`no lease in the DHCP client output: ${JSON.stringify(stdout)}`);
  const v: Record<string, string> = {};
  for (const m of line.slice(MARK.length).matchAll(/ (\w+)=([^=]*?)(?= \w+=|$)/g)) v[m[1]!] = m[2]!.trim();
  const first = (s: string | undefined) => (s ?? "").split(/\s+/)[0] ?? "";
  const subnet = v.subnet ?? "";
  const prefix = maskToPrefix(subnet);
  if (!v.ip || prefix === null) throw new Error(`bad lease line ${JSON.stringify(line)}`);
  return { ip: v.ip, prefix, subnet, router: first(v.router), dns: first(v.dns) };
}

/** argv prefix for udhcpc: busybox's applet, or a standalone udhcpc. */
export async function udhcpcCommand(): Promise<string[] | null> {
  const alone = findExecutable("udhcpc");
  if (alone !== null) return [alone];
  const busybox = findExecutable("busybox");
  if (busybox === null) return null;
  const list = await execa(busybox, ["--list"], { reject: false, timeout: 5_000 });
  return list.exitCode === 0 && list.stdout.split("\n").includes("udhcpc") ? [busybox, "udhcpc"] : null;
}

export interface LeaseRequest {
  netns: string;
  iface: string;
  /** directory for the script (the caller removes it) */
  dir: string;
  /** DISCOVERs sent before giving up (-t), one per second (-T 1) */
  tries?: number;
}

/** Run the client once (-n: give up without a lease, -q: exit with one) and parse the lease. */
export async function requestLease(r: LeaseRequest): Promise<Lease> {
  const cmd = await udhcpcCommand();
  if (cmd === null) throw new Error("no DHCP client: install busybox (udhcpc applet)");
  const script = path.join(r.dir, "udhcpc-print.sh");
  fs.writeFileSync(script, SCRIPT, { mode: 0o755 });
  const tries = r.tries ?? 5;
  const res = await execa(
    findExecutable("ip") ?? "ip",
    ["netns", "exec", r.netns, ...cmd, "-i", r.iface, "-n", "-q", "-f", "-t", String(tries), "-T", "1", "-s", script],
    // a hard bound on top of udhcpc's own -t/-T, so a test cannot hang here
    { reject: false, timeout: (tries + 5) * 1_000, forceKillAfterDelay: 1_000, cleanup: true },
  );
  if (res.timedOut) throw new Error(`udhcpc timed out: ${res.stderr.trim()}`);
  if (res.exitCode !== 0) throw new Error(`udhcpc got no lease (exit ${res.exitCode}): ${res.stderr.trim()}`);
  return parseLeaseOutput(res.stdout);
}
