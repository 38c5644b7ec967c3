/**
 * String methods `$name(…)` and array methods `@name(…)`, ported from redox-os/ion
 * src/lib/expansion/methods ({mod,strings,arrays}.rs).
 *
 * The first argument is a variable name, or an expression when it starts with `$ @ " ' [`
 * (a name that does not exist as a string variable falls back to expanding the text). The other
 * arguments (the "pattern") are split with the argument splitter, expanded and C-unescaped; an
 * expansion error inside them is swallowed, as in ion. Only `$join` applies a `[selection]`
 * written after a string method; `@split`, `@chars`, `@bytes`, `@graphemes` apply theirs.
 */
import type { Token } from "./words.ts";
import type { Expander } from "./expand.ts";
import { expansionError, isArray, isExpression, VarNotFound } from "./expand.ts";
import { IonFatal, IonPanic } from "./errors.ts";
import { splitArguments } from "./lexer.ts";
import { compileRegex, RegexError, rustReplacer } from "./regex.ts";
import {
  graphemes,
  pathExt,
  pathFileName,
  pathParent,
  pathStem,
  splitWhitespace,
  trim,
  trimEnd,
  trimStart,
  unescapeC,
  utf8Len,
} from "./text.ts";

type SMethod = Extract<Token, { k: "smethod" }>;
type AMethod = Extract<Token, { k: "amethod" }>;

const wrongArg = (m: string, why: string) => expansionError(`${m}: ${why}`);
const REPLACE_ERR = "Two arguments required. First argument must not be an empty string";

/** MethodArgs::array: split, expand (errors give nothing), unescape */
function argArray(ex: Expander, pattern: string, allowEmptyThird = false): string[] {
  const out: string[] = [];
  splitArguments(pattern).forEach((arg, i) => {
    let ws: string[];
    try {
      ws = ex.expandString(arg);
    } catch (e) {
      if (!(e instanceof IonFatal)) throw e;
      ws = [];
    }
    if (allowEmptyThird && i === 1 && ws.length === 0) ws = [""];
    for (const w of ws) out.push(unescapeC(w));
  });
  return out;
}

/** MethodArgs::join */
function argJoin(ex: Expander, pattern: string, sep: string): string {
  return unescapeC(ex.expandString(pattern).join(sep));
}

/** string(variable), or the expansion of an expression that is not a variable name */
function resolveVar(ex: Expander, variable: string, lenient = false): string {
  const v = ex.env.lookup(variable);
  if (v !== undefined) return v;
  if (!isExpression(variable)) throw new VarNotFound(variable);
  if (!lenient) return ex.expandString(variable).join(" ");
  try {
    return ex.expandString(variable).join(" ");
  } catch (e) {
    if (e instanceof IonFatal) return "";
    throw e;
  }
}

function resolveArray(ex: Expander, variable: string): string[] {
  try {
    return ex.env.array(variable, { k: "all" });
  } catch (e) {
    if (!(e instanceof VarNotFound) || !isExpression(variable)) throw e;
  }
  return ex.expandString(variable);
}

/** Rust `str::replacen` (an empty pattern matches between every character) */
function replaceN(s: string, from: string, to: string, n: number): string {
  if (from === "") {
    const cs = [...s];
    let out = "";
    let k = 0;
    for (let i = 0; i <= cs.length; i++) {
      if (k < n) {
        out += to;
        k++;
      }
      if (i < cs.length) out += cs[i];
    }
    return out;
  }
  let out = "";
  let pos = 0;
  for (let k = 0; k < n; k++) {
    const i = s.indexOf(from, pos);
    if (i < 0) break;
    out += s.slice(pos, i) + to;
    pos = i + from.length;
  }
  return out + s.slice(pos);
}

/** strings.rs `escape` */
function escapeText(input: string): string {
  let out = "";
  for (const ch of input) {
    const n = ch.codePointAt(0)! & 0xff; // ion looks at `b as u8`
    const named: Record<number, string> = { 0: "\\0", 7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 27: "\\e" };
    if (named[n] !== undefined) out += named[n];
    else if ((n !== 59 && n !== 95 && n >= 33 && n < 48) || (n >= 58 && n < 65) || (n >= 91 && n < 97) || (n >= 123 && n < 127))
      out += "\\" + String.fromCharCode(n);
    else out += ch;
  }
  return out;
}

export function stringMethod(ex: Expander, t: SMethod): string {
  const v = t.variable;
  const pathEval = (f: (p: string) => string | null) => {
    const s = resolveVar(ex, v);
    return f(s) ?? s;
  };
  switch (t.method) {
    case "basename":
      return pathEval(pathFileName);
    case "extension":
      return pathEval(pathExt);
    case "filename":
      return pathEval(pathStem);
    case "parent":
      return pathEval(pathParent);
    case "to_lowercase":
      return resolveVar(ex, v).toLowerCase();
    case "to_uppercase":
      return resolveVar(ex, v).toUpperCase();
    case "trim":
      return trim(resolveVar(ex, v));
    case "trim_end":
      return trimEnd(resolveVar(ex, v));
    case "trim_start":
      return trimStart(resolveVar(ex, v));
    case "repeat": {
      const n = argJoin(ex, t.pattern, " ");
      if (!/^\+?[0-9]+$/.test(n)) throw wrongArg("repeat", "argument is not a valid positive integer");
      return resolveVar(ex, v).repeat(Number(n));
    }
    case "replace": {
      const a = argArray(ex, t.pattern, true);
      if (a.length < 2) throw wrongArg("replace", REPLACE_ERR);
      return replaceN(resolveVar(ex, v), a[0]!, a[1]!, Infinity);
    }
    case "replacen": {
      const a = argArray(ex, t.pattern, true);
      if (a.length < 3) throw wrongArg("replacen", "three arguments required");
      if (!/^\+?[0-9]+$/.test(a[2]!)) throw wrongArg("replacen", "third argument isn't a valid integer");
      return replaceN(resolveVar(ex, v), a[0]!, a[1]!, Number(a[2]));
    }
    case "regex_replace": {
      const a = argArray(ex, t.pattern, true);
      if (a.length < 2) throw wrongArg("regex_replace", REPLACE_ERR);
      let re: RegExp;
      try {
        re = compileRegex(a[0]!);
      } catch (e) {
        if (e instanceof RegexError) throw expansionError(`regex_replace: error in regular expression '${a[0]}': ${e.message}`);
        throw e;
      }
      return resolveVar(ex, v).replace(new RegExp(re.source, re.flags + "g"), rustReplacer(a[1]!));
    }
    case "join": {
      const sep = argJoin(ex, t.pattern, " ");
      let joined: string;
      try {
        joined = ex.env.array(v, { k: "all" }).join(sep);
      } catch (e) {
        if (!(e instanceof VarNotFound) || !isExpression(v)) throw e;
        joined = ex.expandString(v).join(sep);
      }
      return ex.sliceString(joined, t.sel);
    }
    case "len":
      if (v.startsWith("@") || isArray(v)) return String(ex.expandString(v).length);
      return String(graphemes(resolveVar(ex, v)).length);
    case "len_bytes":
      return String(utf8Len(resolveVar(ex, v)));
    case "reverse":
      return graphemes(resolveVar(ex, v)).reverse().join("");
    case "find": {
      const p = argJoin(ex, t.pattern, " ");
      const s = resolveVar(ex, v);
      const i = s.indexOf(p);
      return i < 0 ? "-1" : String(utf8Len(s.slice(0, i))); // byte offset, like Rust str::find
    }
    case "unescape":
      return unescapeC(resolveVar(ex, v));
    case "escape":
      return escapeText(resolveVar(ex, v));
    case "or": {
      const first = resolveVar(ex, v, true);
      if (first !== "") return first;
      const alt = argArray(ex, t.pattern).find((x) => x !== "" && x !== ",");
      if (alt === undefined) return "";
      return alt.endsWith(",") ? alt.slice(0, alt.lastIndexOf(",")) : alt;
    }
  }
  throw expansionError(`'${t.method}' is an unknown string method`);
}

/** `@split(…)`, also usable inside a larger word */
export function splitMethod(ex: Expander, t: AMethod): string[] {
  const s = resolveVar(ex, t.variable);
  if (t.pattern === null) return ex.sliceArray(splitWhitespace(s), t.sel);
  const sep = unescapeC(ex.expandString(t.pattern).join(" "));
  return ex.sliceArray(rustSplit(s, sep), t.sel);
}

/** Rust `str::split` with a string pattern (an empty pattern matches around every character) */
function rustSplit(s: string, sep: string): string[] {
  if (sep === "") return ["", ...s, ""];
  return s.split(sep);
}

export function arrayMethod(ex: Expander, t: AMethod): string[] {
  const v = t.variable;
  switch (t.method) {
    case "split":
      return splitMethod(ex, t);
    case "bytes":
      return ex.sliceArray([...Buffer.from(resolveVar(ex, v), "utf8")].map(String), t.sel);
    case "chars":
      return ex.sliceArray([...resolveVar(ex, v)], t.sel);
    case "graphemes":
      return ex.sliceArray(graphemes(resolveVar(ex, v)), t.sel);
    case "keys":
      return ex.sliceArray(ex.env.mapKeys(v), t.sel);
    case "values":
      return ex.sliceArray(ex.env.mapValues(v), t.sel);
    case "lines": {
      // Rust str::lines: split on \n, drop one trailing \r per line and a final empty line
      const s = resolveVar(ex, v);
      if (s === "") return [];
      const ls = s.split("\n");
      if (ls[ls.length - 1] === "") ls.pop();
      return ls.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
    }
    case "reverse":
      return [...resolveArray(ex, v)].reverse();
    case "split_at": {
      const s = resolveVar(ex, v);
      if (t.pattern === null) throw wrongArg("split_at", "requires an argument");
      const n = ex.expandString(t.pattern).join(" ");
      if (!/^\+?[0-9]+$/.test(n)) throw wrongArg("split_at", "requires a valid number as an argument");
      const i = Number(n);
      const bytes = Buffer.from(s, "utf8");
      if (i >= bytes.length) throw expansionError(`index 'Index(Forward(${i}))' is not valid for array variable '${s}'`);
      const l = bytes.subarray(0, i).toString("utf8");
      if (utf8Len(l) !== i) throw new IonPanic(`byte index ${i} is not a char boundary`);
      return [l, bytes.subarray(i).toString("utf8")];
    }
    case "subst": {
      const value = resolveVar(ex, v);
      if (!v.startsWith("@") && !v.startsWith("[")) throw wrongArg("subst", "1. argument must be an array");
      if (t.pattern === null) throw wrongArg("subst", "requires a 2. argument");
      if (!t.pattern.startsWith("@") && !t.pattern.startsWith("[")) throw wrongArg("subst", "2. argument must be an array");
      const dflt = resolveArray(ex, t.pattern);
      const arr = ex.sliceArray(trim(value).split(/[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/), t.sel);
      return arr.length === 0 || arr[0] === "" ? dflt : arr;
    }
  }
  throw expansionError(`'${t.method}' is an unknown array method`);
}
