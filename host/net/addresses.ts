/**
 * IPv4 and MAC address arithmetic for the network model. Parsing is strict
 * (ipaddr.js's four-part decimal check: no leading zeros, no hex, no short
 * forms), so a value that reaches a command line is exactly a dotted quad.
 * Addresses are handled as unsigned 32-bit numbers.
 */
import ipaddr from "ipaddr.js";

export interface Cidr {
  /** The address as written (may have host bits set). */
  addr: number;
  prefix: number;
}

/** A strict dotted quad, or null. */
export function parseIPv4(text: string): number | null {
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return null;
  return ipaddr.IPv4.parse(text).toByteArray().reduce((n, b) => n * 256 + b, 0);
}

export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

/** `a.b.c.d/n` with a strict dotted quad and 0 <= n <= 32, or null. */
export function parseCidr(text: string): Cidr | null {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!m) return null;
  const addr = parseIPv4(m[1]!);
  const prefix = Number(m[2]);
  if (addr === null || prefix > 32 || String(prefix) !== m[2]) return null;
  return { addr, prefix };
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function dottedMask(prefix: number): string {
  return formatIPv4(maskOf(prefix));
}

export function networkOf(addr: number, prefix: number): number {
  return (addr & maskOf(prefix)) >>> 0;
}

export function broadcastOf(addr: number, prefix: number): number {
  return (networkOf(addr, prefix) | (~maskOf(prefix) >>> 0)) >>> 0;
}

export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

export function contains(net: Cidr, addr: number): boolean {
  return networkOf(addr, net.prefix) === networkOf(net.addr, net.prefix);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return networkOf(a.addr, p) === networkOf(b.addr, p);
}

export function formatCidr(c: Cidr): string {
  return `${formatIPv4(c.addr)}/${c.prefix}`;
}

/** 0/8, 127/8, link-local, multicast, 240/4 and the limited broadcast cannot be a host's or a guest's address. */
export function isUnicastHost(n: number): boolean {
  const first = n >>> 24;
  if (first === 0 || first === 127 || first >= 224) return false;
  return networkOf(n, 16) !== networkOf(parseIPv4("169.254.0.0")!, 16);
}

/** A MAC as six colon-separated hex octets (case-insensitive), normalised to lower case; null otherwise. */
export function parseMac(text: string): string | null {
  return /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(text) ? text.toLowerCase() : null;
}

/** Unicast: bit 0 of the first octet clear. */
export function isUnicastMac(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 0 && mac !== "00:00:00:00:00:00";
}

/** Six bytes → a unicast, locally administered MAC (bit 1 of the first octet set, bit 0 clear). */
export function macFromBytes(bytes: Uint8Array): string {
  const b = Array.from(bytes.subarray(0, 6));
  b[0] = (b[0]! & 0xfc) | 0x02;
  return b.map((x) => x.toString(16).padStart(2, "0")).join(":");
}
