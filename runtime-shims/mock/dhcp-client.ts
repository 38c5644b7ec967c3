/**
 * What dhcpd does with an OFFER (redox-guest-networking.md §4.3), through
 * ordinary netcfg opens so every §1 rule applies: one write and one fsync per
 * node, in this order, stopping at the first failure:
 *   addr/set          <- "IP/PREFIX\n" (/0 without a mask)
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

/** Apply the OFFER; returns dhcpd's error message (without `dhcpd: `) or null. */
export function applyOffer(
  open: (p: string) => FileHandle,
  offer: Pick<DhcpServer, "ip" | "prefix" | "gateway" | "dns">,
  say: (line: string) => void,
): string | null {
  const addr = `${offer.ip}/${offer.prefix ?? 0}\n`;
  let err = setValue(open, "ifaces/eth0/addr/set", addr);
  if (err) return `failed to set ip: ${err}`;
  say(`DHCP: New IP: ${offer.ip}/${offer.prefix ?? 0}`);
  if (offer.gateway) {
    err = setValue(open, "route/add", `default via ${offer.gateway}`);
    if (err) return `failed to set default route: ${err}`;
    say(`DHCP: New Router: default via ${offer.gateway}`);
  }
  if (offer.dns) {
    const dns = offer.dns.startsWith("127.") ? "9.9.9.9" : offer.dns;
    err = setValue(open, "resolv/nameserver", dns);
    if (err) return `failed to set name server: ${err}`;
    say(`DHCP: New DNS: ${dns}`);
  }
  return null;
}
