/**
 * Pure IPv4 validation for the static configuration: no I/O, so it is unit
 * tested directly on Node. Addresses are handled as numbers 0..2^32-1 built
 * with + and * only (the TypeScript subset has no bit operators).
 *
 * Every `...Problem` function returns "" when the value is valid, or the
 * reason it is not, worded to follow the value in a log line:
 * `'10.0.0.300' is not a dotted-quad IPv4 address`.
 */

const TWO_POW_32 = 4294967296;
const TWO_POW_24 = 16777216;

/** True when `text` is a non-empty string of ASCII decimal digits. */
export function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    if (!"0123456789".includes(text.slice(i, i + 1))) return false;
  }
  return true;
}

/** The value of one octet "0".."255" (no sign, no leading zero), or -1. */
export function octetValue(text: string): number {
  if (!isDigits(text) || text.length > 3) return -1;
  // "010" is octal to some parsers and decimal to others: refuse it.
  if (text.length > 1 && text.startsWith("0")) return -1;
  const n = Number(text);
  return n <= 255 ? n : -1;
}

/** The 32-bit value of a dotted quad such as "10.0.2.15", or -1. */
export function ipValue(text: string): number {
  const parts = text.split(".");
  if (parts.length !== 4) return -1;
  let value = 0;
  for (const part of parts) {
    const n = octetValue(part);
    if (n < 0) return -1;
    value = value * 256 + n;
  }
  return value;
}

/** The dotted quad of a 32-bit value. */
export function ipText(value: number): string {
  const a = Math.floor(value / TWO_POW_24);
  const b = Math.floor(value / 65536) % 256;
  const c = Math.floor(value / 256) % 256;
  const d = value % 256;
  return `${a}.${b}.${c}.${d}`;
}

/** Number of addresses in a /prefix block: 2^(32-prefix). */
export function blockSize(prefix: number): number {
  let size = 1;
  for (let i = prefix; i < 32; i++) {
    size = size * 2;
  }
  return size;
}

/** The dotted netmask of a prefix length (24 gives 255.255.255.0). */
export function maskText(prefix: number): string {
  return ipText(TWO_POW_32 - blockSize(prefix));
}

/**
 * The prefix length of a netmask written as a contiguous dotted mask
 * ("255.255.255.0"), a prefix length ("24") or "/24"; -1 when invalid.
 */
export function prefixOf(text: string): number {
  let t = text;
  if (t.startsWith("/")) t = t.slice(1);
  if (isDigits(t)) {
    if (t.length > 2 || (t.length > 1 && t.startsWith("0"))) return -1;
    const n = Number(t);
    return n <= 32 ? n : -1;
  }
  const mask = ipValue(t);
  if (mask < 0) return -1;
  for (let p = 0; p <= 32; p++) {
    if (TWO_POW_32 - blockSize(p) === mask) return p;
  }
  return -1;
}

/** First address of the subnet `value` is in. */
export function networkValue(value: number, prefix: number): number {
  return value - (value % blockSize(prefix));
}

/** Last address of the subnet `value` is in. */
export function broadcastValue(value: number, prefix: number): number {
  return networkValue(value, prefix) + blockSize(prefix) - 1;
}

/** The subnet of `ip` as netstack prints it in route/list: "10.0.2.0/24". */
export function subnetText(ip: string, prefix: number): string {
  return `${ipText(networkValue(ipValue(ip), prefix))}/${prefix}`;
}

/** True when `a` and `b` are in the same /prefix subnet. */
export function sameSubnet(a: number, b: number, prefix: number): boolean {
  return networkValue(a, prefix) === networkValue(b, prefix);
}

/** Why `value` is not a usable unicast address, or "". */
export function unicastProblem(value: number): string {
  const first = Math.floor(value / TWO_POW_24);
  if (first === 0) return "is in 0.0.0.0/8, not a usable address";
  if (first === 127) return "is a loopback address";
  if (first >= 224 && first <= 239) return "is a multicast address";
  if (first >= 240) return "is a reserved or broadcast address";
  return "";
}

/** True when the text holds more than one word (spaces, tabs or lines inside). */
function hasSeveralWords(text: string): boolean {
  return text.includes(" ") || text.includes("\t") || text.includes("\n") || text.includes("\r");
}

/** Why `text` is not one unicast dotted-quad IPv4 address, or "". */
export function addressProblem(text: string): string {
  if (text === "") return "is empty";
  if (hasSeveralWords(text)) return "holds more than one value (one address expected)";
  if (text.includes(":")) return "is an IPv6 address; only IPv4 is supported";
  if (text.includes("/")) return "has a prefix; write the address alone and the mask to netmask";
  const value = ipValue(text);
  if (value < 0) return "is not a dotted-quad IPv4 address";
  return unicastProblem(value);
}

/** Why `text` is not a usable netmask (dotted or prefix length), or "". */
export function netmaskProblem(text: string): string {
  if (text === "") return "is empty";
  if (hasSeveralWords(text)) return "holds more than one value (one netmask expected)";
  const prefix = prefixOf(text);
  if (prefix < 0) {
    if (ipValue(text) >= 0) return "is not a contiguous netmask";
    return "is neither a dotted netmask nor a prefix length 0-32";
  }
  if (prefix === 0) return "is /0, which leaves no subnet for the gateway";
  return "";
}

/** Why `ip` cannot be this host's address in a /prefix subnet, or "". */
export function hostProblem(ip: string, prefix: number): string {
  const problem = addressProblem(ip);
  if (problem !== "") return problem;
  const value = ipValue(ip);
  // /31 and /32 have no network or broadcast address (RFC 3021).
  if (prefix <= 30) {
    if (value === networkValue(value, prefix)) return `is the network address of its /${prefix} subnet`;
    if (value === broadcastValue(value, prefix)) return `is the broadcast address of its /${prefix} subnet`;
  }
  return "";
}

/** Why `gateway` cannot be the default gateway of `ip`/`prefix` (both valid), or "". */
export function gatewayProblem(gateway: string, ip: string, prefix: number): string {
  const problem = addressProblem(gateway);
  if (problem !== "") return problem;
  const gw = ipValue(gateway);
  const host = ipValue(ip);
  if (gw === host) return "is the address itself";
  const network = ipText(networkValue(host, prefix));
  const subnet = `${network}/${prefix}`;
  if (!sameSubnet(gw, host, prefix)) return `is outside the subnet ${subnet}`;
  if (prefix <= 30 && (gw === networkValue(host, prefix) || gw === broadcastValue(host, prefix))) {
    return `is the network or broadcast address of ${subnet}`;
  }
  return "";
}

/** Why `text` is not one DNS server address, or "". */
export function dnsProblem(text: string): string {
  return addressProblem(text);
}

/** A value as it may be shown in a log line: line breaks made visible. */
export function shown(text: string): string {
  return text.replaceAll("\r", "\\r").replaceAll("\n", "\\n").replaceAll("\t", "\\t");
}
