/**
 * String methods `$name(…)` and array methods `@name(…)` (src/lib/expansion/methods in ion).
 * The first argument is a variable name, or an expression when it starts with
 * `$ @ " ' [`; the other arguments are expanded then C-unescaped (§6.5).
 */
import { IonFatal } from "./errors.ts";
import { splitArgs } from "./lexer.ts";
import type { Expander } from "./expand.ts";
import { isExpression } from "./expand.ts";
import { compileRegex, RegexError, translateReplacement } from "./regex.ts";
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

function splitMethodArgs(args: string): [string, string[]] {
  const ws = splitArgs(args);
  return [ws[0] ?? "", ws.slice(1)];
}

function strOf(ex: Expander, v: string): string {
  return isExpression(v) ? ex.text(v) : ex.stringVar(v);
}

function patterns(ex: Expander, rest: string[]): string[] {
  return rest.flatMap((r) => ex.words(r)).map(unescapeC);
}

const wrongArg = (m: string, why: string) => new IonFatal(`expansion error: invalid argument for method ${m}: ${why}`);

export function stringMethod(ex: Expander, name: string, args: string): string {
  const [v, rest] = splitMethodArgs(args);
  const pats = () => patterns(ex, rest);
  const path = (f: (p: string) => string | null) => {
    const s = strOf(ex, v);
    return f(s) ?? s;
  };
  switch (name) {
    case "basename":
      return path(pathFileName);
    case "extension":
      return path(pathExt);
    case "filename":
      return path(pathStem);
    case "parent":
      return path(pathParent);
    case "to_lowercase":
      return strOf(ex, v).toLowerCase();
    case "to_uppercase":
      return strOf(ex, v).toUpperCase();
    case "trim":
      return trim(strOf(ex, v));
    case "trim_end":
      return trimEnd(strOf(ex, v));
    case "trim_start":
      return trimStart(strOf(ex, v));
    case "repeat": {
      const n = pats().join(" ");
      if (!/^\+?[0-9]+$/.test(n)) throw wrongArg("repeat", "argument is not a valid positive integer");
      return strOf(ex, v).repeat(Number(n));
    }
    case "replace": {
      const p = pats();
      if (p.length < 2) throw wrongArg("replace", "two arguments are required");
      return strOf(ex, v).split(p[0]!).join(p[1]!);
    }
    case "replacen": {
      const p = pats();
      if (p.length < 3) throw wrongArg("replacen", "three arguments required");
      if (!/^\+?[0-9]+$/.test(p[2]!)) throw wrongArg("replacen", "third argument isn't a valid integer");
      let n = Number(p[2]);
      const s = strOf(ex, v);
      const pieces = s.split(p[0]!);
      let out = pieces[0]!;
      for (let i = 1; i < pieces.length; i++) {
        out += (n > 0 ? p[1]! : p[0]!) + pieces[i]!;
        n--;
      }
      return out;
    }
    case "regex_replace": {
      const p = pats();
      if (p.length < 2) throw wrongArg("regex_replace", "two arguments required");
      let re: RegExp;
      try {
        re = compileRegex(p[0]!);
      } catch (e) {
        if (e instanceof RegexError) throw new IonFatal(`expansion error: invalid regex '${p[0]}': ${e.message}`);
        throw e;
      }
      return strOf(ex, v).replace(new RegExp(re.source, re.flags + "g"), translateReplacement(p[1]!));
    }
    case "join": {
      const sep = rest.length ? pats().join(" ") : " ";
      const arr = isExpression(v) ? ex.words(v) : ex.arrayVar(v);
      return arr.join(sep);
    }
    case "len": {
      if (v.startsWith("@") || /^\[.*\]$/s.test(v)) return String(ex.words(v).length);
      return String(graphemes(strOf(ex, v)).length);
    }
    case "len_bytes":
      return String(utf8Len(strOf(ex, v)));
    case "reverse":
      return graphemes(strOf(ex, v)).reverse().join("");
    case "find": {
      const p = pats().join(" ");
      const s = strOf(ex, v);
      const i = s.indexOf(p);
      return i < 0 ? "-1" : String(utf8Len(s.slice(0, i))); // byte offset, like Rust str::find
    }
    case "unescape":
      return unescapeC(strOf(ex, v));
    case "or": {
      let first = "";
      if (isExpression(v)) {
        try {
          first = ex.text(v);
        } catch (e) {
          if (!(e instanceof IonFatal)) throw e;
        }
      } else first = ex.stringVar(v);
      if (first !== "") return first;
      const alt = pats().find((x) => x !== "" && x !== ",");
      if (alt === undefined) return "";
      return alt.endsWith(",") ? alt.slice(0, alt.lastIndexOf(",")) : alt;
    }
    case "escape":
    default:
      throw new IonFatal(`expansion error: method error: '${name}' is an unknown string method`);
  }
}

export function arrayMethod(ex: Expander, name: string, args: string): string[] {
  const [v, rest] = splitMethodArgs(args);
  const pats = () => patterns(ex, rest);
  switch (name) {
    case "split": {
      const s = strOf(ex, v);
      if (rest.length === 0) return splitWhitespace(s);
      const sep = pats().join(" ");
      if (sep === "") return [...s].length ? ["", ...[...s], ""] : [""];
      return s.split(sep);
    }
    case "split_at": {
      const s = strOf(ex, v);
      const n = pats().join(" ");
      if (!/^[0-9]+$/.test(n)) throw wrongArg("split_at", "requires a valid number as an argument");
      const i = Number(n);
      if (i > s.length) throw wrongArg("split_at", "value is out of bounds");
      return [s.slice(0, i), s.slice(i)];
    }
    case "lines": {
      const s = strOf(ex, v);
      if (s === "") return [];
      const ls = s.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
      if (s.endsWith("\n")) ls.pop();
      return ls;
    }
    case "chars":
      return [...strOf(ex, v)];
    case "graphemes":
      return graphemes(strOf(ex, v));
    case "bytes":
      return [...Buffer.from(strOf(ex, v), "utf8")].map(String);
    case "reverse": {
      const a = isExpression(v) ? ex.words(v) : ex.arrayVar(v);
      return [...a].reverse();
    }
    default:
      throw new IonFatal(`expansion error: method error: '${name}' is an unknown array method`);
  }
}
