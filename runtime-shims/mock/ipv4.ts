/**
 * IPv4 address and CIDR parsing as netstack (smoltcp `FromStr`) does it:
 * strict dotted quads, no surrounding whitespace, prefix 0–32.
 * Addresses are kept as unsigned 32-bit numbers.
 */

export interface Cidr {
  addr: number;
  prefix: number;
}

const OCTET = /^(\d{1,3})$/;

/** Strict `A.B.C.D`, or null. */
export function parseIpv4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let v = 0;
  for (const p of parts) {
    if (!OCTET.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = v * 256 + n;
  }
  return v >>> 0;
}

/** Strict `A.B.C.D/N` (N 0–32), or null. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf("/");
  if (slash < 0) return null;
  const addr = parseIpv4(text.slice(0, slash));
  const ptext = text.slice(slash + 1);
  if (addr === null || !/^\d{1,2}$/.test(ptext)) return null;
  const prefix = Number(ptext);
  if (prefix > 32) return null;
  return { addr, prefix };
}

export function formatIpv4(v: number): string {
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join(".");
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.addr)}/${c.prefix}`;
}

export function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The network of a CIDR (host bits cleared), same prefix. */
export function network(c: Cidr): Cidr {
  return { addr: (c.addr & mask(c.prefix)) >>> 0, prefix: c.prefix };
}

export function contains(c: Cidr, addr: number): boolean {
  const m = mask(c.prefix);
  return ((c.addr & m) >>> 0) === ((addr & m) >>> 0);
}

export function isBroadcast(v: number): boolean {
  return v === 0xffffffff;
}
export function isMulticast(v: number): boolean {
  return v >>> 28 === 0xe;
}
export function isUnspecified(v: number): boolean {
  return v === 0;
}
/** smoltcp's `is_unicast`: not broadcast, multicast or 0.0.0.0. */
export function isUnicast(v: number): boolean {
  return !isBroadcast(v) && !isMulticast(v) && !isUnspecified(v);
}

/** A MAC with `-` or `:` separators (smoltcp accepts both), or null. */
export function parseMac(text: string): number[] | null {
  const m = /^([0-9a-fA-F]{2})([-:])([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})$/.exec(
    text,
  );
  if (!m) return null;
  return [m[1], m[3], m[4], m[5], m[6], m[7]].map((h) => parseInt(h!, 16));
}

/** smoltcp's Display: lowercase, hyphens. */
export function formatMac(bytes: number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join("-");
}
