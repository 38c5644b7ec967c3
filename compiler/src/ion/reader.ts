/**
 * Reads generated Ion back into statements, commands and words, so the
 * emitted-script check (check.ts) can look at every construct a script uses.
 *
 * It understands the shapes tsion emits, following Ion's own reading rules
 * where they matter to that check (docs/ion-lowering.md): newline
 * separates statements, `&&` / `||` separate the commands of a chain, `#`
 * at the start of a word starts a comment, single quotes take everything
 * literally, and a method call's argument list ends at the first `)` that is
 * not part of a variable reference, quoted or not. Anything else it
 * does not recognise is reported, never guessed.
 */

/** One piece of a word. */
export type Part =
  /** `'...'`: literal text. */
  | { k: "sq"; text: string }
  /** `"..."`: its pieces (text, escapes and expansions). */
  | { k: "dq"; parts: Part[] }
  /** Unquoted literal text, or literal text inside double quotes. */
  | { k: "text"; text: string }
  /** A backslash escape inside double quotes, e.g. `\\` or `\(`. */
  | { k: "esc"; ch: string }
  /** `${name}` or `$name`. */
  | { k: "var"; name: string; braced: boolean }
  /** `${env::NAME}`. */
  | { k: "env"; name: string }
  /** `${x::HH}`: the character with that code. */
  | { k: "hex"; code: string }
  /** `$?`. */
  | { k: "status" }
  /** `@name` (the whole array). */
  | { k: "array"; name: string }
  /** `@name[INDEX]`. */
  | { k: "element"; name: string; index: Part[] }
  /** `$name[RANGE]`: a string slice. */
  | { k: "slice"; name: string; range: Part[] }
  /** `$name(ARGS)` or `@name(ARGS)`. */
  | { k: "method"; sigil: "$" | "@"; name: string; args: Part[][] }
  /** `$((EXPR))`. */
  | { k: "arith"; expr: string }
  /** `$(STATEMENTS)`. */
  | { k: "subst"; body: Statement[] }
  /** `[WORDS]`: an array literal. */
  | { k: "list"; words: Part[][] };

export type Word = Part[];

/** One command of a chain: its words. */
export interface Command {
  words: Word[];
  /** The source text of the command. */
  text: string;
}

/** One statement: commands joined by `&&` / `||` (a single command mostly). */
export interface Statement {
  /** 1-based line where the statement starts. */
  line: number;
  commands: Command[];
  ops: ("&&" | "||" | ";")[];
}

export class ReadError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Reads a whole script. Throws ReadError on text it cannot read. */
export function readIon(text: string): Statement[] {
  const r = new Reader(text);
  const out = r.statements(false);
  if (r.pos < text.length) throw new ReadError(`unexpected '${text[r.pos]}'`, r.lineAt(r.pos));
  return out;
}

class Reader {
  pos = 0;
  /** Offsets where lines start. */
  private readonly starts: number[] = [0];

  constructor(readonly src: string) {
    for (let i = 0; i < src.length; i++) if (src[i] === "\n") this.starts.push(i + 1);
  }

  lineAt(pos: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private fail(message: string): never {
    throw new ReadError(message, this.lineAt(this.pos));
  }

  private peek(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  private name(): string | undefined {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.src);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** Statements until the end of the text, or until `)` when `inSubst`. */
  statements(inSubst: boolean): Statement[] {
    const out: Statement[] = [];
    for (;;) {
      this.skipBlank();
      if (this.pos >= this.src.length) return out;
      const c = this.src[this.pos];
      if (inSubst && c === ")") return out;
      if (c === "#") {
        while (this.pos < this.src.length && this.src[this.pos] !== "\n") this.pos++;
        continue;
      }
      out.push(this.statement(inSubst));
    }
  }

  private skipBlank(): void {
    for (let c = this.src[this.pos]; c === " " || c === "\t" || c === "\n"; c = this.src[this.pos]) this.pos++;
  }

  private skipSpaces(): void {
    for (let c = this.src[this.pos]; c === " " || c === "\t"; c = this.src[this.pos]) this.pos++;
  }

  private statement(inSubst: boolean): Statement {
    const line = this.lineAt(this.pos);
    const commands: Command[] = [];
    const ops: Statement["ops"] = [];
    let words: Word[] = [];
    let start = this.pos;
    const finish = (end: number) => {
      if (words.length === 0) this.fail("empty command");
      commands.push({ words, text: this.src.slice(start, end).trim() });
      words = [];
    };
    for (;;) {
      this.skipSpaces();
      const c = this.src[this.pos];
      if (c === undefined || c === "\n" || (inSubst && c === ")")) {
        finish(this.pos);
        return { line, commands, ops };
      }
      if (this.peek("&&") || this.peek("||") || c === ";") {
        const op = c === ";" ? ";" : (this.src.slice(this.pos, this.pos + 2) as "&&" | "||");
        finish(this.pos);
        this.pos += op.length;
        ops.push(op);
        start = this.pos;
        continue;
      }
      if (c === "#") this.fail("comment after a command");
      words.push(this.word(inSubst ? ")" : ""));
    }
  }

  /** One word, ending at whitespace, a separator or `stop` (`)` in argument lists). */
  private word(stop: string): Word {
    const parts: Part[] = [];
    let text = "";
    const flush = () => {
      if (text !== "") parts.push({ k: "text", text });
      text = "";
    };
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined || c === " " || c === "\t" || c === "\n" || c === ";" || (stop !== "" && stop.includes(c))) break;
      if ((this.peek("&&") || this.peek("||")) && parts.length === 0 && text === "") break;
      if (c === "'") {
        flush();
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) this.fail("unterminated single quote");
        parts.push({ k: "sq", text: this.src.slice(this.pos + 1, end) });
        this.pos = end + 1;
      } else if (c === '"') {
        flush();
        parts.push(this.doubleQuoted());
      } else if (c === "$" || c === "@") {
        const p = this.expansion();
        if (p) {
          flush();
          parts.push(p);
        } else {
          text += c;
          this.pos++;
        }
      } else if (c === "[" && parts.length === 0 && text === "") {
        parts.push(this.list());
      } else if (c === "\\" && parts.length === 0 && text === "" && this.peek("\\\\= ")) {
        // the array-removal operator of `let NAME \\= WORD`
        text = "\\\\=";
        this.pos += 3;
      } else if (c === "\\") {
        this.fail("backslash outside quotes");
      } else if (c === "(" || c === ")") {
        this.fail(`unquoted '${c}'`);
      } else {
        text += c;
        this.pos++;
      }
    }
    flush();
    if (parts.length === 0) this.fail("empty word");
    return parts;
  }

  private list(): Part {
    this.pos++; // [
    const words: Word[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.src[this.pos] === "]") {
        this.pos++;
        return { k: "list", words };
      }
      if (this.pos >= this.src.length || this.src[this.pos] === "\n") this.fail("unterminated array literal");
      words.push(this.word("]"));
    }
  }

  private doubleQuoted(): Part {
    this.pos++; // "
    const parts: Part[] = [];
    let text = "";
    const flush = () => {
      if (text !== "") parts.push({ k: "text", text });
      text = "";
    };
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) this.fail("unterminated double quote");
      if (c === '"') {
        this.pos++;
        flush();
        return { k: "dq", parts };
      }
      if (c === "\\") {
        flush();
        const ch = this.src[this.pos + 1];
        if (ch === undefined) this.fail("backslash at end of text");
        parts.push({ k: "esc", ch });
        this.pos += 2;
        continue;
      }
      if (c === "$" || c === "@") {
        const p = this.expansion();
        if (p) {
          flush();
          parts.push(p);
          continue;
        }
      }
      text += c;
      this.pos++;
    }
  }

  /** An expansion starting at `$` or `@`, or undefined when the sigil is literal. */
  private expansion(): Part | undefined {
    const sigil = this.src[this.pos] as "$" | "@";
    const start = this.pos;
    this.pos++;
    if (sigil === "$" && this.peek("((")) {
      const end = this.src.indexOf("))", this.pos);
      if (end < 0) this.fail("unterminated $(( ))");
      const expr = this.src.slice(this.pos + 2, end);
      this.pos = end + 2;
      return { k: "arith", expr };
    }
    if (sigil === "$" && this.peek("(")) {
      this.pos++;
      const body = this.statements(true);
      if (this.src[this.pos] !== ")") this.fail("unterminated $( )");
      this.pos++;
      return { k: "subst", body };
    }
    if (sigil === "$" && this.peek("?")) {
      this.pos++;
      return { k: "status" };
    }
    if (sigil === "$" && this.peek("{")) {
      const end = this.src.indexOf("}", this.pos);
      if (end < 0) this.fail("unterminated ${");
      const inner = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
      const env = /^env::([A-Za-z_][A-Za-z0-9_]*)$/.exec(inner);
      if (env) return { k: "env", name: env[1] };
      const hex = /^x::([0-9A-Fa-f]{2})$/.exec(inner);
      if (hex) return { k: "hex", code: hex[1] };
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(inner)) this.fail(`unexpected \${${inner}}`);
      return { k: "var", name: inner, braced: true };
    }
    const name = this.name();
    if (name === undefined) {
      this.pos = start;
      return undefined;
    }
    if (this.peek("(")) {
      this.pos++;
      const args: Word[] = [];
      for (;;) {
        this.skipSpaces();
        if (this.src[this.pos] === ")") {
          this.pos++;
          return { k: "method", sigil, name, args };
        }
        if (this.pos >= this.src.length || this.src[this.pos] === "\n") this.fail(`unterminated method call ${sigil}${name}(`);
        args.push(this.word(")"));
      }
    }
    if (this.peek("[")) {
      this.pos++;
      const inner: Part[] = [];
      let text = "";
      for (;;) {
        const c = this.src[this.pos];
        if (c === undefined || c === "\n") this.fail("unterminated index");
        if (c === "]") break;
        if (c === "$") {
          const p = this.expansion();
          if (p) {
            if (text !== "") inner.push({ k: "text", text });
            text = "";
            inner.push(p);
            continue;
          }
        }
        text += c;
        this.pos++;
      }
      this.pos++;
      if (text !== "") inner.push({ k: "text", text });
      return sigil === "@" ? { k: "element", name, index: inner } : { k: "slice", name, range: inner };
    }
    return sigil === "@" ? { k: "array", name } : { k: "var", name, braced: false };
  }
}
