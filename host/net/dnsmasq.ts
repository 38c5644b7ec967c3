/**
 * dnsmasq as a DHCP-only server bound to one interface. The base arguments
 * (`dhcpOnlyArgs`) are shared with the real-DHCP test lab
 * (runtime-shims/netns/dnsmasq.ts); `tsion net setup --dhcp` runs it as a
 * daemon whose files live in one directory of the state directory:
 *
 *   hosts   static leases, one `MAC,IP` per line (--dhcp-hostsfile, re-read on SIGHUP)
 *   leases  dnsmasq's lease database
 *   pid     its pid file (identifies the process we started)
 *   log     its log (--log-facility)
 *
 * The range is `static`: only the MACs in `hosts` get an address.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Runner } from "./commands.ts";

/** DHCP only (port 0: no DNS server), no config file, bound to `iface` alone. */
export function dhcpOnlyArgs(iface: string): string[] {
  return [
    "--conf-file=/dev/null",
    "--no-resolv",
    "--no-hosts",
    "--port=0",
    "--bind-interfaces",
    `--interface=${iface}`,
    "--except-interface=lo",
    "--dhcp-authoritative",
    // dnsmasq pings an address before offering it (up to 3 s); every address here is reserved for one MAC.
    "--no-ping",
  ];
}

export interface DhcpServer {
  /** Directory holding hosts, leases, pid and log. */
  dir: string;
  iface: string;
  /** Network address and dotted mask of the segment served. */
  network: string;
  netmask: string;
  router: string;
  /** dns-server option; none when empty. */
  dns: string[];
  leaseTime?: string;
}

export function dhcpFiles(dir: string): { hosts: string; leases: string; pid: string; log: string } {
  return { hosts: path.join(dir, "hosts"), leases: path.join(dir, "leases"), pid: path.join(dir, "pid"), log: path.join(dir, "log") };
}

export function daemonArgs(s: DhcpServer): string[] {
  const f = dhcpFiles(s.dir);
  return [
    "dnsmasq",
    ...dhcpOnlyArgs(s.iface),
    `--dhcp-range=${s.network},static,${s.netmask},${s.leaseTime ?? "1h"}`,
    `--dhcp-hostsfile=${f.hosts}`,
    `--dhcp-option=option:router,${s.router}`,
    // Without an explicit option dnsmasq would offer itself as DNS server, and it serves none (port 0).
    s.dns.length > 0 ? `--dhcp-option=option:dns-server,${s.dns.join(",")}` : "--dhcp-option=option:dns-server",
    `--dhcp-leasefile=${f.leases}`,
    `--pid-file=${f.pid}`,
    `--log-facility=${f.log}`,
    "--log-dhcp",
  ];
}

export function hostsLine(mac: string, ip: string): string {
  return `${mac},${ip}`;
}

/** Replace the hosts file atomically (readable by dnsmasq after it drops to nobody). */
export function writeHosts(dir: string, lines: string[]): void {
  const file = dhcpFiles(dir).hosts;
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, lines.map((l) => `${l}\n`).join(""), { mode: 0o644 });
  fs.chmodSync(tmp, 0o644);
  fs.renameSync(tmp, file);
}

export function readHosts(dir: string): string[] {
  try {
    return fs.readFileSync(dhcpFiles(dir).hosts, "utf8").split("\n").filter((l) => l !== "");
  } catch {
    return [];
  }
}

/**
 * dnsmasq drops its privileges to `nobody` and then reads the hosts file:
 * every directory above it must be searchable by others. "" when fine.
 */
export function unreachableByDaemon(dir: string): string {
  let d = path.resolve(dir);
  for (;;) {
    try {
      const st = fs.statSync(d);
      if ((st.mode & 0o001) === 0) return `${d} is not searchable by other users (mode ${(st.mode & 0o777).toString(8)})`;
    } catch {
      // Not created yet: tsion creates it with mode 0755.
    }
    const up = path.dirname(d);
    if (up === d) return "";
    d = up;
  }
}

/** The pid of the dnsmasq started for `dir`, or null (no pid file, dead, or the pid now belongs to someone else). */
export function daemonPid(dir: string): number | null {
  const pidFile = dhcpFiles(dir).pid;
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, "utf8").trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return argv.includes(`--pid-file=${pidFile}`) ? pid : null;
  } catch {
    return null;
  }
}

/** Start the daemon: dnsmasq forks, and its parent exits once the child is up (or reports why it could not start). */
export async function startDaemon(runner: Runner, s: DhcpServer): Promise<number> {
  fs.mkdirSync(s.dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(s.dir, 0o755);
  if (!fs.existsSync(dhcpFiles(s.dir).hosts)) writeHosts(s.dir, []);
  await runner.run({ argv: daemonArgs(s) });
  const pid = daemonPid(s.dir);
  if (pid === null) throw new Error(`dnsmasq started but its pid file ${dhcpFiles(s.dir).pid} names no dnsmasq of ours`);
  return pid;
}

function readCount(log: string, hostsFile: string): number {
  try {
    return fs.readFileSync(log, "utf8").split(`read ${hostsFile}`).length - 1;
  } catch {
    return 0;
  }
}

/** SIGHUP makes dnsmasq re-read the hosts file; waits until its log says it did. */
export async function reloadHosts(dir: string, timeoutMs = 3_000): Promise<void> {
  const pid = daemonPid(dir);
  if (pid === null) return;
  const f = dhcpFiles(dir);
  const before = readCount(f.log, f.hosts);
  process.kill(pid, "SIGHUP");
  const deadline = Date.now() + timeoutMs;
  while (readCount(f.log, f.hosts) <= before) {
    if (Date.now() > deadline) throw new Error(`dnsmasq (pid ${pid}) did not re-read ${f.hosts} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Running (a zombie waiting for a reaper that may be slow to come counts as gone). */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** SIGTERM (SIGKILL after 3 s) to our dnsmasq, then remove its directory. Idempotent. */
export async function stopDaemon(dir: string): Promise<void> {
  const pid = daemonPid(dir);
  if (pid !== null) {
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + 3_000;
    while (running(pid)) {
      if (Date.now() > deadline) {
        process.kill(pid, "SIGKILL");
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.rmdirSync(path.dirname(dir)); // the dnsmasq/ directory, once its last instance is gone
  } catch {
    // not empty, or already gone
  }
}
