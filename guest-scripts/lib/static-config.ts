/**
 * The static configuration: read tolerantly, validate strictly, apply in the
 * order netstack requires, and check the result.
 *
 * Files (one value each) in /etc/net/LABEL/: ip, netmask (dotted mask or
 * prefix length), gateway, and optionally dns. Surrounding spaces, tabs, CR
 * and newlines are ignored; anything else that is off is an error, and then
 * nothing at all is written. LABEL names a configuration, not a device: it is
 * `cloud-hypervisor` (the historical name) unless /etc/net/netcfg/label says
 * otherwise.
 */
import { isFile, readFile } from "tsion/runtime";
import { error, info } from "./log.ts";
import { ROUTE_ADD, ROUTE_RM, DNS_FILE, addrSetPath, deviceName, verifyNetcfg, writeDnsFile, writeNode } from "./netcfg.ts";
import { addressProblem, dnsProblem, gatewayProblem, hostProblem, netmaskProblem, prefixOf, shown } from "./ipv4.ts";

/** The label used when LABEL_FILE does not exist. */
export const DEFAULT_LABEL = "cloud-hypervisor";
/** Optional: its first line (trimmed) names the configuration directory /etc/net/LABEL. */
export const LABEL_FILE = "/etc/net/netcfg/label";

const LABEL_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";

/** True when `label` is a safe directory name: [A-Za-z0-9._-]+, and not `.` or `..`. */
export function isSafeLabel(label: string): boolean {
  if (label === "" || label === "." || label === "..") return false;
  for (let i = 0; i < label.length; i++) {
    if (!LABEL_CHARS.includes(label.slice(i, i + 1))) return false;
  }
  return true;
}

/**
 * The directory of the static configuration: /etc/net/LABEL. "" (with an
 * error naming the file and the value) when LABEL_FILE holds no safe name.
 * Reads LABEL_FILE only when it exists.
 */
export function staticDir(): string {
  if (!isFile(LABEL_FILE)) return `/etc/net/${DEFAULT_LABEL}`;
  const label = readFile(LABEL_FILE).split("\n")[0].trim();
  if (!isSafeLabel(label)) {
    const visible = shown(label);
    error(`${LABEL_FILE}: '${visible}' is not a configuration label (letters, digits, '.', '_' and '-' only, not '.' or '..'); nothing was written`);
    return "";
  }
  return `/etc/net/${label}`;
}

// The loaded configuration (valid only after loadStaticConfig returned true).
let staticIp = "";
let staticPrefix = 0;
let staticGateway = "";
let staticDns = "";

/** "IP/PREFIX" as written to addr/set. */
function staticAddress(): string {
  return `${staticIp}/${staticPrefix}`;
}

export function staticGatewayValue(): string {
  return staticGateway;
}

/** True when a static configuration is present at all (its ip file exists). */
export function staticConfigPresent(dir: string): boolean {
  return isFile(`${dir}/ip`);
}

// Which files were missing (set by readValue).
let missing = false;

/** The trimmed content of DIR/NAME; "" (and an error) when it is missing. */
function readValue(dir: string, name: string): string {
  const path = `${dir}/${name}`;
  if (!isFile(path)) {
    error(`${path} is missing`);
    missing = true;
    return "";
  }
  return readFile(path).trim();
}

/** Log a validation problem of one file; true when there is none. */
function accept(path: string, value: string, problem: string): boolean {
  if (problem === "") return true;
  const visible = shown(value);
  error(`${path}: '${visible}' ${problem}`);
  return false;
}

/**
 * Read and validate DIR/{ip,netmask,gateway,dns}. Every problem is logged
 * (not just the first); returns true when the whole configuration is valid.
 */
export function loadStaticConfig(dir: string): boolean {
  staticIp = "";
  staticPrefix = 0;
  staticGateway = "";
  staticDns = "";
  missing = false;
  const ip = readValue(dir, "ip");
  const netmask = readValue(dir, "netmask");
  const gateway = readValue(dir, "gateway");
  if (missing) {
    error(`incomplete static configuration in ${dir} (ip, netmask and gateway are required); nothing was written`);
    return false;
  }

  let valid = true;
  if (accept(`${dir}/netmask`, netmask, netmaskProblem(netmask))) {
    staticPrefix = prefixOf(netmask);
  } else {
    valid = false;
  }
  // Without a valid mask the address is still checked on its own (as a /32).
  if (accept(`${dir}/ip`, ip, hostProblem(ip, valid ? staticPrefix : 32))) {
    staticIp = ip;
  } else {
    valid = false;
  }
  if (valid) {
    if (accept(`${dir}/gateway`, gateway, gatewayProblem(gateway, staticIp, staticPrefix))) {
      staticGateway = gateway;
    } else {
      valid = false;
    }
  } else {
    // The subnet is unknown: check the gateway on its own so its errors show too.
    accept(`${dir}/gateway`, gateway, addressProblem(gateway));
  }
  // dns is optional: without it /etc/net/dns is left as it is.
  if (isFile(`${dir}/dns`)) {
    const dns = readFile(`${dir}/dns`).trim();
    if (accept(`${dir}/dns`, dns, dnsProblem(dns))) {
      staticDns = dns;
    } else {
      valid = false;
    }
  }

  if (!valid) error(`invalid static configuration in ${dir}; nothing was written`);
  return valid;
}

/**
 * Apply the loaded configuration: addr/set IP/PREFIX, remove any default
 * route, add the default route via the gateway (it must be reachable through
 * the subnet addr/set just created), write /etc/net/dns, then read netcfg
 * back. Stops at the first rejected write.
 */
export function applyStaticConfig(): boolean {
  const address = staticAddress();
  const device = deviceName();
  info(`applying ${address} via ${staticGateway} to ${device}`);
  if (!writeNode(addrSetPath(), address)) return false;
  // netstack looks routes up from the end, so an older default route would
  // keep winning over a new one (netstack/src/router/route_table.rs): remove them all first.
  if (!writeNode(ROUTE_RM, "0.0.0.0/0")) return false;
  if (!writeNode(ROUTE_ADD, `default via ${staticGateway}`)) return false;
  if (staticDns !== "") {
    if (!writeDnsFile(staticDns)) return false;
    info(`${DNS_FILE} set to ${staticDns}`);
  } else {
    info(`no dns file in the static configuration; ${DNS_FILE} left unchanged`);
  }
  if (!verifyNetcfg(address, staticGateway)) return false;
  info(`${device} configured: ${address} via ${staticGateway}`);
  return true;
}
