/**
 * The one validator of a guest network configuration, used by every output
 * of `tsion pack`. nix/lib/validate.nix is its second implementation (Nix
 * cannot call this one); test/nix/agreement.test.ts proves they refuse
 * the same configurations with the same messages.
 *
 * The static values are checked with the guest's own functions
 * (guest-scripts/lib/ipv4.ts), in the guest's order, so the packer refuses
 * exactly what the guest script would refuse at boot. Every problem is
 * reported, each naming the field and the value:
 *   static.gateway: '10.0.0.1' is outside the subnet 172.16.0.0/24
 */
import {
  addressProblem,
  dnsProblem,
  gatewayProblem,
  hostProblem,
  netmaskProblem,
  prefixOf,
  shown,
} from "../guest-scripts/lib/ipv4.ts";
import {
  DEFAULT_INIT,
  DEFAULT_LABEL,
  DEFAULT_MODE,
  DEFAULT_STATIC,
  INIT_ERAS,
  NETWORK_MODES,
  usesStatic,
  type InitEra,
  type NetworkConfig,
  type NetworkMode,
  type StaticNetwork,
} from "./network-config.ts";

export interface Problem {
  /** Where the value is in the configuration: `mode`, `static.gateway`, `static.dns[0]`. */
  field: string;
  /** The offending value; absent when the problem is that there is none. */
  value?: unknown;
  hasValue: boolean;
  /** Worded to follow the value: `is outside the subnet 172.16.0.0/24`. */
  problem: string;
}

export const CONFIG_KEYS = ["mode", "static", "label", "init", "netcheck"] as const;
export const STATIC_KEYS = ["ip", "netmask", "gateway", "dns"] as const;

/** Labels that would put a directory where Redox or the scripts keep a file of /etc/net. */
export const RESERVED_LABELS = ["dns", "ip", "ip_router", "ip_subnet", "mac", "netcfg"] as const;

/** A label is one path component: letters, digits, '.', '_', '-', not starting with '.' or '-', at most 64. */
const SAFE_LABEL = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;

/** Surrounding whitespace the guest would trim (and the packer refuses, so files hold exactly the value). */
const EDGE_WHITESPACE = /^[ \t\r\n]|[ \t\r\n]$/;

/** A value as messages show it: strings quoted with line breaks made visible (the guest's rule), others as JSON. */
export function showValue(value: unknown): string {
  if (typeof value === "string") return `'${shown(value)}'`;
  return JSON.stringify(value) ?? String(value);
}

export function formatProblem(p: Problem): string {
  return p.hasValue ? `${p.field}: ${showValue(p.value)} ${p.problem}` : `${p.field}: ${p.problem}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function orList(words: readonly string[]): string {
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

export type Validated = { ok: true; config: NetworkConfig } | { ok: false; problems: Problem[] };

/**
 * Validates a configuration as given in a JSON file or assembled from flags.
 * Absent keys take their defaults (mode auto, label cloud-hypervisor, init
 * current, netcheck false, static the Cloud Hypervisor TAP values); `static: null` means no
 * static values (auto then has no fallback). The static values are checked
 * only in the modes that use them (auto, static).
 */
export function validateNetworkConfig(raw: unknown): Validated {
  const problems: Problem[] = [];
  const bad = (field: string, value: unknown, problem: string): void => {
    problems.push({ field, value, hasValue: true, problem });
  };
  const missing = (field: string, problem: string): void => {
    problems.push({ field, hasValue: false, problem });
  };

  if (!isObject(raw)) {
    bad("configuration", raw, `is not an object (expected ${CONFIG_KEYS.join(", ")})`);
    return { ok: false, problems };
  }
  for (const key of Object.keys(raw).sort()) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) missing(key, `unknown setting (expected ${CONFIG_KEYS.join(", ")})`);
  }

  const mode = raw.mode === undefined ? DEFAULT_MODE : raw.mode;
  let modeOk = false;
  if (typeof mode !== "string") bad("mode", mode, "is not a string");
  else if (!(NETWORK_MODES as readonly string[]).includes(mode)) bad("mode", mode, `is not a network mode (expected ${orList(NETWORK_MODES)})`);
  else modeOk = true;

  const init = raw.init === undefined ? DEFAULT_INIT : raw.init;
  if (typeof init !== "string") bad("init", init, "is not a string");
  else if (!(INIT_ERAS as readonly string[]).includes(init)) bad("init", init, `is not an init era (expected ${orList(INIT_ERAS)})`);

  const label = raw.label === undefined ? DEFAULT_LABEL : raw.label;
  if (typeof label !== "string") bad("label", label, "is not a string");
  else if (!SAFE_LABEL.test(label)) {
    bad("label", label, "is not a safe directory name (1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-')");
  } else if ((RESERVED_LABELS as readonly string[]).includes(label)) {
    bad("label", label, `is reserved (/etc/net/${label} belongs to Redox or to the scripts)`);
  }

  const rawStatic = raw.static === undefined ? DEFAULT_STATIC : raw.static;
  let staticNetwork: StaticNetwork | undefined;
  if (modeOk && usesStatic(mode as NetworkMode)) {
    if (rawStatic === null) {
      if (mode === "static") missing("static", "missing (static mode needs ip, netmask and gateway)");
    } else {
      staticNetwork = checkStatic(rawStatic, bad, missing);
    }
  }

  const netcheck = raw.netcheck === undefined ? false : raw.netcheck;
  if (typeof netcheck !== "boolean") bad("netcheck", netcheck, "is not a boolean (true or false)");
  // In mode none no script configures the network: every check would fail, always.
  else if (netcheck && mode === "none") bad("netcheck", netcheck, "has nothing to check in mode none (no script configures the network)");

  if (problems.length > 0) return { ok: false, problems };
  const config: NetworkConfig = { mode: mode as NetworkMode, label: label as string, init: init as InitEra };
  if (staticNetwork !== undefined) config.static = staticNetwork;
  if (netcheck === true) config.netcheck = true;
  return { ok: true, config };
}

type Report = (field: string, value: unknown, problem: string) => void;
type ReportMissing = (field: string, problem: string) => void;

/** The static values, checked as the guest's loadStaticConfig checks its files; undefined when any is wrong. */
function checkStatic(raw: unknown, bad: Report, missing: ReportMissing): StaticNetwork | undefined {
  if (!isObject(raw)) {
    bad("static", raw, "is not an object with ip, netmask, gateway and dns");
    return undefined;
  }
  let ok = true;
  for (const key of Object.keys(raw).sort()) {
    if (!(STATIC_KEYS as readonly string[]).includes(key)) {
      missing(`static.${key}`, `unknown setting (expected ${STATIC_KEYS.join(", ")})`);
      ok = false;
    }
  }
  /** Why a required string field cannot be used at all (missing, not a string, padded), or undefined. */
  const shapeOf = (key: "ip" | "netmask" | "gateway"): [boolean, string] | undefined => {
    const v = raw[key];
    if (v === undefined) return [false, "missing"];
    if (typeof v !== "string") return [true, "is not a string"];
    if (EDGE_WHITESPACE.test(v)) return [true, "has leading or trailing whitespace"];
    return undefined;
  };
  const shape = { ip: shapeOf("ip"), netmask: shapeOf("netmask"), gateway: shapeOf("gateway") };
  const ip = raw.ip as string;
  const netmask = raw.netmask as string;
  const gateway = raw.gateway as string;

  // As the guest does: the mask first, since the address and the gateway are judged in its subnet.
  const prefix = shape.netmask === undefined && netmaskProblem(netmask) === "" ? prefixOf(netmask) : -1;
  const ipProblem = shape.ip === undefined ? hostProblem(ip, prefix >= 0 ? prefix : 32) : "";
  const problemOf: Record<"ip" | "netmask" | "gateway", string> = {
    ip: ipProblem,
    netmask: shape.netmask === undefined ? netmaskProblem(netmask) : "",
    // Without a valid address and subnet the gateway is still checked on its own, so its errors show too.
    gateway:
      shape.gateway === undefined ? (shape.ip === undefined && ipProblem === "" && prefix >= 0 ? gatewayProblem(gateway, ip, prefix) : addressProblem(gateway)) : "",
  };
  for (const key of ["ip", "netmask", "gateway"] as const) {
    const field = `static.${key}`;
    const sh = shape[key];
    if (sh !== undefined) {
      if (sh[0]) bad(field, raw[key], sh[1]);
      else missing(field, sh[1]);
      ok = false;
    } else if (problemOf[key] !== "") {
      bad(field, raw[key], problemOf[key]);
      ok = false;
    }
  }
  const check = (field: string, value: string, problem: string): boolean => {
    if (problem === "") return true;
    bad(field, value, problem);
    ok = false;
    return false;
  };

  const dns: string[] = [];
  const rawDns = raw.dns === undefined ? [] : raw.dns;
  if (!Array.isArray(rawDns)) {
    bad("static.dns", rawDns, "is not a list of addresses");
    ok = false;
  } else {
    if (rawDns.length > 1) {
      bad("static.dns", rawDns, `holds ${rawDns.length} servers; at most one is supported (relibc reads exactly one line of /etc/net/dns)`);
      ok = false;
    }
    rawDns.forEach((entry: unknown, i: number) => {
      const field = `static.dns[${i}]`;
      if (typeof entry !== "string") {
        bad(field, entry, "is not a string");
        ok = false;
      } else if (EDGE_WHITESPACE.test(entry)) {
        bad(field, entry, "has leading or trailing whitespace");
        ok = false;
      } else if (check(field, entry, dnsProblem(entry))) {
        dns.push(entry);
      }
    });
  }
  if (!ok) return undefined;
  return { ip: ip!, netmask: netmask!, gateway: gateway!, dns };
}
