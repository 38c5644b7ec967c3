/**
 * Ion's word tokenizer, ported from redox-os/ion src/lib/expansion/words/mod.rs (`WordIterator`).
 *
 * A raw word (as the pipeline parser cut it, quotes included) becomes a list of tokens: literal
 * text, whitespace, variables, `$( )`, methods, braces, arrays, arithmetic. The port keeps ion's
 * quirks, because they decide what real Ion accepts:
 * - a string method's arguments end at the first `)` not matched by a `(` **counted without
 *   regard to quotes**, so `$replace($x '(' y)` never finds its end and panics (status 134);
 *   an array method's arguments end at the very first `)` (`@split($x '(')` works);
 * - the first method argument honours quotes and `[ ]`;
 * - `$(`…`)` honours single quotes, `@(`…`)` counts only `@(` for nesting;
 * - unterminated constructs are Rust panics ("fatal error with syntax validation").
 * Tokenizing is pure, so results (and panics) are cached per word.
 */
import { IonPanic } from "./errors.ts";
import { splitArguments } from "./lexer.ts";
import { unescapeChars } from "./text.ts";

export type Token =
  | { k: "normal"; text: string; glob: boolean; tilde: boolean }
  | { k: "ws"; text: string }
  | { k: "brace"; nodes: string[] }
  | { k: "array"; elements: string[]; sel: string | null }
  | { k: "var"; name: string; sel: string | null }
  | { k: "arrvar"; name: string; quoted: boolean; sel: string | null }
  | { k: "arrproc"; cmd: string; quoted: boolean; sel: string | null }
  | { k: "proc"; cmd: string; sel: string | null }
  | { k: "smethod"; method: string; variable: string; pattern: string; sel: string | null }
  | { k: "amethod"; method: string; variable: string; pattern: string | null; sel: string | null; quoted: boolean }
  | { k: "arith"; expr: string };

const NONE = 0,
  SINGLE = 1,
  DOUBLE = 2;

/** bytes that end a variable name: ASCII except [0-9A-Z_a-z] */
const endsName = (c: string) => {
  const n = c.charCodeAt(0);
  return n < 128 && !((n >= 48 && n <= 57) || (n >= 65 && n <= 90) || n === 95 || (n >= 97 && n <= 122));
};

const TEXT_ESCAPES = [" ", "'", '"', "$", "@", "~", "?", "*", "{", "(", ")", "}", "\\"].join("");

/** index_until_unescaped_character: (index of the first unescaped stop char, previous char, stop char, glob char seen) */
function untilUnescaped(s: string, from: number, stops: string): [number, string, string, boolean] {
  let prev = "\0";
  let lastCh = "\0";
  let glob = false;
  let backslash = false;
  let i = 0;
  for (let k = from; k < s.length; k++) {
    const c = s[k]!;
    if (backslash) backslash = false;
    else if (c === "\\") backslash = true;
    else {
      if (!glob && (c === "?" || c === "*")) glob = true;
      if (stops.includes(c)) {
        lastCh = c;
        break;
      }
      prev = c;
    }
    i++;
  }
  return [i, prev, lastCh, glob];
}

/** A cursor over the word (ion's byte iterator); `read` in WordIterator is tracked separately, as in ion. */
class Cursor {
  constructor(
    readonly s: string,
    public pos: number,
  ) {}
  next(): string | undefined {
    return this.pos < this.s.length ? this.s[this.pos++] : (this.pos++, undefined);
  }
  peek(): string | undefined {
    return this.s[this.pos];
  }
}

class WordIterator {
  read = 0;
  quotes = NONE;
  backsl = false;
  constructor(
    readonly data: string,
    readonly doGlob: boolean,
  ) {}

  private arithmetic(it: Cursor): Token {
    it.next();
    let paren = 0;
    const start = this.read;
    for (let c = it.next(); c !== undefined; c = it.next()) {
      if (c === "(") paren++;
      else if (c === ")") {
        if (paren === 0) {
          it.next();
          const expr = this.data.slice(start, this.read);
          this.read += 2;
          return { k: "arith", expr };
        }
        paren--;
      }
      this.read++;
    }
    throw new IonPanic("ion: fatal syntax error: unterminated arithmetic expression");
  }

  private quoteToggle(c: string): boolean {
    if (c === "'") {
      if (this.quotes === SINGLE) this.quotes = NONE;
      else if (this.quotes === NONE) this.quotes = SINGLE;
      return true;
    }
    if (c === '"') {
      if (this.quotes === DOUBLE) this.quotes = NONE;
      else if (this.quotes === NONE) this.quotes = DOUBLE;
      return true;
    }
    return false;
  }

  private array(it: Cursor): Token {
    const start = this.read;
    let level = 0;
    for (let c = it.next(); c !== undefined; c = it.next()) {
      if (this.backsl) this.backsl = false;
      else if (c === "\\") this.backsl = true;
      else if (this.quoteToggle(c)) {
        /* quotes */
      } else if (c === "[" && this.quotes === NONE) level++;
      else if (c === "]" && this.quotes === NONE) {
        if (level === 0) {
          const elements = splitArguments(this.data.slice(start, this.read));
          this.read++;
          if (this.data[this.read] === "[") {
            it.next();
            return { k: "array", elements, sel: this.readSelection(it) };
          }
          return { k: "array", elements, sel: null };
        }
        level--;
      }
      this.read++;
    }
    throw new IonPanic("ion: fatal error with syntax validation: unterminated array expression");
  }

  private braces(it: Cursor): Token {
    let start = this.read;
    let level = 0;
    const nodes: string[] = [];
    for (let c = it.next(); c !== undefined; c = it.next()) {
      if (this.backsl) this.backsl = false;
      else if (c === "\\") this.backsl = true;
      else if (this.quoteToggle(c)) {
        /* quotes */
      } else if (this.quotes === NONE) {
        if (c === "," && level === 0) {
          nodes.push(this.data.slice(start, this.read));
          start = this.read + 1;
        } else if (c === "{" || c === "[") level++;
        else if (c === "}") {
          if (level === 0) {
            nodes.push(this.data.slice(start, this.read));
            this.read++;
            return { k: "brace", nodes };
          }
          level--;
        } else if (c === "]") level--;
      }
      this.read++;
    }
    throw new IonPanic("ion: fatal error with syntax validation: unterminated brace");
  }

  private arrayProcess(it: Cursor): Token {
    it.next();
    const start = this.read;
    let level = 0;
    for (let c = it.next(); c !== undefined; c = it.next()) {
      if (this.backsl) this.backsl = false;
      else if (c === "\\") this.backsl = true;
      else if (this.quoteToggle(c)) {
        /* quotes */
      } else if (c === "@" && this.quotes !== SINGLE) {
        if (this.data[this.read + 1] === "(") level++;
      } else if (c === ")" && this.quotes !== SINGLE) {
        if (level === 0) {
          const cmd = this.data.slice(start, this.read);
          this.read++;
          const quoted = this.quotes === DOUBLE;
          if (this.data[this.read] === "[") {
            it.next();
            return { k: "arrproc", cmd, quoted, sel: this.readSelection(it) };
          }
          return { k: "arrproc", cmd, quoted, sel: null };
        }
        level--;
      }
      this.read++;
    }
    throw new IonPanic("ion: fatal error with syntax validation: unterminated array process");
  }

  private process(it: Cursor): Token {
    const start = this.read;
    let level = 0;
    for (let c = it.next(); c !== undefined; c = it.next()) {
      if (this.backsl) this.backsl = false;
      else if (c === "\\") this.backsl = true;
      else if (this.quoteToggle(c)) {
        /* quotes */
      } else if ((c === "$" || c === "@") && this.quotes !== SINGLE) {
        if (this.data[this.read + 1] === "(") {
          it.next();
          this.read++;
          level++;
        }
      } else if (c === ")" && this.quotes !== SINGLE) {
        if (level === 0) {
          const cmd = this.data.slice(start, this.read);
          this.read++;
          if (this.data[this.read] === "[") {
            it.next();
            return { k: "proc", cmd, sel: this.readSelection(it) };
          }
          return { k: "proc", cmd, sel: null };
        }
        level--;
      }
      this.read++;
    }
    throw new IonPanic("ion: fatal error with syntax validation: unterminated process");
  }

  private bracedArrayVariable(it: Cursor): Token {
    it.next();
    const start = this.read;
    const quoted = this.quotes === DOUBLE;
    for (let c = it.next(); c !== undefined; c = it.next()) {
      if (c === "[") {
        const name = this.data.slice(start, this.read);
        const sel = this.readSelection(it);
        this.read++;
        if (it.next() === "}") return { k: "arrvar", name, quoted, sel };
        throw new IonPanic("ion: fatal with syntax validation error: unterminated braced array expression");
      }
      if (c === "}") {
        const name = this.data.slice(start, this.read);
        this.read++;
        return { k: "arrvar", name, quoted, sel: null };
      }
      if (endsName(c)) return { k: "arrvar", name: this.data.slice(start, this.read), quoted, sel: null };
      this.read++;
    }
    return { k: "arrvar", name: this.data.slice(start), quoted, sel: null };
  }

  private readSelection(it: Cursor): string {
    this.read++;
    const start = this.read;
    for (let c = it.next(); c !== undefined; c = it.next()) {
      if (c === "]") {
        const v = this.data.slice(start, this.read);
        this.read++;
        return v;
      }
      this.read++;
    }
    throw new IonPanic("explicit panic (unterminated selection)");
  }

  private trimLeftSpaces(it: Cursor): void {
    while (it.peek() === " ") {
      it.next();
      this.read++;
    }
  }

  private selectionAfter(it: Cursor): string | null {
    if (this.data[this.read] !== "[") return null;
    it.next();
    return this.readSelection(it);
  }

  /** `$name`, `$name[sel]`, `$method(args)` */
  private variable(it: Cursor): Token {
    let flags = NONE;
    let start = this.read;
    for (let c = it.next(); c !== undefined; c = it.next()) {
      if (c === "(") {
        const method = this.data.slice(start, this.read);
        this.read++;
        start = this.read;
        this.trimLeftSpaces(it);
        let depth = 0;
        for (let d = it.next(); d !== undefined; d = it.next()) {
          if (d === "'" && flags !== DOUBLE) flags = flags === SINGLE ? NONE : SINGLE;
          else if (d === '"' && flags !== SINGLE) flags = flags === DOUBLE ? NONE : DOUBLE;
          else if (d === "[" && flags === NONE) depth++;
          else if (d === "]" && flags === NONE) depth--;
          else if (d === " " && depth === 0 && flags === NONE) {
            const variable = this.data.slice(start, this.read).trim();
            this.read++;
            start = this.read;
            // the remaining arguments end at the first `)` that closes a `(` counted without quotes
            for (let e = it.next(); e !== undefined; e = it.next()) {
              if (e === ")") {
                this.read++;
                if (depth !== 0) {
                  depth--;
                  continue;
                }
                const pattern = this.data.slice(start, this.read - 1).trim();
                return { k: "smethod", method, variable, pattern, sel: this.selectionAfter(it) };
              } else if (e === "(") depth++;
              else if (e === "\\") {
                this.read++;
                it.next();
              }
              this.read++;
            }
          } else if (d === ")" && depth === 0) {
            const variable = this.data.slice(start, this.read).trim();
            this.read++;
            return { k: "smethod", method, variable, pattern: " ", sel: this.selectionAfter(it) };
          } else if (d === ")") depth--;
          else if (d === "(") depth++;
          this.read++;
        }
        throw new IonPanic("ion: fatal error with syntax validation parsing: unterminated method");
      }
      if (endsName(c)) {
        const name = this.data.slice(start, this.read);
        if (c === "[") return { k: "var", name, sel: this.readSelection(it) };
        return { k: "var", name, sel: null };
      }
      this.read++;
    }
    return { k: "var", name: this.data.slice(start), sel: null };
  }

  /** `@name`, `@name[sel]`, `@method(args)` */
  private arrayVariable(it: Cursor): Token {
    let flags = NONE;
    let start = this.read;
    const quoted = this.quotes === DOUBLE;
    for (let c = it.next(); c !== undefined; c = it.next()) {
      if (c === "(") {
        const method = this.data.slice(start, this.read);
        this.read++;
        start = this.read;
        this.trimLeftSpaces(it);
        let depth = 0;
        for (let d = it.next(); d !== undefined; d = it.next()) {
          if (d === "'" && flags !== DOUBLE) flags = flags === SINGLE ? NONE : SINGLE;
          else if (d === '"' && flags !== SINGLE) flags = flags === DOUBLE ? NONE : DOUBLE;
          else if (d === "[" && flags === NONE) depth++;
          else if (d === "]" && flags === NONE) depth--;
          else if (d === " " && depth === 0 && flags === NONE) {
            const variable = this.data.slice(start, this.read).trim();
            this.read++;
            start = this.read;
            // the pattern ends at the very first `)`
            for (let e = it.next(); e !== undefined; e = it.next()) {
              if (e === ")") {
                const pattern = this.data.slice(start, this.read).trim();
                this.read++;
                return { k: "amethod", method, variable, pattern, quoted, sel: this.selectionAfter(it) };
              }
              this.read++;
            }
          } else if (d === ")" && depth === 0) {
            const variable = this.data.slice(start, this.read).trim();
            this.read++;
            return { k: "amethod", method, variable, pattern: null, quoted, sel: this.selectionAfter(it) };
          } else if (d === ")") depth--;
          else if (d === "(") depth++;
          this.read++;
        }
        throw new IonPanic("ion: fatal error with syntax validation parsing: unterminated method");
      }
      if (c === "[") return { k: "arrvar", name: this.data.slice(start, this.read), quoted, sel: this.readSelection(it) };
      if (endsName(c)) return { k: "arrvar", name: this.data.slice(start, this.read), quoted, sel: null };
      this.read++;
    }
    return { k: "arrvar", name: this.data.slice(start), quoted, sel: null };
  }

  private globCheck(it: Cursor, textAdjacent: boolean): boolean {
    let moves = 0;
    let square = 0;
    let glob = false;
    const s = this.data;
    for (let p = it.pos; p < s.length; p++) {
      const c = s[p]!;
      moves++;
      if (c === "[") square++;
      else if (c === " " || c === '"' || c === "'" || c === "$" || c === "{" || c === "}") break;
      else if (c === "]") {
        const n = s[p + 1];
        if (moves >= 2 && square === 0 && (textAdjacent || (n !== undefined && n !== " "))) {
          glob = true;
          break;
        }
      }
    }
    if (glob) {
      it.pos += moves;
      this.read += moves;
      return true;
    }
    this.read++;
    return false;
  }

  next(): Token | null {
    if (this.read === this.data.length) return null;
    const data = this.data;
    const it = new Cursor(data, this.read);
    let start = this.read;
    let glob = false;
    let tilde = false;
    let looped = false;
    for (;;) {
      const c = it.next();
      if (c === undefined) return null;
      switch (c) {
        case "'":
          if (this.quotes === NONE) {
            start++;
            this.read++;
            let idx = 0;
            while (start + idx < data.length && data[start + idx] !== "'") idx++;
            this.read += idx;
            const t: Token = { k: "normal", text: data.slice(start, this.read), glob, tilde };
            this.read++;
            return t;
          }
          this.read++;
          return { k: "normal", text: data.slice(start, this.read), glob, tilde };
        case '"':
          start++;
          this.read++;
          if (this.quotes === NONE) {
            this.quotes = DOUBLE;
            if (it.peek() === '"') {
              this.read++;
              this.quotes = NONE;
              return { k: "normal", text: "", glob, tilde };
            }
          } else this.quotes = NONE;
          continue;
        case "$": {
          this.read++;
          const p = it.peek();
          if (p === "(") {
            it.next();
            this.read++;
            if (it.peek() === "(") {
              this.read++;
              return this.arithmetic(it);
            }
            return this.process(it);
          }
          if (p === "{") {
            this.read++;
            it.next();
            const s0 = this.read;
            for (let d = it.next(); d !== undefined; d = it.next()) {
              if (d === "}") {
                const name = data.slice(s0, this.read);
                this.read++;
                return { k: "var", name, sel: null };
              }
              this.read++;
            }
            throw new IonPanic("ion: fatal error with syntax validation parsing: unterminated braced variable");
          }
          if (p === " ") return { k: "normal", text: data.slice(start, this.read), glob, tilde };
          if (p === "?") {
            start++;
            this.read++;
            return { k: "var", name: data.slice(start, this.read), sel: null };
          }
          return this.variable(it);
        }
        case "@": {
          this.read++;
          const p = it.peek();
          if (p === "(") {
            this.read++;
            return this.arrayProcess(it);
          }
          if (p === "{") {
            this.read++;
            return this.bracedArrayVariable(it);
          }
          if (p === " ") return { k: "normal", text: data.slice(start, this.read), glob, tilde };
          return this.arrayVariable(it);
        }
        case "{":
          this.read++;
          if (this.quotes === NONE) return this.braces(it);
          return { k: "normal", text: data.slice(start, this.read), glob, tilde };
        case "[":
          if (this.quotes === NONE) {
            if (this.globCheck(it, false)) {
              glob = this.doGlob;
              looped = true;
              continue;
            }
            return this.array(it);
          }
          this.read++;
          return { k: "normal", text: data.slice(start, this.read), glob, tilde };
        case "~":
          if (this.quotes !== SINGLE) {
            this.read++;
            tilde = true;
            return { k: "normal", text: data.slice(start, this.read), glob, tilde };
          }
          continue;
        case " ": {
          let idx = 0;
          while (data[start + idx] === " ") idx++;
          this.read += idx;
          return { k: "ws", text: data.slice(start, this.read) };
        }
      }
      // literal text up to the next special character
      const dq = this.quotes === DOUBLE;
      const stops = dq ? " '\"$@~" : glob ? " '\"$@~{" : " '\"$@~{[";
      const from = glob || looped ? this.read : start;
      const [idx, prev, lastCh, globFound] = untilUnescaped(data, from, stops);
      if (idx === 0 && !looped) return null;
      this.read += idx;
      looped = false;
      if (lastCh === "[") {
        this.read++;
        if (prev !== "=") {
          for (let k = 0; k < idx; k++) it.next();
          if (this.doGlob && this.quotes === NONE && globFound) {
            glob = this.doGlob;
            if (this.globCheck(it, true)) {
              if (it.peek() !== undefined) continue;
            } else this.read -= 2;
          } else if (this.globCheck(it, true)) {
            glob = this.doGlob;
            if (it.peek() !== undefined) {
              looped = true;
              continue;
            }
          } else this.read -= 2;
        }
      } else if (this.doGlob && this.quotes === NONE && globFound) glob = this.doGlob;
      return { k: "normal", text: unescapeChars(data.slice(start, this.read), TEXT_ESCAPES), glob, tilde };
    }
  }
}

const cache = new Map<string, Token[] | IonPanic>();

/** The tokens of a raw word (WordIterator::new(word, do_glob).collect()). Throws IonPanic like ion. */
export function tokenize(word: string, doGlob: boolean): Token[] {
  const key = (doGlob ? "g" : "n") + word;
  let r = cache.get(key);
  if (r === undefined) {
    const wi = new WordIterator(word, doGlob);
    const toks: Token[] = [];
    try {
      for (let t = wi.next(); t; t = wi.next()) toks.push(t);
      r = toks;
    } catch (e) {
      if (!(e instanceof IonPanic)) throw e;
      r = e;
    }
    if (cache.size > 50000) cache.clear();
    cache.set(key, r);
  }
  if (r instanceof IonPanic) throw new IonPanic(r.message);
  return r;
}
