/**
 * Word expansion, ported from redox-os/ion src/lib/expansion/mod.rs (`Expander::expand_string`,
 * `expand_tokens`, `expand`, `slice`, `array_expand`, braces, arithmetic).
 *
 * A word is tokenized (words.ts). A word that is a single token expands on its own (an array
 * token gives one word per element). Otherwise tokens are concatenated into one output string:
 * literal text is appended to the last space-separated piece of the output, and a piece with an
 * unescaped `*`/`?`/`[…]` is globbed (the non-ASCII whitespace panic lives here: ion splits the
 * output at its last whitespace by byte offset; quote_wide_whitespace_panic). Braces give the cross
 * product of their alternatives.
 */
import { calc } from "./arith.ts";
import { IonFatal, IonPanic } from "./errors.ts";
import { arrayMethod, stringMethod, splitMethod } from "./methods.ts";
import { parseRange, parseSelect, rangeBounds, selectLenient, type Select } from "./ranges.ts";
import { graphemes, isRustWs, splitWhitespace } from "./text.ts";
import { tokenize, type Token } from "./words.ts";

/** What expansion needs from the shell (ion's `Expander` trait). */
export interface ExpandEnv {
  /** Expander::string: `?`, namespaces, a string variable, then the environment. Throws VarNotFound. */
  string(name: string): string;
  /** the same, undefined instead of VarNotFound */
  lookup(name: string): string | undefined;
  /** Expander::array: an array variable with a selection. Throws VarNotFound / expansion errors. */
  array(name: string, sel: Select): string[];
  /** map keys / values (`@keys`, `@values`) */
  mapKeys(name: string): string[];
  mapValues(name: string): string[];
  /** `$( )`: runs the command in this shell and returns its raw stdout */
  command(cmd: string): string;
  /** `~` expansion of a word starting with `~` */
  tilde(word: string): string;
  /** paths matching a glob pattern; null when the pattern is invalid */
  glob(pattern: string): string[] | null;
}

/** An expansion error: `ion: expansion error: …`. */
export function expansionError(msg: string): IonFatal {
  return new IonFatal(`expansion error: ${msg}`);
}

/** Error::VarNotFound, which methods and `value_check` treat specially. */
export class VarNotFound extends IonFatal {
  constructor(readonly varName: string) {
    super(`expansion error: Variable "${varName}" does not exist`);
  }
}

/** is_expression: a method's first argument that is not a bare variable name */
export function isExpression(s: string): boolean {
  return s.startsWith("@") || s.startsWith("[") || s.startsWith("$") || s.startsWith('"') || s.startsWith("'");
}

/** checker.rs `is_array`: the whole value is one `[ … ]` */
export function isArray(value: string): boolean {
  if (!value.endsWith("]")) return false;
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "[") depth++;
    else if (c === "]") depth--;
    if (depth === 0) return i === value.length - 1;
  }
  return false;
}

class Out {
  s = "";
}

/** braces.rs escape_string: drop the backslash before `{`, `}` and `,` */
function braceEscape(s: string): string {
  if (!s.includes("\\")) return s;
  let out = "";
  let bs = false;
  for (const c of s) {
    if (bs) {
      if (c !== "{" && c !== "}" && c !== ",") out += "\\";
      out += c;
      bs = false;
    } else if (c === "\\") bs = true;
    else out += c;
  }
  return out;
}

export class Expander {
  constructor(readonly env: ExpandEnv) {}

  /** Expander::expand_string */
  expandString(original: string): string[] {
    if (original === "") return [""];
    const toks = tokenize(original, true);
    return this.expandTokens(toks, toks.some((t) => t.k === "brace"));
  }

  /** expand_string_no_glob (brace alternatives) */
  private expandStringNoGlob(original: string): string[] {
    let toks = tokenize(original, false);
    if (original === "") toks = [{ k: "normal", text: "", glob: true, tilde: false }];
    return this.expandTokens(toks, toks.some((t) => t.k === "brace"));
  }

  /** get_string: the words joined by spaces */
  text(raw: string): string {
    return this.expandString(raw).join(" ");
  }

  private parseSel(raw: string): Select {
    return parseSelect(this.expandString(raw).join(" "));
  }

  private expandTokens(toks: Token[], containsBrace: boolean): string[] {
    if (!containsBrace && toks.length === 1) return this.singleArrayToken(toks[0]!);
    const out = new Out();
    const words: string[] = [];
    const braceTokens: ({ k: "text"; s: string } | { k: "exp" })[] = [];
    const expanders: string[][] = [];
    for (const t of toks) {
      switch (t.k) {
        case "array":
          out.s += this.arrayExpand(t.elements, t.sel).join(" ");
          break;
        case "arrvar":
          if (t.sel !== null && t.sel.includes(" ")) {
            out.s += t.sel
              .split(" ")
              .map((i) => this.env.array(t.name, parseSelect(i)).join(" "))
              .join(" ");
          } else out.s += this.env.array(t.name, t.sel === null ? { k: "all" } : this.parseSel(t.sel)).join(" ");
          break;
        case "arrproc":
        case "proc":
          this.expandProcess(out, t.cmd, t.sel);
          break;
        case "amethod":
          // ArrayMethod::handle: only `split` works inside a larger word
          if (t.method !== "split") throw expansionError(`'${t.method}' is an unknown array method`);
          out.s += splitMethod(this, t).join(" ");
          break;
        case "smethod":
          out.s += stringMethod(this, t);
          break;
        case "brace": {
          const temp: string[] = [];
          for (const node of t.nodes) for (const w of this.expandStringNoGlob(node)) {
            const r = parseRange(w);
            if (r) temp.push(...r);
            else temp.push(w);
          }
          if (temp.length === 0) out.s += "{}";
          else {
            if (out.s !== "") {
              braceTokens.push({ k: "text", s: out.s });
              out.s = "";
            }
            braceTokens.push({ k: "exp" });
            expanders.push(temp);
          }
          break;
        }
        case "normal":
          this.expandText(out, words, t.text, t.glob && !containsBrace, t.tilde);
          break;
        case "ws":
          out.s += t.text;
          break;
        case "var":
          this.slice(out, this.env.string(t.name), t.sel);
          break;
        case "arith":
          out.s += this.arithmetic(t.expr);
          break;
      }
    }
    if (!containsBrace) {
      if (out.s !== "") words.unshift(out.s);
      return words;
    }
    if (expanders.length === 0) words.push(out.s);
    else {
      if (out.s !== "") braceTokens.push({ k: "text", s: out.s });
      // the cross product, last alternative list varying fastest
      let acc: string[] = [""];
      let ei = 0;
      for (const bt of braceTokens) {
        if (bt.k === "text") {
          const s = braceEscape(bt.s);
          acc = acc.map((a) => a + s);
        } else {
          const alts = expanders[ei++]!.map(braceEscape);
          const next: string[] = [];
          for (const a of acc) for (const b of alts) next.push(a + b);
          acc = next;
        }
      }
      words.push(...acc);
    }
    const res: string[] = [];
    for (const w of words) {
      if (w.includes("*")) {
        const m = this.env.glob(w);
        if (m === null) res.push(w);
        else res.push(...m);
      } else res.push(w);
    }
    return res;
  }

  private singleArrayToken(t: Token): string[] {
    switch (t.k) {
      case "array":
        return this.arrayExpand(t.elements, t.sel);
      case "arrvar": {
        if (t.sel !== null && t.sel.includes(" ")) {
          const parts = t.sel.split(" ").map((i) => this.env.array(t.name, this.parseSel(i)));
          return t.quoted ? [parts.map((p) => p.join(" ")).join(" ")] : parts.flat();
        }
        const a = this.env.array(t.name, t.sel === null ? { k: "all" } : this.parseSel(t.sel));
        return t.quoted ? [a.join(" ")] : a;
      }
      case "arrproc": {
        const o = new Out();
        this.expandProcess(o, t.cmd, null);
        const a = this.sliceArray(splitWhitespace(o.s), t.sel);
        return t.quoted ? [a.join(" ")] : a;
      }
      case "amethod": {
        const a = arrayMethod(this, t);
        return t.quoted ? [a.join(" ")] : a;
      }
    }
    return this.singleStringToken(t);
  }

  private singleStringToken(t: Token): string[] {
    const out = new Out();
    const words: string[] = [];
    switch (t.k) {
      case "smethod":
        out.s += stringMethod(this, t);
        break;
      case "normal":
        this.expandText(out, words, t.text, t.glob, t.tilde);
        break;
      case "ws":
        out.s += t.text;
        break;
      case "proc":
        this.expandProcess(out, t.cmd, t.sel);
        break;
      case "var":
        this.slice(out, this.env.string(t.name), t.sel);
        break;
      case "arith":
        out.s += this.arithmetic(t.expr);
        break;
      default:
        throw new IonPanic("internal error: entered unreachable code");
    }
    if (out.s !== "") words.push(out.s);
    return words;
  }

  /** `expand`: literal text joins the last space-separated piece of the output; globs move it to the word list */
  private expandText(out: Out, words: string[], text: string, doGlob: boolean, tilde: boolean): void {
    let concat: string;
    const o = out.s;
    let sep = -1;
    for (let k = o.length - 1; k >= 0; k--) {
      if (isRustWs(o[k]!)) {
        sep = k;
        break;
      }
    }
    if (sep >= 0) {
      // ion compares and splits at the whitespace's *byte* offset + 1: mid-character for non-ASCII
      if (o.charCodeAt(sep) > 127) throw new IonPanic("byte index is not a char boundary (ion `expand` after non-ASCII whitespace)");
      if (sep === o.length - 1) concat = text;
      else {
        concat = o.slice(sep + 1) + text;
        out.s = o.slice(0, sep + 1);
      }
    } else if (o === "") concat = text;
    else {
      concat = o + text;
      out.s = "";
    }
    const expanded = tilde ? this.env.tilde(concat) : concat;
    if (doGlob) {
      const m = this.env.glob(expanded);
      if (m && m.length) words.push(...m);
      else words.push(expanded);
    } else out.s += expanded;
  }

  private expandProcess(out: Out, cmd: string, sel: string | null): void {
    this.slice(out, this.env.command(cmd).replace(/\n+$/, ""), sel);
  }

  /** `slice` into a fresh string */
  sliceString(v: string, sel: string | null): string {
    const o = new Out();
    this.slice(o, v, sel);
    return o.s;
  }

  /** `slice`: a selection on a string counts graphemes and never fails */
  private slice(out: Out, v: string, sel: string | null): void {
    if (sel === null) {
      out.s += v;
      return;
    }
    const s = this.parseSel(sel);
    switch (s.k) {
      case "all":
        out.s += v;
        return;
      case "index": {
        const g = graphemes(v);
        const i = s.i.fwd ? s.i.n : g.length - 1 - s.i.n;
        if (i >= 0 && i < g.length) out.s += g[i]!;
        return;
      }
      case "range": {
        const g = graphemes(v);
        const b = rangeBounds(s, g.length);
        if (b) out.s += g.slice(b[0], b[0] + b[1]).join("");
        return;
      }
      case "key":
        return;
    }
  }

  /** `slice_array`: lenient selection on a computed array */
  sliceArray(items: string[], sel: string | null): string[] {
    if (sel === null) return items;
    return selectLenient(items, this.parseSel(sel));
  }

  /** `array_expand`: an array literal `[…]` with an optional selection */
  private arrayExpand(elements: string[], selRaw: string | null): string[] {
    const sel = selRaw === null ? ({ k: "all" } as Select) : this.parseSel(selRaw);
    switch (sel.k) {
      case "all":
        return elements.flatMap((e) => this.expandString(e));
      case "index": {
        let i = sel.i.n;
        if (sel.i.fwd) {
          for (const el of elements) {
            const x = this.expandString(el);
            if (x.length > i) return [x[i]!];
            i -= x.length;
          }
        } else {
          i += 1;
          for (const el of [...elements].reverse()) {
            const x = this.expandString(el);
            if (x.length >= i) return [x[x.length - i]!];
            i -= x.length;
          }
        }
        throw expansionError(`Invalid index ${sel.i.fwd ? sel.i.n : `-${sel.i.n + 1}`} for sequence with length ${elements.length}`);
      }
      case "range": {
        const all = elements.flatMap((e) => this.expandString(e));
        const b = rangeBounds(sel, all.length);
        if (b) return all.slice(b[0], b[0] + b[1]);
        throw expansionError(`Invalid range between ${rangeText(sel)} for sequence with length ${elements.length}`);
      }
      case "key":
        throw expansionError(`can't use key '${sel.key}' on array`);
    }
  }

  /** `$(( ))`: names are replaced by their values (or kept), then calc evaluates; errors become the value */
  private arithmetic(expr: string): string {
    const subst = expr.replace(/[0-9A-Za-z_]+/g, (name) => {
      try {
        return this.env.lookup(name) ?? name;
      } catch (e) {
        if (e instanceof IonFatal) return name;
        throw e;
      }
    });
    return calc(subst);
  }
}

export function rangeText(r: Extract<Select, { k: "range" }>): string {
  const t = (i: { fwd: boolean; n: number }) => (i.fwd ? String(i.n) : `-${i.n + 1}`);
  return `(${t(r.start)},${t(r.end)})`;
}
