/**
 * Allocation of guest addresses, MACs and vsock CIDs: deterministic per VM
 * name and stable while other VMs come and go.
 *
 * - Each value starts at a position hashed from the VM's name and probes
 *   linearly for a free one, so the same name in the same state always gets
 *   the same value, and a VM's value never depends on the order of the others.
 * - Allocations live in the state directory (state.ts) under its lock: two
 *   invocations cannot hand out one address, and a VM keeps its allocation
 *   for as long as it is set up.
 * - Teardown frees an allocation but remembers the address for the name: the
 *   probe skips addresses remembered for other names while free ones remain,
 *   so a VM that is removed and re-added gets its old address back.
 * - MACs are unicast and locally administered (6 hashed bytes, bit 1 of the
 *   first octet set, bit 0 clear); explicit values from the model win.
 */
import * as crypto from "node:crypto";
import { formatIPv4, macFromBytes, parseCidr, parseIPv4 } from "./addresses.ts";
import { MAX_CID, MIN_CID, vmSpec, type Allocation, type NetworkModel, type NetworkSpec } from "./model.ts";

/** The allocation part of the state. VM names are unique across networks. */
export interface AllocationBook {
  allocations: Record<string, Allocation>;
  /** Freed allocations, remembered per VM name (oldest dropped first beyond MAX_REMEMBERED). */
  remembered: Record<string, { network: string; ip?: string; at: number }>;
}

export const MAX_REMEMBERED = 4096;

export class AllocationError extends Error {}

function hash(...parts: string[]): Buffer {
  return crypto.createHash("sha256").update(parts.join("\0")).digest();
}

/** A number from the first 6 bytes of a hash (exact in a double). */
function hashNumber(...parts: string[]): number {
  return hash(...parts).readUIntBE(0, 6);
}

/** The guest address slots of a network: addresses of a shared subnet, or routed blocks (their second address). */
interface Slots {
  count: number;
  /** Guest address of slot i. */
  addr(i: number): number;
  /** Slot of an address (its block in the routed layout). */
  slotOf(a: number): number;
}

function slotsOf(net: NetworkSpec): Slots {
  const c = parseCidr(net.subnet)!;
  if (net.layout === "routed") {
    const size = 2 ** (32 - net.vmPrefix);
    return { count: 2 ** (net.vmPrefix - c.prefix), addr: (i) => c.addr + i * size + 2, slotOf: (a) => Math.floor((a - c.addr) / size) };
  }
  // Addresses 1 .. size-2 of the subnet (the network and broadcast addresses are never slots).
  return { count: 2 ** (32 - c.prefix) - 2, addr: (i) => c.addr + 1 + i, slotOf: (a) => a - c.addr - 1 };
}

/**
 * The allocation of `vm`: its recorded one when it has one (checked against
 * the model's explicit values), else a new one. Pure: the caller records it
 * with `recordAllocation`.
 */
export function allocateVm(model: NetworkModel, vm: string, book: AllocationBook): Allocation {
  const spec = vmSpec(model, vm);
  const net = model.networks[spec.network]!;
  const existing = book.allocations[vm];
  const conflict = (what: string): AllocationError =>
    new AllocationError(`VM ${vm} ${what}; tear it down first (tsion net teardown ${vm}) to change it`);
  if (existing !== undefined) {
    if (existing.network !== spec.network) throw conflict(`is allocated in network ${existing.network}, and the configuration now puts it in ${spec.network}`);
    if (spec.ip !== undefined && existing.ip !== spec.ip) throw conflict(`has the address ${existing.ip}, and the configuration now says ${spec.ip}`);
    if (spec.mac !== undefined && existing.mac !== spec.mac) throw conflict(`has the MAC ${existing.mac}, and the configuration now says ${spec.mac}`);
    if (spec.cid !== undefined && existing.cid !== spec.cid) throw conflict(`has the CID ${existing.cid}, and the configuration now says ${spec.cid}`);
    if (net.topology !== "vsock" && existing.tap !== spec.tap) throw conflict(`has the TAP ${existing.tap}, and the configuration now says ${spec.tap}`);
    return existing;
  }

  const others = Object.entries(book.allocations).filter(([name]) => name !== vm);
  const otherSpecs = Object.values(model.vms).filter((s) => s.name !== vm);
  const owner = (pred: (a: Allocation) => boolean): string | undefined => others.find(([, a]) => pred(a))?.[0];

  if (net.topology === "vsock") {
    const taken = new Set<number>([...others.map(([, a]) => a.cid), ...otherSpecs.map((s) => s.cid)].filter((c): c is number => c !== undefined));
    if (spec.cid !== undefined) {
      const holder = owner((a) => a.cid === spec.cid);
      if (holder !== undefined) throw new AllocationError(`VM ${vm}: CID ${spec.cid} is allocated to VM ${holder}`);
      return { network: net.name, cid: spec.cid };
    }
    for (let i = 0; ; i++) {
      const cid = MIN_CID + (hash("cid", vm, String(i)).readUInt32BE(0) % (MAX_CID - MIN_CID + 1));
      if (!taken.has(cid)) return { network: net.name, cid };
    }
  }

  const tapHolder = owner((a) => a.tap === spec.tap);
  if (tapHolder !== undefined) throw new AllocationError(`VM ${vm}: TAP ${spec.tap} is allocated to VM ${tapHolder}`);

  // Address
  const slots = slotsOf(net);
  const host = parseIPv4(net.host);
  const taken = new Set<number>();
  const sameNet = others.filter(([, a]) => a.network === net.name);
  for (const [, a] of sameNet) if (a.ip) taken.add(slots.slotOf(parseIPv4(a.ip)!));
  for (const s of otherSpecs) if (s.network === net.name && s.ip) taken.add(slots.slotOf(parseIPv4(s.ip)!));
  if (host !== null) taken.add(slots.slotOf(host));
  let ip: string;
  if (spec.ip !== undefined) {
    const slot = slots.slotOf(parseIPv4(spec.ip)!);
    const holder = sameNet.find(([, a]) => a.ip !== undefined && slots.slotOf(parseIPv4(a.ip)!) === slot)?.[0];
    if (holder !== undefined) throw new AllocationError(`VM ${vm}: address ${spec.ip} is allocated to VM ${holder}`);
    ip = spec.ip;
  } else {
    ip = formatIPv4(slots.addr(probeSlot(vm, net, slots, taken, book)));
  }

  // MAC
  let mac: string;
  const macs = new Set<string>([...others.map(([, a]) => a.mac), ...otherSpecs.map((s) => s.mac)].filter((m): m is string => m !== undefined));
  if (spec.mac !== undefined) {
    const holder = owner((a) => a.mac === spec.mac);
    if (holder !== undefined) throw new AllocationError(`VM ${vm}: MAC ${spec.mac} is allocated to VM ${holder}`);
    mac = spec.mac;
  } else {
    for (let i = 0; ; i++) {
      mac = macFromBytes(hash("mac", vm, String(i)));
      if (!macs.has(mac)) break;
    }
  }
  return { network: net.name, ip, mac, tap: spec.tap };
}

function probeSlot(vm: string, net: NetworkSpec, slots: Slots, taken: Set<number>, book: AllocationBook): number {
  const remembered = new Map<number, string>();
  for (const [name, r] of Object.entries(book.remembered)) {
    if (r.network === net.name && r.ip !== undefined && name !== vm) remembered.set(slots.slotOf(parseIPv4(r.ip)!), name);
  }
  const mine = book.remembered[vm];
  if (mine?.network === net.name && mine.ip !== undefined) {
    const s = slots.slotOf(parseIPv4(mine.ip)!);
    if (s >= 0 && s < slots.count && !taken.has(s)) return s;
  }
  const start = hashNumber("ip", net.name, vm) % slots.count;
  let fallback = -1;
  for (let k = 0; k < slots.count; k++) {
    const s = (start + k) % slots.count;
    if (taken.has(s)) continue;
    if (!remembered.has(s)) return s;
    if (fallback < 0) fallback = s;
  }
  if (fallback >= 0) return fallback;
  const usable = slots.count - (net.layout === "routed" ? 0 : 1);
  throw new AllocationError(`VM ${vm}: network ${net.name} (${net.subnet}) has no free address left (all ${usable} ${net.layout === "routed" ? `/${net.vmPrefix} blocks` : "guest addresses"} are taken)`);
}

/** Records `alloc` for `vm`; forgets whatever was remembered at that address. */
export function recordAllocation(book: AllocationBook, vm: string, alloc: Allocation): void {
  book.allocations[vm] = alloc;
  delete book.remembered[vm];
  if (alloc.ip !== undefined) {
    for (const [name, r] of Object.entries(book.remembered)) {
      if (r.network === alloc.network && r.ip === alloc.ip) delete book.remembered[name];
    }
  }
}

/** Frees `vm`'s allocation, remembering its address for the name. */
export function releaseAllocation(book: AllocationBook, vm: string, now: number = Date.now()): void {
  const a = book.allocations[vm];
  if (a === undefined) return;
  delete book.allocations[vm];
  if (a.ip === undefined) return;
  book.remembered[vm] = { network: a.network, ip: a.ip, at: now };
  const names = Object.keys(book.remembered);
  if (names.length > MAX_REMEMBERED) {
    names.sort((x, y) => book.remembered[x]!.at - book.remembered[y]!.at);
    for (const n of names.slice(0, names.length - MAX_REMEMBERED)) delete book.remembered[n];
  }
}
