/**
 * Access to netstack's /scheme/netcfg and to /etc/net/dns
 * (redox-os/base netstack/src/scheme/netcfg/{mod.rs,nodes.rs}).
 *
 * The interface nodes live under ifaces/DEVICE, where DEVICE is discovered
 * at run time (detect.ts): `eth0` on older netstack, a PCI-path name such as
 * `pci-0000-00-04.0_e1000` on newer builds. route/ and resolv/ are global.
 *
 * Reads go through `cat` (each open is a fresh snapshot); each one is a
 * process, so callers read a node once and reuse the text. Every value
 * written ends with "\n": netcfg parses complete lines at write time, so a
 * bad value fails the write itself and shows in writeFile's result; without
 * the newline it would be parsed at close, where errors are dropped.
 */
import { capture, exists, writeFile } from "tsion/runtime";
import { error } from "./log.ts";
import { subnetText } from "./ipv4.ts";

export const NETCFG = "/scheme/netcfg";
export const IFACES = "/scheme/netcfg/ifaces";
export const ROUTE_LIST = "/scheme/netcfg/route/list";
export const ROUTE_ADD = "/scheme/netcfg/route/add";
export const ROUTE_RM = "/scheme/netcfg/route/rm";
export const NAMESERVER = "/scheme/netcfg/resolv/nameserver";
/** The resolver file relibc reads on every lookup: exactly one IPv4 line. */
export const DNS_FILE = "/etc/net/dns";
/** What netstack's resolv/nameserver holds until dhcpd writes it. */
export const START_NAMESERVER = "8.8.8.8";
/** What addr/list says when no address is set (never the empty string). */
export const NOT_CONFIGURED = "Not configured";

// The interface being configured (set once detect.ts found it).
let device = "";

export function setDevice(name: string): void {
  device = name;
}

/** The interface being configured, e.g. `eth0` or `pci-0000-00-04.0_e1000`. */
export function deviceName(): string {
  return device;
}

/** ifaces/DEVICE/addr/list of the interface being configured. */
export function addrListPath(): string {
  return `${IFACES}/${device}/addr/list`;
}

/** ifaces/DEVICE/addr/set of the interface being configured. */
export function addrSetPath(): string {
  return `${IFACES}/${device}/addr/set`;
}

/** A node's content without surrounding whitespace; "" when it cannot be read. */
export function readNode(path: string): string {
  if (!exists(path)) return "";
  return capture("cat", path).trim();
}

/** The interface's address as "IP/PREFIX", or "" while it has none (one read). */
export function currentAddress(): string {
  const value = readNode(addrListPath());
  return value.includes("/") ? value : "";
}

/** Write one value (a "\n" is added); on rejection log the path and the value. */
export function writeNode(path: string, value: string): boolean {
  if (writeFile(path, `${value}\n`)) return true;
  error(`${path} rejected '${value}'`);
  return false;
}

/** How many default routes through a gateway (`default via GW ...`) a route/list text holds. */
export function defaultRouteCount(routes: string): number {
  let count = 0;
  for (const line of routes.split("\n")) {
    if (line.startsWith("default via ")) count++;
  }
  return count;
}

/** The gateway of a `default via GW dev ...` line, or "". */
export function gatewayOf(line: string): string {
  const words = line.trim().split(" ");
  if (words.length >= 3 && words[0] === "default" && words[1] === "via") return words[2];
  return "";
}

/** The `src` address of a route/list line (its last word, after ` src `), or "". */
function sourceOf(line: string): string {
  const at = line.indexOf(" src ");
  return at < 0 ? "" : line.slice(at + " src ".length).trim();
}

/** The gateway of the first default route in `routes` that does not go via `other`, or "". */
export function defaultGatewayOtherThan(routes: string, other: string): string {
  for (const line of routes.split("\n")) {
    const gw = gatewayOf(line);
    if (gw !== "" && gw !== other) return gw;
  }
  return "";
}

// route/list as the last verifyNetcfg() read it.
let verifiedRoutes = "";

/** route/list as the last verifyNetcfg() read it (what the scripts left behind). */
export function verifiedRouteList(): string {
  return verifiedRoutes;
}

/**
 * Check, from one read of route/list, that netcfg now holds `address`
 * (`IP/PREFIX`) and exactly one default route, via `gateway`: addr/set
 * leaves a connected rule `NETWORK/PREFIX  dev DEV src IP` (`default dev DEV
 * src IP` for /0), and the default route carries the same src. The dev names
 * are not compared: they differ between netstack versions, and the address
 * and routes are what matters. Logs what it found when it does not hold.
 */
export function verifyNetcfg(address: string, gateway: string): boolean {
  const parts = address.split("/");
  const ip = parts[0];
  const prefix = Number(parts[1]);
  const start = prefix === 0 ? "default dev " : `${subnetText(ip, prefix)} `;
  const routes = readNode(ROUTE_LIST);
  verifiedRoutes = routes;
  let connected = false;
  let count = 0;
  let good = false;
  let found = "";
  for (const line of routes.split("\n")) {
    const src = sourceOf(line);
    if (line.startsWith(start) && src === ip) connected = true;
    if (!line.startsWith("default via ")) continue;
    count++;
    found = found === "" ? line : `${found}; ${line}`;
    if (gatewayOf(line) === gateway && src === ip) good = true;
  }
  if (!connected) {
    error(`${ROUTE_LIST} shows no route for ${address} from ${ip} after the write: ${routes.replaceAll("\n", "; ")}`);
    return false;
  }
  if (count !== 1 || !good) {
    error(`${ROUTE_LIST} does not show exactly one 'default via ${gateway}' from ${ip} but ${count} default route(s): ${found}`);
    return false;
  }
  return true;
}

/** Make `server` the only line of /etc/net/dns (the write's own status says whether it landed). */
export function writeDnsFile(server: string): boolean {
  if (writeFile(DNS_FILE, `${server}\n`)) return true;
  error(`cannot write '${server}' to ${DNS_FILE}`);
  return false;
}
