/**
 * The host network model: networks (topology, subnet, host address, DHCP,
 * NAT) and VMs (network, guest mode, address, MAC, TAP, vsock CID, queues,
 * guest DNS, label, init era), merged from layers field by field and checked
 * by ONE validator, `buildModel`. The same resolved values drive the host
 * side (TAP, bridge, NAT, DHCP static leases: plan.ts) and the guest side
 * (`guestNetworkConfig`, the NetworkConfig `tsion pack` consumes), so the
 * two cannot disagree.
 *
 * Layers, highest first: command line, configuration file, environment
 * (TAP_NAME, HOST_IP, GUEST_IP, GUEST_MAC), built-in defaults. A VM's field
 * is the first one set in any layer's [vms.NAME], else in any layer's
 * [defaults] (the image-level defaults), else the built-in default.
 */
import * as crypto from "node:crypto";
import { validateNetworkConfig } from "../../pack/validate.ts";
import { DEFAULT_INIT, DEFAULT_LABEL, type InitEra, type NetworkConfig, type NetworkMode } from "../../pack/network-config.ts";
import {
  broadcastOf,
  contains,
  dottedMask,
  formatCidr,
  formatIPv4,
  isUnicastHost,
  isUnicastMac,
  networkOf,
  overlaps,
  parseCidr,
  parseIPv4,
  parseMac,
  type Cidr,
} from "./addresses.ts";

export type Topology = "tap-nat" | "bridge" | "vsock";
export const TOPOLOGIES: readonly Topology[] = ["tap-nat", "bridge", "vsock"];
/** tap-nat: `shared` puts every VM in one subnet (host routes per TAP), `routed` gives each VM its own block. */
export type Layout = "shared" | "routed";
export const LAYOUTS: readonly Layout[] = ["shared", "routed"];
export const GUEST_MODES: readonly NetworkMode[] = ["auto", "dhcp", "static", "none"];

/** The VM of the existing single-VM workflow (`tsion net setup` with no VM named). */
export const DEFAULT_VM = "default";
export const DEFAULT_NETWORK = "default";
export const DEFAULT_TAP = "tap0";
export const DEFAULT_HOST_CIDR = "172.16.0.1/24";
export const DEFAULT_GUEST_MAC = "52:54:00:12:34:56";
export const DEFAULT_VM_PREFIX = 30;
export const MAX_QUEUES = 64;
/** vsock CIDs 0-2 are reserved (hypervisor, local, host); 0xffffffff is VMADDR_CID_ANY. */
export const MIN_CID = 3;
export const MAX_CID = 0xfffffffe;

export const NETWORK_KEYS = ["topology", "subnet", "host", "layout", "vm-prefix", "bridge", "dhcp", "nat"] as const;
export const VM_KEYS = ["network", "mode", "ip", "mac", "tap", "cid", "queues", "dns", "label", "init"] as const;
type NetworkKey = (typeof NETWORK_KEYS)[number];
type VmKey = (typeof VM_KEYS)[number];

/** Network names appear in the bridge (tsbr-NAME), nft table (tsion-NAME) and iptables chain (tsion-NAME-fwd) names. */
const NETWORK_NAME = /^[a-z][a-z0-9-]{0,9}$/;
/** VM names become file names in the state directory and may become TAP names. */
const VM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Linux allows 15 bytes; we allow only characters that need no quoting anywhere and mean nothing to sysctl paths. */
const IFACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,14}$/;
/** Names with a meaning of their own under /proc/sys/net/ipv4/conf/. */
const RESERVED_IFACES = ["all", "default", "lo"];

export interface NetworkSpec {
  name: string;
  topology: Topology;
  /** Canonical CIDR; "" for vsock. */
  subnet: string;
  /** Host address (the guests' gateway) for shared tap-nat and bridge; "" for routed tap-nat and vsock. */
  host: string;
  layout: Layout;
  /** routed: the prefix of each VM's block. */
  vmPrefix: number;
  /** bridge: the bridge's name; "" otherwise. */
  bridge: string;
  dhcp: boolean;
  nat: boolean;
}

export interface VmSpec {
  name: string;
  network: string;
  mode: NetworkMode;
  /** Explicitly configured values; what is absent is allocated (allocate.ts). */
  ip?: string;
  mac?: string;
  cid?: number;
  /** Configured or derived from the name; "" for vsock. */
  tap: string;
  queues: number;
  dns: string[];
  label: string;
  init: InitEra;
}

export interface NetworkModel {
  networks: Record<string, NetworkSpec>;
  vms: Record<string, VmSpec>;
}

/** What allocation decided for one VM (recorded in the state directory). */
export interface Allocation {
  network: string;
  ip?: string;
  mac?: string;
  cid?: number;
  tap?: string;
}

/** One VM's network, resolved: everything the host side and the VMM need, and the guest's configuration. */
export interface VmNetwork {
  vm: string;
  network: string;
  topology: Topology;
  /** TAP device the VMM opens (tap-nat, bridge). */
  tap?: string;
  /** Bridge the TAP is enslaved to (bridge). */
  bridge?: string;
  mac?: string;
  /** TAP queue pairs; the TAP is multi-queue when > 1. */
  queues: number;
  /** The guest's address, prefix and gateway (the host end), and its segment. */
  ip?: string;
  prefix?: number;
  netmask?: string;
  gateway?: string;
  subnet?: string;
  cid?: number;
  dhcp: boolean;
  guest: NetworkConfig;
}

// ---------------------------------------------------------------------------
// Layers

export type Fields = Record<string, unknown>;

export interface ConfigLayer {
  /** Shown in messages: a file path, `GUEST_IP (environment)`, `command line`. */
  source: string;
  defaults?: Fields;
  networks?: Record<string, Fields>;
  vms?: Record<string, Fields>;
}

/** The built-in network of the existing workflow. */
const BUILTIN = "built-in default";

export function builtinLayer(): ConfigLayer {
  return {
    source: BUILTIN,
    networks: { [DEFAULT_NETWORK]: { topology: "tap-nat", subnet: "172.16.0.0/24", host: "172.16.0.1" } },
  };
}

/**
 * TAP_NAME, HOST_IP (`a.b.c.d` or `a.b.c.d/n`; the subnet follows), GUEST_IP
 * and GUEST_MAC: the variables of the existing workflow, for the default
 * network and VM. One layer per variable so messages name it.
 */
export function environmentLayers(env: NodeJS.ProcessEnv = process.env): ConfigLayer[] {
  const layers: ConfigLayer[] = [];
  const vm = (variable: string, key: VmKey): void => {
    const v = env[variable];
    if (v !== undefined && v !== "") layers.push({ source: `${variable} (environment)`, vms: { [DEFAULT_VM]: { [key]: v } } });
  };
  vm("TAP_NAME", "tap");
  vm("GUEST_IP", "ip");
  vm("GUEST_MAC", "mac");
  const hostIp = env.HOST_IP;
  if (hostIp !== undefined && hostIp !== "") {
    const text = hostIp.includes("/") ? hostIp : `${hostIp}/24`;
    const c = parseCidr(text);
    // An unparsable value is handed on as is: the validator reports it under `host`.
    const fields: Fields = c ? { host: formatIPv4(c.addr), subnet: formatCidr({ addr: networkOf(c.addr, c.prefix), prefix: c.prefix }) } : { host: hostIp };
    layers.push({ source: "HOST_IP (environment)", networks: { [DEFAULT_NETWORK]: fields } });
  }
  return layers;
}

// ---------------------------------------------------------------------------
// Problems

export interface Problem {
  source: string;
  /** `networks.lab.subnet`, `vms.web.ip`, `vm name`. */
  field: string;
  value?: unknown;
  hasValue: boolean;
  problem: string;
}

/** A value as messages show it: strings quoted, control characters visible (a name must not break a message line). */
export function showValue(value: unknown): string {
  if (typeof value !== "string") return JSON.stringify(value) ?? String(value);
  const escaped = value.replace(/[\x00-\x1f\x7f]/g, (c) => ({ "\n": "\\n", "\t": "\\t", "\r": "\\r" })[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return `'${escaped}'`;
}

export function formatProblem(p: Problem): string {
  return `${p.source}: ${p.field}: ${p.hasValue ? `${showValue(p.value)} ` : ""}${p.problem}`;
}

export class ModelError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
  }
}

// ---------------------------------------------------------------------------
// Names

export function checkInterfaceName(name: string): string {
  if (!IFACE_NAME.test(name)) return "is not a usable interface name (1 to 15 letters, digits, '-' or '_', starting with a letter or digit)";
  if (RESERVED_IFACES.includes(name)) return "is reserved (it names a sysctl directory of its own)";
  return "";
}

export function checkVmName(name: string): string {
  return VM_NAME.test(name) ? "" : "is not a VM name (1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit)";
}

export function checkNetworkName(name: string): string {
  return NETWORK_NAME.test(name) ? "" : "is not a network name (1 to 10 lower-case letters, digits or '-', starting with a letter)";
}

/** `tap0` for the default VM, `tap-NAME` when it fits in 15 characters, else `tsn` + 12 characters of a hash of the name. */
export function derivedTapName(vm: string): string {
  if (vm === DEFAULT_VM) return DEFAULT_TAP;
  const plain = `tap-${vm}`;
  if (plain.length <= 15 && /^[a-z0-9-]+$/.test(vm)) return plain;
  return `tsn${base32(crypto.createHash("sha256").update(`tap\0${vm}`).digest()).slice(0, 12)}`;
}

function base32(bytes: Uint8Array): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  let bits = 0;
  let value = 0;
  let out = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export function nftTableName(network: string): string {
  return `tsion-${network}`;
}

// ---------------------------------------------------------------------------
// The validator

interface Picked {
  value: unknown;
  source: string;
  /** Set in the VM's (or network's) own section, not inherited from [defaults]. */
  own: boolean;
}

const isObject = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);

function orList(words: readonly string[]): string {
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

/**
 * Merges `layers` (highest first) and validates everything, reporting every
 * problem with its source and field. `requested` are VM names asked for on
 * the command line: they join the model with their defaults when no layer
 * lists them. Throws ModelError.
 */
export function buildModel(layers: ConfigLayer[], requested: string[] = []): NetworkModel {
  const problems: Problem[] = [];
  const bad = (source: string, field: string, value: unknown, problem: string): void => {
    problems.push({ source, field, value, hasValue: true, problem });
  };
  const missing = (source: string, field: string, problem: string): void => {
    problems.push({ source, field, hasValue: false, problem });
  };

  // Shape: sections are tables of known keys.
  for (const layer of layers) {
    const sections: [string, unknown, readonly string[]][] = [["defaults", layer.defaults, VM_KEYS]];
    for (const [name, fields] of Object.entries(layer.networks ?? {})) sections.push([`networks.${name}`, fields, NETWORK_KEYS]);
    for (const [name, fields] of Object.entries(layer.vms ?? {})) sections.push([`vms.${name}`, fields, VM_KEYS]);
    for (const [path, fields, keys] of sections) {
      if (fields === undefined) continue;
      if (!isObject(fields)) {
        bad(layer.source, path, fields, `is not a table (expected keys ${keys.join(", ")})`);
        continue;
      }
      for (const key of Object.keys(fields).sort()) {
        if (!keys.includes(key)) missing(layer.source, `${path}.${key}`, `unknown setting (expected ${keys.join(", ")})`);
      }
    }
  }

  const sourceOfName = (kind: "networks" | "vms", name: string): string =>
    layers.find((l) => l[kind]?.[name] !== undefined)?.source ?? "command line";

  const pickNetwork = (name: string, key: NetworkKey): Picked | undefined => {
    for (const l of layers) {
      const f = l.networks?.[name];
      if (isObject(f) && f[key] !== undefined) return { value: f[key], source: l.source, own: true };
    }
    return undefined;
  };
  const pickVm = (name: string, key: VmKey): Picked | undefined => {
    for (const l of layers) {
      const f = l.vms?.[name];
      if (isObject(f) && f[key] !== undefined) return { value: f[key], source: l.source, own: true };
    }
    for (const l of layers) {
      if (isObject(l.defaults) && l.defaults[key] !== undefined) return { value: l.defaults[key], source: l.source, own: false };
    }
    return undefined;
  };

  // The default VM (tap0, 172.16.0.2) is in the model when named, or when no layer lists VMs (the single-VM workflow).
  const listed = layers.flatMap((l) => Object.keys(l.vms ?? {}));
  const vmNames = byDefaultFirst([...new Set([...listed, ...requested, ...(listed.length === 0 ? [DEFAULT_VM] : [])])], DEFAULT_VM);
  // Networks defined outside the built-in defaults, and the built-in one when a VM uses it.
  const used = vmNames.map((n) => pickVm(n, "network")?.value ?? DEFAULT_NETWORK).filter((n): n is string => typeof n === "string");
  const defined = layers.filter((l) => l.source !== BUILTIN).flatMap((l) => Object.keys(l.networks ?? {}));
  const networkNames = byDefaultFirst([...new Set([...defined, ...used])].filter((n) => defined.includes(n) || layers.some((l) => l.networks?.[n] !== undefined)), DEFAULT_NETWORK);

  // --- networks
  const networks: Record<string, NetworkSpec> = {};
  const cidrs = new Map<string, { cidr: Cidr; source: string }>();
  for (const name of networkNames) {
    const at = (key: string) => `networks.${name}.${key}`;
    const nameProblem = checkNetworkName(name);
    if (nameProblem) {
      bad(sourceOfName("networks", name), "network name", name, nameProblem);
      continue;
    }
    const str = (key: NetworkKey): { text: string; p: Picked } | undefined => {
      const p = pickNetwork(name, key);
      if (p === undefined) return undefined;
      if (typeof p.value !== "string") {
        bad(p.source, at(key), p.value, "is not a string");
        return undefined;
      }
      return { text: p.value, p };
    };
    const bool = (key: NetworkKey): { value: boolean; p: Picked } | undefined => {
      const p = pickNetwork(name, key);
      if (p === undefined) return undefined;
      if (typeof p.value !== "boolean") {
        bad(p.source, at(key), p.value, "is not true or false");
        return undefined;
      }
      return { value: p.value, p };
    };
    const notUsed = (key: NetworkKey, why: string): void => {
      const p = pickNetwork(name, key);
      if (p !== undefined) bad(p.source, at(key), p.value, `is not used ${why}`);
    };

    const topo = str("topology");
    if (topo === undefined) {
      if (pickNetwork(name, "topology") === undefined) missing(sourceOfName("networks", name), at("topology"), `missing (expected ${orList(TOPOLOGIES)})`);
      continue;
    }
    if (!(TOPOLOGIES as readonly string[]).includes(topo.text)) {
      bad(topo.p.source, at("topology"), topo.text, `is not a topology (expected ${orList(TOPOLOGIES)})`);
      continue;
    }
    const topology = topo.text as Topology;
    const spec: NetworkSpec = { name, topology, subnet: "", host: "", layout: "shared", vmPrefix: DEFAULT_VM_PREFIX, bridge: "", dhcp: false, nat: false };
    const before = problems.length;

    if (topology === "vsock") {
      for (const key of ["subnet", "host", "layout", "vm-prefix", "bridge", "dhcp", "nat"] as const) notUsed(key, "by topology vsock (no IP networking)");
      if (problems.length === before) networks[name] = spec;
      continue;
    }

    // layout and vm-prefix
    const layout = str("layout");
    if (layout !== undefined) {
      if (topology !== "tap-nat") bad(layout.p.source, at("layout"), layout.text, "is not used by topology bridge (every TAP joins the bridge's subnet)");
      else if (!(LAYOUTS as readonly string[]).includes(layout.text)) {
        bad(layout.p.source, at("layout"), layout.text, `is not a layout (expected ${orList(LAYOUTS)})`);
      } else spec.layout = layout.text as Layout;
    }
    const vmPrefix = pickNetwork(name, "vm-prefix");
    if (vmPrefix !== undefined) {
      if (spec.layout !== "routed") bad(vmPrefix.source, at("vm-prefix"), vmPrefix.value, "is only used by the routed tap-nat layout");
      else if (!Number.isInteger(vmPrefix.value) || (vmPrefix.value as number) < 8 || (vmPrefix.value as number) > 30) {
        bad(vmPrefix.source, at("vm-prefix"), vmPrefix.value, "is not a prefix length from 8 to 30 (each VM's block needs a host and a guest address)");
      } else spec.vmPrefix = vmPrefix.value as number;
    }

    // subnet and host
    const subnet = str("subnet");
    let cidr: Cidr | undefined;
    if (subnet === undefined) {
      if (pickNetwork(name, "subnet") === undefined) missing(sourceOfName("networks", name), at("subnet"), "missing (a CIDR such as 10.0.0.0/24)");
    } else {
      const c = parseCidr(subnet.text);
      const maxPrefix = spec.layout === "routed" ? spec.vmPrefix : 30;
      if (c === null) bad(subnet.p.source, at("subnet"), subnet.text, "is not a CIDR (a.b.c.d/n with 0 <= n <= 32)");
      else if (networkOf(c.addr, c.prefix) !== c.addr) {
        const canonical = formatCidr({ addr: networkOf(c.addr, c.prefix), prefix: c.prefix });
        bad(subnet.p.source, at("subnet"), subnet.text, `has host bits set (the subnet is ${canonical}; give the host address as host)`);
      } else if (c.prefix > maxPrefix) {
        bad(
          subnet.p.source,
          at("subnet"),
          subnet.text,
          spec.layout === "routed"
            ? `is smaller than one VM block (/${spec.vmPrefix})`
            : "is too small: the prefix must be at most /30 (a network, a host, a guest and a broadcast address)",
        );
      } else if (!isUnicastHost(c.addr) || !isUnicastHost(broadcastOf(c.addr, c.prefix))) {
        bad(subnet.p.source, at("subnet"), subnet.text, "is not a unicast range (0/8, 127/8, 169.254/16, multicast and 240/4 are refused)");
      } else {
        cidr = c;
        spec.subnet = formatCidr(c);
      }
    }
    const host = str("host");
    if (spec.layout === "routed") {
      if (host !== undefined) bad(host.p.source, at("host"), host.text, "is not used by the routed layout (the host end of each VM's block is its first address)");
    } else if (cidr !== undefined) {
      if (host === undefined) {
        spec.host = formatIPv4(cidr.addr + 1);
      } else {
        const h = parseIPv4(host.text);
        if (h === null) bad(host.p.source, at("host"), host.text, "is not an IPv4 address (a.b.c.d)");
        else if (!contains(cidr, h)) bad(host.p.source, at("host"), host.text, `is outside the subnet ${spec.subnet}`);
        else if (h === cidr.addr) bad(host.p.source, at("host"), host.text, `is the network address of ${spec.subnet}`);
        else if (h === broadcastOf(cidr.addr, cidr.prefix)) bad(host.p.source, at("host"), host.text, `is the broadcast address of ${spec.subnet}`);
        else spec.host = host.text;
      }
    }

    // bridge, dhcp, nat
    const bridge = str("bridge");
    if (topology === "bridge") {
      spec.bridge = bridge?.text ?? `tsbr-${name}`;
      const p = checkInterfaceName(spec.bridge);
      if (p) {
        bad(bridge?.p.source ?? "built-in default", at("bridge"), spec.bridge, p);
      }
    } else if (bridge !== undefined) bad(bridge.p.source, at("bridge"), bridge.text, "is only used by topology bridge");
    const dhcp = bool("dhcp");
    if (dhcp !== undefined) spec.dhcp = dhcp.value;
    if (dhcp !== undefined && spec.dhcp && spec.layout === "routed") {
      bad(dhcp.p.source, at("dhcp"), true, "is not supported with the routed layout (use shared, or a bridge)");
    }
    const nat = bool("nat");
    if (topology === "tap-nat") {
      spec.nat = true;
      if (nat !== undefined && !nat.value) bad(nat.p.source, at("nat"), false, "cannot be turned off for tap-nat (use topology bridge with nat = false for a host-only network)");
    } else {
      spec.nat = nat?.value ?? true;
    }

    if (cidr !== undefined) {
      for (const [other, o] of cidrs) {
        if (overlaps(cidr, o.cidr)) bad(subnet!.p.source, at("subnet"), spec.subnet, `overlaps the subnet ${formatCidr(o.cidr)} of network ${other}`);
      }
      cidrs.set(name, { cidr, source: subnet!.p.source });
    }
    if (problems.length === before) networks[name] = spec;
  }

  // --- VMs
  const vms: Record<string, VmSpec> = {};
  for (const name of vmNames) {
    const at = (key: string) => `vms.${name}.${key}`;
    const nameProblem = checkVmName(name);
    if (nameProblem) {
      bad(sourceOfName("vms", name), "vm name", name, nameProblem);
      continue;
    }
    const netPick = pickVm(name, "network");
    const netName = netPick?.value ?? DEFAULT_NETWORK;
    if (typeof netName !== "string") {
      bad(netPick!.source, at("network"), netName, "is not a string");
      continue;
    }
    const net = networks[netName];
    if (net === undefined) {
      // A network that failed validation has its own messages already.
      if (!layers.some((l) => l.networks?.[netName] !== undefined)) {
        bad(netPick?.source ?? "built-in default", at("network"), netName, `is not a defined network (defined: ${[...new Set(layers.flatMap((l) => Object.keys(l.networks ?? {})))].sort().join(", ") || "none"})`);
      }
      continue;
    }
    const where = `by topology ${net.topology}`;
    let ok = true;
    const fail = (p: Picked, key: VmKey, problem: string): void => {
      bad(p.source, at(key), p.value, problem);
      ok = false;
    };
    /** A field that this topology does not use: an error when set for this VM, ignored when inherited from [defaults]. */
    const unused = (key: VmKey): boolean => {
      const p = pickVm(name, key);
      if (p?.own) fail(p, key, `is not used ${where}`);
      return true;
    };

    const spec: VmSpec = { name, network: netName, mode: "none", tap: "", queues: 1, dns: [], label: DEFAULT_LABEL, init: DEFAULT_INIT };

    // mode
    const modePick = pickVm(name, "mode");
    const defaultMode: NetworkMode = net.topology === "vsock" ? "none" : net.dhcp ? "auto" : "static";
    if (modePick === undefined) spec.mode = defaultMode;
    else if (typeof modePick.value !== "string" || !(GUEST_MODES as readonly string[]).includes(modePick.value)) {
      fail(modePick, "mode", `is not a guest mode (expected ${orList(GUEST_MODES)})`);
    } else if (net.topology === "vsock" && modePick.value !== "none") {
      fail(modePick, "mode", "cannot be used by topology vsock (no IP networking: the guest mode is none)");
    } else if (modePick.value === "dhcp" && !net.dhcp) {
      fail(modePick, "mode", `needs a DHCP server, and network ${netName} has dhcp = false (use static or auto, or set dhcp = true)`);
    } else spec.mode = modePick.value as NetworkMode;

    if (net.topology === "vsock") {
      for (const key of ["ip", "mac", "tap", "queues", "dns"] as const) unused(key);
      const cid = pickVm(name, "cid");
      if (cid !== undefined) {
        if (!Number.isInteger(cid.value) || (cid.value as number) < MIN_CID || (cid.value as number) > MAX_CID) {
          fail(cid, "cid", `is not a vsock CID (an integer from ${MIN_CID} to ${MAX_CID}; 0-2 are reserved)`);
        } else if (!cid.own) {
          fail(cid, "cid", "is an image-level default, but CIDs are unique per VM: set it in [vms.NAME]");
        } else spec.cid = cid.value as number;
      }
    } else {
      const cid = pickVm(name, "cid");
      if (cid?.own) fail(cid, "cid", `is not used ${where} (only vsock VMs have a CID)`);
      for (const key of ["ip", "mac", "tap"] as const) {
        const p = pickVm(name, key);
        if (p !== undefined && !p.own) fail(p, key, "is an image-level default, but it must be unique per VM: set it in [vms.NAME]");
      }
      // ip
      const ipPick = pickVm(name, "ip");
      const ipText = (ipPick?.own ? ipPick.value : undefined) ?? (name === DEFAULT_VM && net.name === DEFAULT_NETWORK && net.layout === "shared" ? defaultGuestIp(net) : undefined);
      if (ipText !== undefined) {
        const problem = typeof ipText === "string" ? guestIpProblem(net, ipText) : "is not a string";
        if (problem) fail(ipPick ?? { value: ipText, source: "built-in default", own: true }, "ip", problem);
        else spec.ip = ipText as string;
      }
      // mac
      const macPick = pickVm(name, "mac");
      const macValue = (macPick?.own ? macPick.value : undefined) ?? (name === DEFAULT_VM ? DEFAULT_GUEST_MAC : undefined);
      if (macValue !== undefined) {
        const mac = typeof macValue === "string" ? parseMac(macValue) : null;
        const p = macPick ?? { value: macValue, source: "built-in default", own: true };
        if (mac === null) fail(p, "mac", "is not a MAC address (six hex octets separated by ':')");
        else if (!isUnicastMac(mac)) fail(p, "mac", "is not a unicast MAC (bit 0 of the first octet must be clear)");
        else spec.mac = mac;
      }
      // tap
      const tapPick = pickVm(name, "tap");
      if (tapPick?.own) {
        const problem = typeof tapPick.value === "string" ? checkInterfaceName(tapPick.value) : "is not a string";
        if (problem) fail(tapPick, "tap", problem);
        else spec.tap = tapPick.value as string;
      } else spec.tap = derivedTapName(name);
      // queues
      const q = pickVm(name, "queues");
      if (q !== undefined) {
        if (!Number.isInteger(q.value) || (q.value as number) < 1 || (q.value as number) > MAX_QUEUES) {
          fail(q, "queues", `is not a number of queue pairs from 1 to ${MAX_QUEUES}`);
        } else spec.queues = q.value as number;
      }
      // dns
      const dnsPick = pickVm(name, "dns");
      if (dnsPick !== undefined) {
        const list = typeof dnsPick.value === "string" ? [dnsPick.value] : dnsPick.value;
        if (!Array.isArray(list)) fail(dnsPick, "dns", "is not an address or a list of addresses");
        else if (list.length > 1) fail(dnsPick, "dns", "holds more than one server; at most one is supported (relibc reads exactly one line of /etc/net/dns)");
        else if (list.some((d) => typeof d !== "string" || parseIPv4(d) === null || !isUnicastHost(parseIPv4(d)!))) {
          fail(dnsPick, "dns", "is not a unicast IPv4 address (a.b.c.d)");
        } else spec.dns = list as string[];
      }
    }

    // label and init: the guest configuration's own rules (pack/validate.ts).
    const labelPick = pickVm(name, "label");
    const initPick = pickVm(name, "init");
    const guest = validateNetworkConfig({ mode: "none", label: labelPick?.value ?? DEFAULT_LABEL, init: initPick?.value ?? DEFAULT_INIT });
    if (guest.ok) {
      spec.label = guest.config.label;
      spec.init = guest.config.init;
    } else {
      for (const p of guest.problems) {
        const pick = p.field === "label" ? labelPick : initPick;
        fail(pick ?? { value: p.value, source: "built-in default", own: false }, p.field as VmKey, p.problem);
      }
    }
    if (ok) vms[name] = spec;
  }

  // --- uniqueness across VMs (explicit and derived values)
  const seen = new Map<string, string>();
  const unique = (kind: string, key: string, vm: string, field: VmKey, value: unknown): void => {
    const id = `${kind}\0${key}`;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, vm);
    else bad(sourceOf(layers, vm, field), `vms.${vm}.${field}`, value, `is also the ${kind} of VM ${first}`);
  };
  for (const net of Object.values(networks)) if (net.bridge) seen.set(`interface\0${net.bridge}`, `(the bridge of network ${net.name})`);
  for (const vm of Object.values(vms)) {
    const net = networks[vm.network]!;
    if (vm.ip !== undefined) unique("address", net.layout === "routed" ? blockOf(net, parseIPv4(vm.ip)!) : `${vm.network}/${vm.ip}`, vm.name, "ip", vm.ip);
    if (vm.mac !== undefined) unique("MAC", vm.mac, vm.name, "mac", vm.mac);
    if (vm.tap !== "") unique("interface", vm.tap, vm.name, "tap", vm.tap);
    if (vm.cid !== undefined) unique("CID", String(vm.cid), vm.name, "cid", vm.cid);
  }
  // dnsmasq hands one dns-server option to a whole bridge.
  for (const net of Object.values(networks)) {
    if (!net.dhcp || net.topology !== "bridge") continue;
    const members = Object.values(vms).filter((v) => v.network === net.name);
    const first = members[0];
    for (const v of members.slice(1)) {
      if (v.dns.join(",") !== first!.dns.join(",")) {
        bad(sourceOf(layers, v.name, "dns"), `vms.${v.name}.dns`, v.dns, `differs from VM ${first!.name}'s; the VMs of DHCP bridge ${net.name} share one dns-server option`);
      }
    }
  }

  if (problems.length > 0) throw new ModelError(problems);
  return { networks, vms };
}

/** Sorted, with `first` (the built-in name) ahead so that a clash is reported at the name the user chose. */
function byDefaultFirst(names: string[], first: string): string[] {
  return names.sort((a, b) => (a === first ? -1 : b === first ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

function sourceOf(layers: ConfigLayer[], vm: string, key: VmKey): string {
  for (const l of layers) if (isObject(l.vms?.[vm]) && l.vms![vm]![key] !== undefined) return l.source;
  return "built-in default";
}

function defaultGuestIp(net: NetworkSpec): string | undefined {
  const h = parseIPv4(net.host);
  const c = parseCidr(net.subnet);
  if (h === null || c === null) return undefined;
  const next = h + 1;
  return next < broadcastOf(c.addr, c.prefix) ? formatIPv4(next) : undefined;
}

/** The routed block holding an address, as `network/a.b.c.d` text. */
function blockOf(net: NetworkSpec, addr: number): string {
  return `${net.name}/${formatIPv4(networkOf(addr, net.vmPrefix))}`;
}

/** Why `text` cannot be a guest address in `net` ("" when it can). */
export function guestIpProblem(net: NetworkSpec, text: string): string {
  const a = parseIPv4(text);
  if (a === null) return "is not an IPv4 address (a.b.c.d)";
  const c = parseCidr(net.subnet)!;
  if (!contains(c, a)) return `is outside the subnet ${net.subnet} of network ${net.name}`;
  const seg: Cidr = net.layout === "routed" ? { addr: networkOf(a, net.vmPrefix), prefix: net.vmPrefix } : c;
  const segText = formatCidr({ addr: networkOf(seg.addr, seg.prefix), prefix: seg.prefix });
  if (a === networkOf(seg.addr, seg.prefix)) return `is the network address of ${segText}`;
  if (a === broadcastOf(seg.addr, seg.prefix)) return `is the broadcast address of ${segText}`;
  if (a === hostAddressOf(net, a)) return `is the host's address (the gateway) of ${segText}`;
  return "";
}

/** The host end of the segment holding guest address `a`: the network's host address, or the first address of a routed block. */
export function hostAddressOf(net: NetworkSpec, a: number): number {
  return net.layout === "routed" ? networkOf(a, net.vmPrefix) + 1 : parseIPv4(net.host)!;
}

/** The VM's segment: the network's subnet, or its routed block. */
export function segmentOf(net: NetworkSpec, a: number): Cidr {
  return net.layout === "routed" ? { addr: networkOf(a, net.vmPrefix), prefix: net.vmPrefix } : parseCidr(net.subnet)!;
}

// ---------------------------------------------------------------------------
// Lookups

export function vmSpec(model: NetworkModel, vm: string): VmSpec {
  const spec = model.vms[vm];
  if (spec === undefined) throw new Error(`VM ${vm} is not in the network model`);
  return spec;
}

/** One VM's network from the model and its allocation. */
export function vmNetwork(model: NetworkModel, vm: string, alloc: Allocation): VmNetwork {
  const spec = vmSpec(model, vm);
  const net = model.networks[spec.network]!;
  const out: Omit<VmNetwork, "guest"> = { vm, network: net.name, topology: net.topology, queues: spec.queues, dhcp: net.dhcp };
  if (net.topology === "vsock") {
    out.cid = alloc.cid;
    out.queues = 1;
  } else {
    const a = parseIPv4(alloc.ip!)!;
    const seg = segmentOf(net, a);
    out.tap = alloc.tap ?? spec.tap;
    if (net.topology === "bridge") out.bridge = net.bridge;
    out.mac = alloc.mac;
    out.ip = alloc.ip;
    out.prefix = seg.prefix;
    out.netmask = dottedMask(seg.prefix);
    out.gateway = formatIPv4(hostAddressOf(net, a));
    out.subnet = formatCidr(seg);
  }
  return { ...out, guest: guestConfigOf(spec, out) };
}

/**
 * The guest's network configuration (what `tsion pack` writes to the
 * image), from the same values as the host side: static and auto carry the
 * allocated address, the segment's mask and the host end as gateway (the
 * DHCP static lease hands out the same address); dhcp and none carry none.
 */
export function guestNetworkConfig(model: NetworkModel, vm: string, alloc: Allocation): NetworkConfig {
  return vmNetwork(model, vm, alloc).guest;
}

function guestConfigOf(spec: VmSpec, n: Omit<VmNetwork, "guest">): NetworkConfig {
  const config: NetworkConfig = { mode: spec.mode, label: spec.label, init: spec.init };
  if ((spec.mode === "static" || spec.mode === "auto") && n.ip !== undefined) {
    config.static = { ip: n.ip, netmask: n.netmask!, gateway: n.gateway!, dns: [...spec.dns] };
  }
  // The packer's validator is the authority on guest configurations: never hand out one it refuses.
  const checked = validateNetworkConfig(config.static === undefined && config.mode === "auto" ? { ...config, static: null } : config);
  if (!checked.ok) throw new Error(`internal error: the guest configuration of VM ${spec.name} is refused by tsion pack: ${JSON.stringify(checked.problems)}`);
  return config;
}
