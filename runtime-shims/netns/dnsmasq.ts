/**
 * dnsmasq as the DHCP server inside a network namespace: DHCP only (port=0
 * disables DNS), bound to one interface, no config file, lease and pid files
 * in a directory the caller owns.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { execa, type ResultPromise } from "execa";
import { isAlive } from "./namespaces.ts";
import { findExecutable } from "./executables.ts";
import { dhcpOnlyArgs } from "../../host/net/dnsmasq.ts";

export interface DnsmasqOptions {
  netns: string;
  iface: string;
  /** directory for the lease and pid files (the caller removes it) */
  dir: string;
  /** the one address leased (range start = end) */
  leaseIp: string;
  netmask: string;
  router: string;
  dns: string;
  /** how long to wait for dnsmasq to be ready */
  readyTimeoutMs?: number;
}

export interface Dnsmasq {
  pid: number;
  leaseFile: string;
  /** dnsmasq's own log (stderr, --log-facility=-) so far */
  log(): string;
  /** SIGTERM, then SIGKILL after 2 s; resolves once the process is reaped. Idempotent. */
  stop(): Promise<void>;
}

export function dnsmasqArgs(o: DnsmasqOptions): string[] {
  return [
    "--keep-in-foreground", // we own the process: no fork, the pid is ours to kill
    // DHCP only, bound to the one interface: the same base as `tsion net setup --dhcp`.
    ...dhcpOnlyArgs(o.iface),
    `--dhcp-range=${o.leaseIp},${o.leaseIp},${o.netmask},1h`,
    `--dhcp-option=option:router,${o.router}`,
    `--dhcp-option=option:dns-server,${o.dns}`,
    `--dhcp-leasefile=${path.join(o.dir, "dnsmasq.leases")}`,
    `--pid-file=${path.join(o.dir, "dnsmasq.pid")}`,
    "--log-facility=-",
    "--log-dhcp",
  ];
}

/** Start dnsmasq in `o.netns`; resolves when its pid file names it (sockets are bound by then). */
export async function startDnsmasq(o: DnsmasqOptions): Promise<Dnsmasq> {
  const pidFile = path.join(o.dir, "dnsmasq.pid");
  // `ip netns exec` execs dnsmasq in place, so the child's pid is dnsmasq's.
  const child: ResultPromise = execa(findExecutable("ip") ?? "ip", ["netns", "exec", o.netns, findExecutable("dnsmasq") ?? "dnsmasq", ...dnsmasqArgs(o)], {
    reject: false,
    all: true,
    buffer: true,
    forceKillAfterDelay: 2_000,
    cleanup: true, // killed if this Node process exits
  });
  let log = "";
  child.all?.on("data", (d: Buffer) => (log += d.toString()));
  const pid = child.pid;
  let exited = false;
  const done = child.then(() => {
    exited = true;
  });
  const handle: Dnsmasq = {
    pid: pid ?? -1,
    leaseFile: path.join(o.dir, "dnsmasq.leases"),
    log: () => log,
    async stop() {
      if (!exited) child.kill("SIGTERM");
      await done;
    },
  };
  if (pid === undefined) {
    await done;
    throw new Error(`dnsmasq did not start: ${log.trim()}`);
  }
  const deadline = Date.now() + (o.readyTimeoutMs ?? 5_000);
  for (;;) {
    if (exited) throw new Error(`dnsmasq exited at startup (${(await child).exitCode}): ${log.trim()}`);
    let written = "";
    try {
      written = fs.readFileSync(pidFile, "utf8").trim();
    } catch {
      // not written yet
    }
    if (written === String(pid)) return handle;
    if (Date.now() > deadline) {
      await handle.stop();
      throw new Error(`dnsmasq not ready after ${o.readyTimeoutMs ?? 5_000} ms (pid file ${JSON.stringify(written)}): ${log.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** For tests: true while the process exists. */
export function dnsmasqRunning(d: Dnsmasq): boolean {
  return d.pid > 0 && isAlive(d.pid);
}
