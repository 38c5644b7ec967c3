/**
 * The static configuration: read tolerantly, validate strictly, apply in the
 * order netstack requires, and check the result.
 *
 * Files (one value each): DIR/ip, DIR/netmask (dotted mask or prefix
 * length), DIR/gateway, and optionally DIR/dns. Surrounding spaces, tabs,
 * CR and newlines are ignored; anything else that is off is an error, and
 * then nothing at all is written.
 */
import { isFile, readFile } from "tsion/runtime";
import { error, info } from "./log.ts";
import {
  ADDR_SET,
  ROUTE_ADD,
  ROUTE_RM,
  DNS_FILE,
  currentAddress,
  verifyNetcfg,
  writeDnsFile,
  writeNode,
} from "./netcfg.ts";
import { addressProblem, dnsProblem, gatewayProblem, hostProblem, netmaskProblem, prefixOf, shown } from "./ipv4.ts";

/** Where the static values live (the name is historical: it is only a label). */
export const STATIC_DIR = "/etc/net/cloud-hypervisor";

// The loaded configuration (valid only after loadStaticConfig returned true).
let staticIp = "";
let staticPrefix = 0;
let staticGateway = "";
let staticDns = "";

/** "IP/PREFIX" as written to addr/set. */
export function staticAddress(): string {
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
  info(`applying ${address} via ${staticGateway}`);
  const previous = currentAddress();
  if (previous !== "" && previous !== address) info(`replacing the current address ${previous}`);
  if (!writeNode(ADDR_SET, address)) return false;
  // The older default route would keep winning (§1.4): remove them all first.
  if (!writeNode(ROUTE_RM, "0.0.0.0/0")) return false;
  if (!writeNode(ROUTE_ADD, `default via ${staticGateway}`)) return false;
  if (staticDns !== "") {
    if (!writeDnsFile(staticDns)) return false;
    info(`${DNS_FILE} set to ${staticDns}`);
  } else {
    info(`no dns file in the static configuration; ${DNS_FILE} left unchanged`);
  }
  if (!verifyNetcfg(address, staticGateway)) return false;
  info(`eth0 configured: ${address} via ${staticGateway}`);
  return true;
}
