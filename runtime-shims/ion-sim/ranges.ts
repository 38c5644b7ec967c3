/**
 * Ranges (members/ranges in ion): `for`/brace ranges (`1..4`, `1...4`, `1..=4`,
 * `0..2..10`, `a..e`, `01..04`; loop_ranges_all_directions) and index selections
 * (`[1..3]`, `[..-1]`; arr_index_and_slices, method_string_index_slice).
 */

function countMinDigits(a: string): number {
  const c = [...a].find((x) => x !== "-");
  if (c === "0") return a.length;
  return 0;
}

function parseIsize(s: string): number | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

function numericRange(start: number, end: number, step: number, inclusive: boolean, width: number): string[] | null {
  if (start < end && inclusive) end += 1;
  else if (start > end && inclusive) end -= 1;
  if (step === 0 || (start < end && step < 0) || (start > end && step > 0)) return null;
  const out: string[] = [];
  const fmt = (n: number) => {
    const neg = n < 0;
    let d = String(Math.abs(n));
    const w = width - (neg ? 1 : 0);
    if (d.length < w) d = "0".repeat(w - d.length) + d;
    return (neg ? "-" : "") + d;
  };
  const count = Math.abs(end - start);
  let idx = start;
  for (let k = 0; k < count; k++) {
    if (start < end ? !(end > idx) : !(end < idx)) break;
    out.push(fmt(idx));
    idx += step;
  }
  return out;
}

function charRange(start: number, end: number, step: number, inclusive: boolean): string[] | null {
  const isA = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (!isA(start) || !isA(end) || step === 0) return null;
  if ((start < end && inclusive) || (start > end && !inclusive)) end += 1;
  const st = Math.abs(step);
  const out: string[] = [];
  if (start < end) for (let c = start; c < end; c += st) out.push(String.fromCharCode(c));
  else for (let c = start; c >= end; c -= st) out.push(String.fromCharCode(c));
  return out;
}

function finish(inclusive: boolean, a: string, b: string, step: number): string[] | null {
  const s = parseIsize(a),
    e = parseIsize(b);
  if (s !== null && e !== null) {
    const st = step === 1 && s >= e ? -step : step;
    return numericRange(s, e, st, inclusive, Math.max(countMinDigits(a), countMinDigits(b)));
  }
  if (a.length !== 1 || b.length !== 1) return null;
  return charRange(a.charCodeAt(0), b.charCodeAt(0), step, inclusive);
}

/** parse_range: null when the word is not a range. */
export function parseRange(input: string): string[] | null {
  const parts = input.split("..");
  const len = parts.length;
  const last = parts[len - 1]!;
  const inclusive = last.startsWith(".") || last.startsWith("=");
  if (inclusive) parts[len - 1] = last.replace(/^[.=]+/, "");
  if (len === 2) return finish(inclusive, parts[0]!, parts[1]!, 1);
  if (len === 3) {
    const st = parseIsize(parts[1]!);
    if (st === null) return null;
    return finish(inclusive, parts[0]!, parts[2]!, st);
  }
  return null;
}

/** Index: forward n, or backward n (Backward(0) is the last element). */
export type Index = { fwd: boolean; n: number };
export type Select =
  | { k: "all" }
  | { k: "index"; i: Index }
  | { k: "range"; start: Index; end: Index; inclusive: boolean }
  | { k: "key"; key: string };

const mkIndex = (v: number): Index => (v < 0 ? { fwd: false, n: -v - 1 } : { fwd: true, n: v });

export function resolveIndex(i: Index, len: number): number | null {
  if (i.fwd) return i.n;
  if (i.n >= len) return null;
  return len - (i.n + 1);
}

export function indexText(i: Index): string {
  return i.fwd ? String(i.n) : `-${i.n + 1}`;
}

/** Range::bounds → [start, length] or null */
export function rangeBounds(s: Extract<Select, { k: "range" }>, len: number): [number, number] | null {
  const a = resolveIndex(s.start, len);
  const b = resolveIndex(s.end, len);
  if (a === null || b === null || b < a) return null;
  return [a, s.inclusive ? b - a + 1 : b - a];
}

/** members/ranges parse.rs `parse_index_range` */
function parseIndexRange(input: string): Extract<Select, { k: "range" }> | null {
  const at = input.indexOf("..");
  if (at < 0) return null;
  const first = input.slice(0, at);
  let end = input.slice(at + 2);
  if (first === "" && end !== "") {
    const e = parseIsize(end);
    return e === null ? null : { k: "range", start: mkIndex(0), end: mkIndex(e), inclusive: false };
  }
  if (end !== "") {
    const inclusive = end.startsWith(".") || end.startsWith("=");
    if (inclusive) end = end.slice(1);
    const a = parseIsize(first);
    const b = parseIsize(end);
    if (a === null || b === null) return null;
    return { k: "range", start: mkIndex(a), end: mkIndex(b), inclusive };
  }
  const a = parseIsize(first);
  return a === null ? null : { k: "range", start: mkIndex(a), end: mkIndex(-1), inclusive: true };
}

/** `Select::from_str` (never fails: anything else is a key) */
export function parseSelect(data: string): Select {
  if (data === "..") return { k: "all" };
  const n = parseIsize(data);
  if (n !== null) return { k: "index", i: mkIndex(n) };
  return parseIndexRange(data) ?? { k: "key", key: data };
}

/** SelectWithSize::select: a selection on a computed list, never failing */
export function selectLenient<T>(items: T[], sel: Select): T[] {
  switch (sel.k) {
    case "all":
      return items;
    case "key":
      return [];
    case "index": {
      const i = sel.i.fwd ? sel.i.n : items.length - 1 - sel.i.n;
      return i >= 0 && i < items.length ? [items[i]!] : [];
    }
    case "range": {
      const b = rangeBounds(sel, items.length);
      return b ? items.slice(b[0], b[0] + b[1]) : [];
    }
  }
}
