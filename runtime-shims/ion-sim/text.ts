/** Text helpers shared by expansion, methods and builtins. */

const seg = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Extended grapheme clusters (Rust unicode-segmentation `graphemes(true)`). */
export function graphemes(s: string): string[] {
  return Array.from(seg.segment(s), (x) => x.segment);
}

/** Rust `char::is_whitespace` (Unicode White_Space). */
export const RUST_WS = "\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
const WS_RE = new RegExp(`[${RUST_WS}]`);
const WS_SPLIT = new RegExp(`[${RUST_WS}]+`);
const TRIM_START = new RegExp(`^[${RUST_WS}]+`);
const TRIM_END = new RegExp(`[${RUST_WS}]+$`);

export const isRustWs = (c: string) => WS_RE.test(c);
export const splitWhitespace = (s: string) => s.split(WS_SPLIT).filter((x) => x !== "");
export const trimStart = (s: string) => s.replace(TRIM_START, "");
export const trimEnd = (s: string) => s.replace(TRIM_END, "");
export const trim = (s: string) => trimEnd(trimStart(s));

export const utf8Len = (s: string) => Buffer.byteLength(s, "utf8");

/**
 * Ion's removal of backslashes before `chars` in a literal run
 * (src/lib/expansion/words/mod.rs `unescape_characters`). It finds a backslash by
 * *byte* offset but checks the character at that offset + 1 counted in *chars*,
 * so after a non-ASCII character escapes stop working (§6.1: `"é\$x"` → `é\$x`).
 */
export function unescapeChars(input: string, chars: string): string {
  let cps = [...input];
  let lastIdx = 0; // byte offset
  for (;;) {
    // char index whose byte offset >= lastIdx
    let b = 0;
    let ci = 0;
    while (ci < cps.length && b < lastIdx) b += utf8Len(cps[ci++]!);
    let found = -1;
    let fb = b;
    for (let j = ci; j < cps.length; j++) {
      if (cps[j] === "\\") {
        found = j;
        break;
      }
      fb += utf8Len(cps[j]!);
    }
    if (found < 0) return cps.join("");
    const next = cps[fb + 1];
    if (next !== undefined && chars.includes(next)) cps.splice(found, 1);
    lastIdx = fb + 1;
  }
}

/** The C escapes both `echo -e` and method-argument unescaping know (`\c` is handled by each). */
export const C_ESCAPES: Record<string, string> = {
  a: "\u0007",
  b: "\u0008",
  e: "\u001b",
  f: "\u000c",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\u000b",
};

/** strings.rs `unescape`: C escapes in method arguments after the first (§6.5). */
export function unescapeC(input: string): string {
  let check = false;
  let out = "";
  for (const c of input) {
    if (check) {
      check = false;
      if (c === "c") return ""; // `\c` empties the whole argument
      if (c === "\\" || c === "'" || c === '"' || c === " ") out += c;
      else out += C_ESCAPES[c] ?? "\\" + c;
    } else if (c === "\\") check = true;
    else out += c;
  }
  return out;
}

/** Rust Path helpers used by $basename/$filename/$extension/$parent (None → null). */
export function pathFileName(p: string): string | null {
  const comps = p.split("/").filter((c, i) => c !== "" && !(c === "." && i > 0));
  const last = comps[comps.length - 1];
  if (last === undefined || last === ".." || last === ".") return null;
  return last;
}
export function pathStem(p: string): string | null {
  const n = pathFileName(p);
  if (n === null) return null;
  const i = n.lastIndexOf(".");
  return i <= 0 ? n : n.slice(0, i);
}
export function pathExt(p: string): string | null {
  const n = pathFileName(p);
  if (n === null) return null;
  const i = n.lastIndexOf(".");
  return i <= 0 ? null : n.slice(i + 1);
}
export function pathParent(p: string): string | null {
  let s = p;
  while (s.length > 1 && s.endsWith("/")) s = s.slice(0, -1);
  if (s === "/" || s === "") return null;
  const i = s.lastIndexOf("/");
  if (i < 0) return "";
  if (i === 0) return "/";
  let r = s.slice(0, i);
  while (r.length > 1 && r.endsWith("/")) r = r.slice(0, -1);
  return r;
}
