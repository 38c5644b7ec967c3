/**
 * What dhcpd does with an OFFER (redox-os/base dhcpd/src/main.rs), through
 * ordinary netcfg opens so every netcfg rule applies: one write and one fsync
 * per node, in this order, stopping at the first failure:
 *   ifaces/DEV/addr/set <- "IP/PREFIX\n" (/0 without a mask)
 *   route/add         <- "default via GW" (no newline: parsed at fsync)
 *   resolv/nameserver <- "DNS" (127.x replaced by 9.9.9.9)
 * /etc/net/dns is never written. Shared by the `dhcpd` shim and the
 * background init unit.
 */
import { HostError, type FileHandle } from "../host/types.ts";

/** The DHCP server of a scenario. */
export interface DhcpServer {
  /** false: nobody answers; dhcpd gives up after 30 s. */
  server: boolean;
  /** seconds from DISCOVER to OFFER */
  replyAfter: number;
  /** false: no ACK; dhcpd exits 1 30 s after applying the OFFER */
  ack: boolean;
  ip: string;
  prefix?: number;
  gateway?: string;
  dns?: string;
  /** init's 10_dhcpd.service runs dhcpd when netcfg appears */
  background: boolean;
}

export const DHCP_TIMEOUT_S = 30;
export const TIMEOUT_ERROR = "Resource temporarily unavailable (os error 11)";

const NETCFG = "/scheme/netcfg";

function setValue(open: (p: string) => FileHandle, node: string, value: string): string | null {
  const p = `${NETCFG}/${node}`;
  let f: FileHandle;
  try {
    f = open(p);
  } catch (e) {
    if (e instanceof HostError) return `Can't open ${p}`;
    throw e;
  }
  try {
    f.write(value);
  } catch (e) {
    f.close();
    if (e instanceof HostError) return `Can't write ${value} to ${p}`;
    throw e;
  }
  try {
    f.sync();
  } catch (e) {
    f.close();
    if (e instanceof HostError) return `Can't commit ${value} to ${p}`;
    throw e;
  }
  f.close();
  return null;
}

/** Rust's `{:?}` of a byte array, e.g. `[10, 0, 2, 15]`. */
export function debugBytes(ip: string): string {
  return `[${ip.split(".").join(", ")}]`;
}

function maskBytes(prefix: number): string {
  const m = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return `[${[m >>> 24, (m >>> 16) & 255, (m >>> 8) & 255, m & 255].join(", ")}]`;
}

export interface DhcpOutput {
  verbose: boolean;
  /** one line of dhcpd's stdout (without "\n") */
  print(line: string): void;
  /** read a netcfg node for the verbose read-backs */
  read(p: string): string;
}

/**
 * Apply the OFFER as current dhcpd (base dhcpd/src/main.rs) does, printing
 * what it prints: the option lines and read-backs with -v, and "DHCP: No
 * subnet mask" / "No router" / "No DNS resolver" always. Returns dhcpd's
 * error message (without `dhcpd: `) or null.
 */
export function applyOffer(
  device: string,
  open: (p: string) => FileHandle,
  offer: Pick<DhcpServer, "ip" | "prefix" | "gateway" | "dns">,
  out: DhcpOutput,
): string | null {
  const say = (line: string) => {
    if (out.verbose) out.print(line);
  };
  // options in the order QEMU's SLiRP sends them: 53, 54, 51, 1, 3, 6
  say("DHCP: Message Type: [2]");
  if (offer.gateway) say(`DHCP: Server ID: ${debugBytes(offer.gateway)}`);
  say("DHCP: Lease Time: [0, 1, 81, 128]");
  if (offer.prefix !== undefined) say(`DHCP: Subnet Mask: ${maskBytes(offer.prefix)}`);
  if (offer.gateway) say(`DHCP: Router: ${debugBytes(offer.gateway)}`);
  if (offer.dns) say(`DHCP: Domain Name Server: ${debugBytes(offer.dns)}`);
  if (offer.prefix === undefined) out.print("DHCP: No subnet mask");

  const addr = `${offer.ip}/${offer.prefix ?? 0}\n`;
  let err = setValue(open, `ifaces/${device}/addr/set`, addr);
  if (err) return `failed to set ip: ${err}`;
  if (out.verbose) say(`DHCP: New IP: ${out.read(`${NETCFG}/ifaces/${device}/addr/list`).trim()}`);
  if (offer.gateway) {
    err = setValue(open, "route/add", `default via ${offer.gateway}`);
    if (err) return `failed to set default route: ${err}`;
    if (out.verbose) say(`DHCP: New Router: ${out.read(`${NETCFG}/route/list`).trim()}`);
  } else out.print("DHCP: No router");
  if (offer.dns) {
    let dns = offer.dns;
    if (dns.startsWith("127.")) {
      say(`DHCP: Received sarcastic DNS suggestion ${dns}, using 9.9.9.9 instead`);
      dns = "9.9.9.9";
    }
    err = setValue(open, "resolv/nameserver", dns);
    if (err) return `failed to set name server: ${err}`;
    if (out.verbose) say(`DHCP: New DNS: ${out.read(`${NETCFG}/resolv/nameserver`).trim()}`);
  } else out.print("DHCP: No DNS resolver");
  return null;
}
