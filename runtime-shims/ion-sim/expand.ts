/**
 * Word expansion (ion-semantics.md §5, §6): quotes and backslashes, `$x`, `${x}`, `@a`,
 * `${env::X}`, `${x::41}`, `$( )`, `@( )`, `$(( ))`, methods, selections `[i]`/`[a..b]`,
 * braces, array literals and globs.
 *
 * A raw word is first cut into parts (`parseWord`), then expanded. As in ion, a word
 * that is a single array-like part gives one word per element; otherwise all parts
 * are concatenated (arrays joined with spaces) and an empty result gives no word.
 */
import { IonFatal, IonPanic, IonUnsupported } from "./errors.ts";
import { calc } from "./arith.ts";
import { parseRange, parseSelect, rangeBounds, resolveIndex, indexText, type Select } from "./ranges.ts";
import { graphemes, isRustWs, splitWhitespace, unescapeChars } from "./text.ts";
import { stringMethod, arrayMethod } from "./methods.ts";
import { splitArgs } from "./lexer.ts";

/** What expansion needs from the shell. */
export interface ExpandEnv {
  /** string variable, then environment (§3.3); undefined when neither exists */
  getString(name: string): string | undefined;
  getArray(name: string): string[] | undefined;
  getEnv(name: string): string | undefined;
  /** run `$( )` in-process; returns raw stdout */
  capture(cmd: string): string;
  /** sorted entries of a directory, or null */
  listDir(path: string): string[] | null;
  exists(path: string): boolean;
}

export type Part =
  | { k: "lit"; s: string; pat: string; glob: boolean }
  | { k: "var"; name: string; sel: string | null }
  | { k: "arrvar"; name: string; sel: string | null; q: boolean }
  | { k: "proc"; cmd: string; sel: string | null }
  | { k: "arrproc"; cmd: string; sel: string | null; q: boolean }
  | { k: "smeth"; name: string; args: string; sel: string | null }
  | { k: "ameth"; name: string; args: string; sel: string | null; q: boolean }
  | { k: "arith"; expr: string }
  | { k: "brace"; nodes: string[] }
  | { k: "array"; body: string; sel: string | null }
  | { k: "ns"; ns: string; name: string };

/** §6.1: characters a backslash escapes (outside single quotes) */
const ESCAPABLE = "$@\"\\(){}'~*? ";

const NAME_CH = /[A-Za-z0-9_]/;

export const notExist = (name: string) => new IonFatal(`expansion error: Variable "${name}" does not exist`);

/** Index of the `close` matching the opener just before `from`; quote-aware. -1 when missing. */
function findClose(s: string, from: number, open: string, close: string): number {
  let depth = 0;
  let q: string | null = null;
  for (let i = from; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === "\\" && q === '"') {
        i++;
        continue;
      }
      if (c === q) q = null;
      continue;
    }
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "'" || c === '"') q = c;
    else if (c === open) depth++;
    else if (c === close) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => "\\" + c);
}

/** §6.1: a `"` inside `$m(…)` within a double-quoted string panics in ion. */
function dqMethodPanic(raw: string, open: number, quoted: boolean): void {
  if (!quoted) return;
  const close = raw.indexOf(")", open);
  const dq = raw.indexOf('"', open);
  if (dq >= 0 && (close < 0 || dq < close)) throw new IonPanic("a '\"' inside a method call within double quotes");
}

export function isExpression(s: string): boolean {
  return /^[@[$"']/.test(s);
}

export function parseWord(raw: string): Part[] {
  const parts: Part[] = [];
  let lit = "";
  let litQ: "none" | "dq" | "sq" = "none";
  let q: "none" | "dq" | "sq" = "none";
  const flushLit = () => {
    if (lit === "" && litQ === "none") return;
    let s: string;
    let pat: string;
    let glob = false;
    if (litQ === "sq") {
      s = lit;
      pat = globEscape(s);
    } else {
      s = unescapeChars(lit, ESCAPABLE);
      if (litQ === "none") {
        // glob chars stay active unless escaped
        pat = "";
        for (let i = 0; i < lit.length; i++) {
          const c = lit[i]!;
          if (c === "\\" && i + 1 < lit.length) {
            const n = lit[i + 1]!;
            pat += ESCAPABLE.includes(n) ? globEscape(n) : "\\\\" + globEscape(n);
            i++;
            continue;
          }
          if (c === "*" || c === "?" || c === "[") glob = true;
          pat += c === "]" || c === "*" || c === "?" || c === "[" ? c : globEscape(c);
        }
      } else pat = globEscape(s);
    }
    parts.push({ k: "lit", s, pat, glob });
    lit = "";
  };
  const startLit = (kind: typeof litQ) => {
    if (litQ !== kind) {
      if (lit !== "") flushLit();
      litQ = kind;
    }
  };
  const readSel = (i: number): [string | null, number] => {
    if (raw[i] !== "[") return [null, i];
    const j = findClose(raw, i + 1, "[", "]");
    if (j < 0) return [null, i];
    return [raw.slice(i + 1, j), j + 1];
  };
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (q === "sq") {
      if (c === "'") {
        q = "none";
        flushLit();
        litQ = "none";
        i++;
        continue;
      }
      lit += c;
      i++;
      continue;
    }
    if (c === "\\") {
      startLit(q);
      lit += raw.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === "'" && q === "none") {
      if (lit !== "") flushLit();
      q = "sq";
      litQ = "sq";
      i++;
      continue;
    }
    if (c === '"') {
      if (lit !== "") flushLit();
      if (q === "dq") {
        // an empty "" still counts as a (quoted) literal part
        if (parts.length === 0 || litQ !== "dq") parts.push({ k: "lit", s: "", pat: "", glob: false });
        q = "none";
        litQ = "none";
      } else {
        q = "dq";
        litQ = "dq";
      }
      i++;
      continue;
    }
    const quoted = q === "dq";
    if (c === "$") {
      const n = raw[i + 1];
      if (n === "(" && raw[i + 2] === "(") {
        const j = raw.indexOf("))", i + 3);
        if (j < 0) throw new IonFatal("syntax error: unterminated arithmetic expression");
        if (lit !== "") flushLit();
        parts.push({ k: "arith", expr: raw.slice(i + 3, j) });
        i = j + 2;
        continue;
      }
      if (n === "(") {
        const j = findClose(raw, i + 2, "(", ")");
        if (j < 0) throw new IonFatal("syntax error: unterminated subshell");
        if (lit !== "") flushLit();
        const [sel, k] = readSel(j + 1);
        parts.push({ k: "proc", cmd: raw.slice(i + 2, j), sel });
        i = k;
        continue;
      }
      if (n === "{") {
        const j = raw.indexOf("}", i + 2);
        if (j < 0) throw new IonFatal("syntax error: unterminated braced variable");
        if (lit !== "") flushLit();
        const body = raw.slice(i + 2, j);
        const ns = body.indexOf("::");
        if (ns >= 0) parts.push({ k: "ns", ns: body.slice(0, ns), name: body.slice(ns + 2) });
        else {
          if (!/^[A-Za-z0-9_]+$/.test(body) && body !== "?") throw new IonFatal(`syntax error: invalid variable name in '\${${body}}'`);
          parts.push({ k: "var", name: body, sel: null });
        }
        i = j + 1;
        continue;
      }
      if (n === "?") {
        if (lit !== "") flushLit();
        parts.push({ k: "var", name: "?", sel: null });
        i += 2;
        continue;
      }
      if (n !== undefined && NAME_CH.test(n)) {
        let j = i + 1;
        while (j < raw.length && NAME_CH.test(raw[j]!)) j++;
        const name = raw.slice(i + 1, j);
        if (lit !== "") flushLit();
        if (raw[j] === "(") {
          dqMethodPanic(raw, j, quoted);
          const e = findClose(raw, j + 1, "(", ")");
          if (e < 0) throw new IonFatal("syntax error: unterminated method");
          const [sel, k] = readSel(e + 1);
          parts.push({ k: "smeth", name, args: raw.slice(j + 1, e), sel });
          i = k;
          continue;
        }
        const [sel, k] = readSel(j);
        parts.push({ k: "var", name, sel });
        i = k;
        continue;
      }
      startLit(q);
      lit += "$";
      i++;
      continue;
    }
    if (c === "@") {
      const n = raw[i + 1];
      if (n === "(") {
        const j = findClose(raw, i + 2, "(", ")");
        if (j < 0) throw new IonFatal("syntax error: unterminated subshell");
        if (lit !== "") flushLit();
        const [sel, k] = readSel(j + 1);
        parts.push({ k: "arrproc", cmd: raw.slice(i + 2, j), sel, q: quoted });
        i = k;
        continue;
      }
      if (n === "{") {
        const j = raw.indexOf("}", i + 2);
        if (j < 0) throw new IonFatal("syntax error: unterminated braced array");
        if (lit !== "") flushLit();
        parts.push({ k: "arrvar", name: raw.slice(i + 2, j), sel: null, q: quoted });
        i = j + 1;
        continue;
      }
      if (n !== undefined && NAME_CH.test(n)) {
        let j = i + 1;
        while (j < raw.length && NAME_CH.test(raw[j]!)) j++;
        const name = raw.slice(i + 1, j);
        if (lit !== "") flushLit();
        if (raw[j] === "(") {
          dqMethodPanic(raw, j, quoted);
          const e = findClose(raw, j + 1, "(", ")");
          if (e < 0) throw new IonFatal("syntax error: unterminated method");
          const [sel, k] = readSel(e + 1);
          parts.push({ k: "ameth", name, args: raw.slice(j + 1, e), sel, q: quoted });
          i = k;
          continue;
        }
        const [sel, k] = readSel(j);
        parts.push({ k: "arrvar", name, sel, q: quoted });
        i = k;
        continue;
      }
      startLit(q);
      lit += "@";
      i++;
      continue;
    }
    if (q === "none" && c === "{") {
      const j = findClose(raw, i + 1, "{", "}");
      if (j < 0) throw new IonPanic("ion: fatal error with syntax validation: unterminated brace");
      if (lit !== "") flushLit();
      const body = raw.slice(i + 1, j);
      const nodes: string[] = [];
      let depth = 0,
        st = 0,
        qq: string | null = null;
      for (let k = 0; k < body.length; k++) {
        const d = body[k]!;
        if (qq) {
          if (d === qq) qq = null;
          continue;
        }
        if (d === "\\") {
          k++;
          continue;
        }
        if (d === "'" || d === '"') qq = d;
        else if (d === "{" || d === "[") depth++;
        else if (d === "}" || d === "]") depth--;
        else if (d === "," && depth === 0) {
          nodes.push(body.slice(st, k));
          st = k + 1;
        }
      }
      nodes.push(body.slice(st));
      parts.push({ k: "brace", nodes });
      i = j + 1;
      continue;
    }
    if (q === "none" && c === "[" && i === 0) {
      const j = findClose(raw, 1, "[", "]");
      if (j > 0) {
        const [sel, k] = readSel(j + 1);
        if (k === raw.length) {
          parts.push({ k: "array", body: raw.slice(1, j), sel });
          i = k;
          continue;
        }
      }
    }
    if (c === "~" && i === 0 && q === "none") {
      throw new IonUnsupported("tilde expansion (`~`)");
    }
    startLit(q);
    lit += c;
    i++;
  }
  if (q === "sq") throw new IonFatal("syntax error: unterminated single quote");
  if (q === "dq") throw new IonFatal("syntax error: unterminated double quotes");
  if (lit !== "") flushLit();
  return parts;
}

/** Apply a selection to a string (graphemes, lenient, §5.2). */
export function selectString(v: string, sel: Select): string {
  switch (sel.k) {
    case "all":
      return v;
    case "index": {
      const g = graphemes(v);
      const i = sel.i.fwd ? sel.i.n : g.length - 1 - sel.i.n;
      return i >= 0 && i < g.length ? g[i]! : "";
    }
    case "range": {
      const g = graphemes(v);
      const b = rangeBounds(sel, g.length);
      return b ? g.slice(b[0], b[0] + b[1]).join("") : "";
    }
    case "key":
      return "";
  }
}

/** Apply a selection to an array; out of range is fatal (§5.2). */
export function selectArray(a: string[], sel: Select): string[] {
  switch (sel.k) {
    case "all":
      return a;
    case "index": {
      const r = resolveIndex(sel.i, a.length);
      if (r === null || r >= a.length)
        throw new IonFatal(`expansion error: Invalid index ${indexText(sel.i)} for sequence with length ${a.length}`);
      return [a[r]!];
    }
    case "range": {
      const b = rangeBounds(sel, a.length);
      if (!b || b[0] >= a.length) throw new IonFatal(`expansion error: Invalid range for sequence with length ${a.length}`);
      return a.slice(b[0], b[0] + b[1]);
    }
    case "key":
      throw new IonFatal(`expansion error: can't use key '${sel.key}' on array`);
  }
}

export class Expander {
  constructor(private env: ExpandEnv) {}

  private sel(raw: string | null): Select | null {
    if (raw === null) return null;
    return parseSelect(this.words(raw).join(" "));
  }

  /** Text of `$name` (scalar only: `$a` on an array is "does not exist", §5.2). */
  stringVar(name: string): string {
    const v = this.env.getString(name);
    if (v === undefined) throw notExist(name);
    return v;
  }

  arrayVar(name: string): string[] {
    const v = this.env.getArray(name);
    if (v === undefined) throw notExist(name);
    return v;
  }

  captureText(cmd: string): string {
    return this.env.capture(cmd).replace(/\n+$/, "");
  }

  /** Expand a `[ … ]` body: expand each element, then re-expand each result as Ion source (§5.3). */
  arrayLiteral(body: string): string[] {
    const out: string[] = [];
    for (const el of splitArgs(body)) for (const w of this.words(el)) out.push(...this.words(w));
    return out;
  }

  /** Value of an array-like part. */
  private arrayPart(p: Part): string[] {
    switch (p.k) {
      case "arrvar": {
        const a = this.arrayVar(p.name);
        const s = this.sel(p.sel);
        return s ? selectArray(a, s) : a;
      }
      case "arrproc": {
        const a = splitWhitespace(this.captureText(p.cmd));
        const s = this.sel(p.sel);
        return s ? selectArray(a, s) : a;
      }
      case "ameth": {
        const a = arrayMethod(this, p.name, p.args);
        const s = this.sel(p.sel);
        return s ? selectArray(a, s) : a;
      }
      case "array": {
        const a = this.arrayLiteral(p.body);
        const s = this.sel(p.sel);
        return s ? selectArray(a, s) : a;
      }
      default:
        return [this.stringPart(p)];
    }
  }

  /** Value of a part as one string (arrays joined with spaces). */
  private stringPart(p: Part): string {
    switch (p.k) {
      case "lit":
        return p.s;
      case "var": {
        const v = this.stringVar(p.name);
        const s = this.sel(p.sel);
        return s ? selectString(v, s) : v;
      }
      case "proc": {
        const v = this.captureText(p.cmd);
        const s = this.sel(p.sel);
        return s ? selectString(v, s) : v;
      }
      case "smeth": {
        const v = stringMethod(this, p.name, p.args);
        const s = this.sel(p.sel);
        return s ? selectString(v, s) : v;
      }
      case "arith":
        return calc(this.arithSubst(p.expr));
      case "ns":
        if (p.ns === "env") return this.env.getEnv(p.name) ?? "";
        if (p.ns === "x" || p.ns === "hex") {
          if (!/^[0-9A-Fa-f]{1,2}$/.test(p.name)) throw new IonFatal(`expansion error: could not parse '${p.name}' as hexadecimal value`);
          return String.fromCharCode(parseInt(p.name, 16));
        }
        throw new IonFatal(`expansion error: namespace '${p.ns}' is unsupported`);
      case "brace":
        return p.nodes.join(",");
      default:
        return this.arrayPart(p).join(" ");
    }
  }

  /** §7.2: bare names in `$(( ))` are replaced by their values as text. */
  arithSubst(expr: string): string {
    return expr.replace(/[A-Za-z0-9_]+/g, (name) => this.env.getString(name) ?? name);
  }

  /** Expand a raw word to words (no glob when `glob` is false). */
  words(raw: string, glob = true): string[] {
    if (raw === "") return [];
    const parts = parseWord(raw);
    if (parts.length === 1) {
      const p = parts[0]!;
      if (p.k === "arrvar" || p.k === "arrproc" || p.k === "ameth") {
        const a = this.arrayPart(p);
        return p.q ? [a.join(" ")] : a;
      }
      if (p.k === "array") return this.arrayPart(p);
    }
    if (parts.some((p) => p.k === "brace")) return this.braces(parts);
    let out = "";
    let pat = "";
    let doGlob = false;
    for (const p of parts) {
      if (p.k === "lit") {
        if (out !== "") {
          // ion's `expand()` splits the output at its last whitespace by byte offset:
          // a non-ASCII last whitespace lands mid-character and panics (§6.3)
          const cs = [...out];
          for (let k = cs.length - 1; k >= 0; k--) {
            if (isRustWs(cs[k]!)) {
              if (cs[k]!.charCodeAt(0) > 127)
                throw new IonPanic("byte index is not a char boundary (ion expand() on non-ASCII whitespace)");
              break;
            }
          }
        }
        out += p.s;
        pat += p.pat;
        if (p.glob) doGlob = true;
      } else {
        const s = this.stringPart(p);
        out += s;
        pat += globEscape(s);
      }
    }
    if (out === "") return [];
    if (doGlob && glob) {
      const m = this.glob(pat);
      if (m.length) return m;
    }
    return [out];
  }

  private braces(parts: Part[]): string[] {
    let acc: string[] = [""];
    for (const p of parts) {
      let alts: string[];
      if (p.k === "brace") {
        alts = [];
        for (const node of p.nodes) {
          for (const w of this.words(node, false)) {
            const r = parseRange(w);
            if (r) alts.push(...r);
            else alts.push(w);
          }
        }
        if (alts.length === 0) alts = ["{}"];
      } else alts = [this.stringPart(p)];
      const next: string[] = [];
      for (const a of acc) for (const b of alts) next.push(a + b);
      acc = next;
    }
    return acc.filter((w) => w !== "");
  }

  /** Words joined by single spaces (method variables, selections). */
  text(raw: string): string {
    return this.words(raw).join(" ");
  }

  // ----- globbing -----
  private glob(pat: string): string[] {
    const comps = splitGlob(pat);
    let bases: string[] = [pat.startsWith("/") ? "/" : ""];
    for (let ci = 0; ci < comps.length; ci++) {
      const comp = comps[ci]!;
      if (comp === "" ) continue;
      const next: string[] = [];
      if (!hasGlob(comp)) {
        const lit = unglob(comp);
        for (const b of bases) next.push(joinPath(b, lit));
      } else {
        const re = globRegex(comp);
        for (const b of bases) {
          const entries = this.env.listDir(b === "" ? "." : b);
          if (!entries) continue;
          for (const e of entries) {
            if (e.startsWith(".") && !comp.startsWith(".")) continue;
            if (re.test(e)) next.push(joinPath(b, e));
          }
        }
      }
      bases = next;
      if (!bases.length) return [];
    }
    return bases.filter((b) => this.env.exists(b === "" ? "." : b)).sort();
  }
}

function joinPath(b: string, e: string): string {
  if (b === "") return e;
  if (b.endsWith("/")) return b + e;
  return b + "/" + e;
}

function splitGlob(pat: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]!;
    if (c === "\\" && i + 1 < pat.length) {
      cur += c + pat[i + 1];
      i++;
    } else if (c === "/") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function hasGlob(comp: string): boolean {
  for (let i = 0; i < comp.length; i++) {
    const c = comp[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "*" || c === "?" || c === "[") return true;
  }
  return false;
}

function unglob(comp: string): string {
  return comp.replace(/\\(.)/gs, "$1");
}

function globRegex(comp: string): RegExp {
  let re = "^";
  for (let i = 0; i < comp.length; i++) {
    const c = comp[i]!;
    if (c === "\\" && i + 1 < comp.length) {
      re += comp[i + 1]!.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
      i++;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const j = comp.indexOf("]", i + 2);
      if (j < 0) {
        re += "\\[";
        continue;
      }
      let body = comp.slice(i + 1, j);
      if (body.startsWith("!")) body = "^" + body.slice(1);
      re += "[" + body.replace(/\\/g, "\\\\") + "]";
      i = j;
    } else re += c.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
  }
  return new RegExp(re + "$", "u");
}
