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
 * so after a non-ASCII character escapes stop working (`"é\$x"` → `é\$x`).
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

/** strings.rs `unescape`: C escapes in method arguments after the first (docs/ion-lowering.md, Method arguments). */
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

const ATTRIBUTES: Record<string, string> = { blink: "5", bold: "1", dim: "2", hidden: "8", reverse: "7", underlined: "4" };
const FG: Record<string, string> = {
  black: "30", blue: "34", cyan: "36", dark_gray: "90", default: "39", green: "32", light_blue: "94", light_cyan: "96",
  light_gray: "37", light_green: "92", light_magenta: "95", light_red: "91", light_yellow: "93", magenta: "35", red: "31", yellow: "33",
};
const BG: Record<string, string> = {
  blackbg: "40", bluebg: "44", cyanbg: "46", dark_graybg: "100", defaultbg: "49", greenbg: "42", light_bluebg: "104",
  light_cyanbg: "106", light_graybg: "47", light_greenbg: "102", light_magentabg: "105", light_redbg: "101",
  light_yellowbg: "103", magentabg: "45", redbg: "41", whitebg: "107", yellowbg: "43",
};

/** shell/colors.rs hex_char_to_u8_range: one hex digit scaled to 0..255 */
function hexDigit255(c: string): number | null {
  if (c >= "0" && c <= "9") return (c.charCodeAt(0) - 48) * 16;
  let n = c.charCodeAt(0) & 0xff & ~0x20;
  if (n >= 65) {
    n -= 54;
    if (n < 17) return (n * 15 + 15) & 0xff;
  }
  return null;
}

/**
 * `${c::red,bold}` / `${color::0x55bg}` (shell/colors.rs): the ANSI escape, or an error message
 * ("could not parse 'x' as a color", "no properties given to color").
 */
export function colorEscape(spec: string): { ok: string } | { error: string } {
  const attrs: string[] = [];
  let fg: string | null = null;
  let bg: string | null = null;
  for (const v of spec.split(",")) {
    if (v === "reset") return { ok: "\x1b[0m" };
    if (ATTRIBUTES[v]) attrs.push(ATTRIBUTES[v]!);
    else if (FG[v]) fg = FG[v]!;
    else if (BG[v]) bg = BG[v]!;
    else {
      const isBg = v.endsWith("bg");
      const body = isBg ? v.slice(0, -2) : v;
      let mode: { n: number } | { rgb: [number, number, number] } | null = null;
      if (body.startsWith("0x")) {
        const h = body.slice(2);
        if ((h.length === 1 || h.length === 2) && /^[0-9A-Fa-f]+$/.test(h)) mode = { n: parseInt(h, 16) };
        else if (h.length === 3) {
          const [r, g, b] = [...h].map(hexDigit255);
          if (r != null && g != null && b != null) mode = { rgb: [r, g, b] };
        } else if (h.length === 6 && /^[0-9A-Fa-f]{6}$/.test(h))
          mode = { rgb: [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)] };
      } else if (/^\+?[0-9]+$/.test(body) && Number(body) <= 255) mode = { n: Number(body) };
      if (!mode) return { error: `could not parse '${v}' as a color` };
      const code = "n" in mode ? `${isBg ? 48 : 38};5;${mode.n}` : `${isBg ? 48 : 38};2;${mode.rgb.join(";")}`;
      if (isBg) bg = code;
      else fg = code;
    }
  }
  if (fg === null && bg === null && attrs.length === 0) return { error: "no properties given to color" };
  return { ok: `\x1b[${[...attrs, ...(fg ? [fg] : []), ...(bg ? [bg] : [])].join(";")}m` };
}
