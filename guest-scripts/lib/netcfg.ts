/**
 * Access to netstack's /scheme/netcfg (networking doc §1) and /etc/net/dns.
 *
 * Reads go through `cat` (each open is a fresh snapshot). Every value
 * written ends with "\n": netcfg parses complete lines at write time, so a
 * bad value fails the write itself and shows in writeFile's result; without
 * the newline it would be parsed at close, where errors are dropped (§1.3).
 */
import { capture, exists, writeFile } from "tsion/runtime";
import { error } from "./log.ts";

export const NETCFG = "/scheme/netcfg";
export const ADDR_LIST = "/scheme/netcfg/ifaces/eth0/addr/list";
export const ADDR_SET = "/scheme/netcfg/ifaces/eth0/addr/set";
export const ROUTE_LIST = "/scheme/netcfg/route/list";
export const ROUTE_ADD = "/scheme/netcfg/route/add";
export const ROUTE_RM = "/scheme/netcfg/route/rm";
export const NAMESERVER = "/scheme/netcfg/resolv/nameserver";
/** The resolver file relibc reads on every lookup: exactly one IPv4 line (§2). */
export const DNS_FILE = "/etc/net/dns";
/** What netstack's resolv/nameserver holds until dhcpd writes it. */
export const START_NAMESERVER = "8.8.8.8";
/** What addr/list says when no address is set (never the empty string). */
export const NOT_CONFIGURED = "Not configured";

/** A node's content without surrounding whitespace; "" when it cannot be read. */
export function readNode(path: string): string {
  if (!exists(path)) return "";
  return capture("cat", path).trim();
}

/** eth0's address as "IP/PREFIX", or "" while it has none (or netcfg is absent). */
export function currentAddress(): string {
  const value = readNode(ADDR_LIST);
  return value.includes("/") ? value : "";
}

/** Write one value (a "\n" is added); on rejection log the path and the value. */
export function writeNode(path: string, value: string): boolean {
  if (writeFile(path, `${value}\n`)) return true;
  error(`${path} rejected '${value}'`);
  return false;
}

/** How many default routes netstack holds (a healthy setup has exactly one). */
export function defaultRouteCount(): number {
  let count = 0;
  for (const line of readNode(ROUTE_LIST).split("\n")) {
    if (line.startsWith("default ")) count++;
  }
  return count;
}

/** The gateway of a `default via GW dev ...` line, or "". */
function gatewayOf(line: string): string {
  const words = line.trim().split(" ");
  if (words.length >= 3 && words[0] === "default" && words[1] === "via") return words[2];
  return "";
}

/** The gateway of the first default route that does not go via `other`, or "". */
export function defaultGatewayOtherThan(other: string): string {
  for (const line of readNode(ROUTE_LIST).split("\n")) {
    const gw = gatewayOf(line);
    if (gw !== "" && gw !== other) return gw;
  }
  return "";
}

/**
 * Check that netcfg now shows `address` on eth0 and exactly one default
 * route, via `gateway`. Logs what it found when it does not.
 */
export function verifyNetcfg(address: string, gateway: string): boolean {
  const addr = readNode(ADDR_LIST);
  if (addr !== address) {
    error(`${ADDR_LIST} shows '${addr}' instead of '${address}' after the write`);
    return false;
  }
  let count = 0;
  let found = "";
  let good = false;
  for (const line of readNode(ROUTE_LIST).split("\n")) {
    if (!line.startsWith("default ")) continue;
    count++;
    found = found === "" ? line : `${found}; ${line}`;
    if (gatewayOf(line) === gateway) good = true;
  }
  if (count !== 1 || !good) {
    error(`${ROUTE_LIST} does not show exactly one 'default via ${gateway}' but ${count} default route(s): ${found}`);
    return false;
  }
  return true;
}

/** Make `server` the only line of /etc/net/dns, and read it back. */
export function writeDnsFile(server: string): boolean {
  if (!writeFile(DNS_FILE, `${server}\n`)) {
    error(`cannot write '${server}' to ${DNS_FILE}`);
    return false;
  }
  const back = capture("cat", DNS_FILE);
  if (back !== server) {
    error(`${DNS_FILE} reads back '${back}' instead of '${server}'`);
    return false;
  }
  return true;
}
