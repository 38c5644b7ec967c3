/**
 * Ion's three text splitters, ported from redox-os/ion (src/lib/parser):
 *
 * - `Terminator` (parser/terminator.rs) cuts the script into command lines: a line ends at a
 *   newline outside quotes, `$( )`/`@( )` and `[ ]`, unless it ends with `&&`/`||`; comments and
 *   backslash-newline are removed and whitespace outside quotes is collapsed to one space.
 * - `StatementSplitter` (parser/statement/splitter.rs) cuts a command line into statements at
 *   `;`, `&&` and `||` and finds most syntax errors ("')' at position N is out of place").
 *   It is lazy: a statement is only split (and checked) after the previous one has run
 *   (fatal_syntax_error_runs_earlier_lines; docs/ion-sim.md, How a script is read and run).
 * - `ArgumentSplitter` (parser/lexers/arguments.rs) cuts `for` lists, array literals, `let`
 *   values, `case` patterns and method arguments into words.
 *
 * The ports keep ion's byte-level rules (they only look at ASCII) and its quirks: parentheses
 * are counted inside single quotes after a `$`/`@`, a `)` closes a method call even when quoted.
 */
import { IonPanic, IonSyntax } from "./errors.ts";
import { trim, utf8Len } from "./text.ts";

/** One command line and the source line of each of its characters. */
export interface CommandLine {
  text: string;
  lineOf: number[];
}

const isAsciiWs = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f";

const NONE = 0,
  SINGLE = 1,
  DOUBLE = 2;

/** parser/terminator.rs, one command line per `next()`. */
export class Terminator {
  private pos = 0;
  private line = 1;
  // state of the current command line (a new Terminator per line in ion)
  private array = 0;
  private skipNext = false;
  private quotes = NONE;
  private terminated = false;
  private andOr = false;
  private whitespace = false;
  private empty = true;
  private subshell = 0;
  private now: string | undefined;
  private last: string | undefined;
  /** source line of the character `now` */
  private nowLine = 1;

  constructor(private readonly src: string) {}

  private inner(): string | undefined {
    this.last = this.now;
    const c = this.src[this.pos];
    if (c === undefined) {
      this.now = undefined;
      return undefined;
    }
    this.pos++;
    this.now = c;
    this.nowLine = this.line;
    if (c === "\n") this.line++;
    return c;
  }

  private find(pred: (c: string) => boolean): string | undefined {
    for (;;) {
      const c = this.inner();
      if (c === undefined || pred(c)) return c;
    }
  }

  /** The next command line, or null at the end of the script. */
  next(): CommandLine | null {
    this.array = 0;
    this.skipNext = false;
    this.quotes = NONE;
    this.terminated = false;
    this.andOr = false;
    this.whitespace = false;
    this.empty = true;
    this.subshell = 0;
    this.now = undefined;
    this.last = undefined;
    let text = "";
    const lineOf: number[] = [];
    for (;;) {
      const c = this.nextChar();
      if (c === undefined) break;
      text += c;
      lineOf.push(this.nowLine);
    }
    return this.empty ? null : { text, lineOf };
  }

  private nextChar(): string | undefined {
    if (this.terminated) return undefined;
    const prevWs = this.whitespace;
    this.whitespace = false;
    let next: string | undefined;
    if (prevWs && this.array === 0 && !this.andOr && !this.empty) next = this.find((c) => c === "\n" || !isAsciiWs(c));
    else if (prevWs) next = this.find((c) => !isAsciiWs(c));
    else next = this.inner();

    if (this.skipNext) this.skipNext = false;
    else if (this.quotes !== NONE && next !== "\\") {
      if ((next === "'" && this.quotes === SINGLE) || (next === '"' && this.quotes === DOUBLE)) this.quotes = NONE;
    } else if (next !== undefined) {
      const c = next;
      next = this.handleChar(c, prevWs);
      this.empty &&= isAsciiWs(c);
    } else if (this.subshell === 0 && this.array === 0 && !this.andOr && !this.empty) this.terminated = true;
    return next;
  }

  private handleChar(c: string, prevWs: boolean): string | undefined {
    switch (c) {
      case "'":
        this.quotes = SINGLE;
        return c;
      case '"':
        this.quotes = DOUBLE;
        return c;
      case "(":
        if (this.last === "$" || this.last === "@") this.subshell++;
        break;
      case ")":
        if (this.subshell > 0) {
          this.subshell--;
          return c;
        }
        break;
      case "[":
        this.array++;
        return c;
      case "]":
        if (this.array > 0) {
          this.array--;
          return c;
        }
        break;
      case "#":
        if (prevWs || this.last === undefined) {
          this.find((x) => x === "\n");
          if (this.array === 0 && this.subshell === 0 && !this.andOr && !this.empty) {
            this.terminated = true;
            return undefined;
          }
          this.whitespace = true;
          return " ";
        }
        break;
      case "\\":
        if (this.src[this.pos] === "\n") {
          this.whitespace = true;
          this.inner();
          return this.nextChar();
        }
        this.skipNext = true;
        return c;
      case "&":
      case "|":
        if (this.last === c) {
          this.andOr = true;
          return c;
        }
        break;
      case "\n":
        if (this.array === 0 && this.subshell === 0 && !this.andOr && !this.empty) {
          this.terminated = true;
          return undefined;
        }
        break;
    }
    if (isAsciiWs(c)) {
      this.whitespace = true;
      return " ";
    }
    this.andOr = false;
    return c;
  }
}

export type StatementKind = "default" | "and" | "or";

export interface SplitStatement {
  kind: StatementKind;
  text: string;
  /** offset of the statement's first character in the command line */
  at: number;
}

/** statement::Error::InvalidCharacter: ion reports the byte (as a Latin-1 char) and its 1-based byte offset. */
function invalidCharacter(data: string, i: number): IonSyntax {
  const ch = data[i]!;
  const code = ch.charCodeAt(0);
  const shown = code < 128 ? ch : String.fromCharCode(Buffer.from(ch, "utf8")[0]!);
  return new IonSyntax(`syntax error: '${shown}' at position ${utf8Len(data.slice(0, i)) + 1} is out of place`);
}

const LEVEL_ERRORS: Record<string, string> = {
  method: "syntax error: unterminated method",
  subshell: "syntax error: unterminated subshell",
  vbrace: "syntax error: unterminated brace var",
  brace: "syntax error: unterminated brace",
  arith: "syntax error: unterminated arithmetic subexpression",
  square: "syntax error: unterminated square bracket",
  single: "syntax error: unterminated single quotes",
  double: "syntax error: unterminated double quotes",
};

/** Characters that end a variable name in the splitter: ASCII `[^A-Za-z0-9_$&@{|}]` minus `;`, `"`. */
function endsVariable(code: number): boolean {
  return (
    code <= 37 ||
    (code >= 39 && code <= 47) ||
    code === 58 ||
    (code >= 60 && code <= 64) ||
    (code >= 91 && code <= 94) ||
    code === 96 ||
    code === 126 ||
    code === 127
  );
}

/** parser/statement/splitter.rs. `next()` returns a statement, throws IonSyntax, or returns null at the end. */
export class StatementSplitter {
  private read = 0;
  private paren = 0;
  private brace = 0;
  private square = 0;
  private math = 0;
  private logical: StatementKind = "default";
  private vbrace = false;
  private variable = false;
  private sq = false;
  private dq = false;

  constructor(private readonly data: string) {}

  private statement(start: number, end: number): SplitStatement {
    const raw = this.data.slice(start, end);
    const text = trim(raw);
    return { kind: this.logical, text, at: start + (raw.length - raw.trimStart().length) };
  }

  next(): SplitStatement | null {
    const data = this.data;
    const start = this.read;
    if (start >= data.length) return null;
    let error: IonSyntax | null = null;
    let skip = false;
    let last: string | undefined;
    const inQuotes = () => this.sq || this.dq;
    for (let i = start; i < data.length; i++) {
      const c = data[i]!;
      if (skip) {
        skip = false;
        last = undefined;
        continue;
      }
      const code = c.charCodeAt(0);
      if (c === "\\") skip = true;
      else if (this.vbrace) {
        // in `${…}`/`@{…}` only [A-Za-z0-9_:,] may appear
        if (c === "}") this.vbrace = false;
        else if (!/[A-Za-z0-9_:,]/.test(c)) error ??= invalidCharacter(data, i);
      } else if (c === "'" && !this.dq) {
        this.sq = !this.sq;
        this.variable = false;
      } else if (c === '"' && !this.sq) {
        this.dq = !this.dq;
        this.variable = false;
      } else if (c === "[" && !inQuotes()) this.square++;
      else if (c === "]" && !inQuotes()) this.square--;
      else if (c === "@" || c === "$") this.variable = true;
      else if (c === "{" && (last === "$" || last === "@")) this.vbrace = true;
      else if (c === "(" && this.math > 0) this.math++;
      else if (c === "(" && this.variable && last === "(") {
        this.math = 1;
        this.paren--;
      } else if (c === "(" && this.variable) this.paren++;
      else if (c === "(" && error === null && !inQuotes()) error = invalidCharacter(data, i);
      else if (c === ")" && this.math === 1) {
        const n = data[i + 1];
        if (n === ")") {
          this.math = 0;
          skip = true;
        } else if (n !== undefined) error ??= invalidCharacter(data, i + 1);
        else error ??= new IonSyntax(LEVEL_ERRORS.arith!);
      } else if (c === ")" && this.paren === 0) {
        if (!this.variable && error === null && !inQuotes()) error = invalidCharacter(data, i);
        this.variable = false;
      } else if (c === ")") this.paren--;
      else if (code < 128 && endsVariable(code)) this.variable = false;
      else if (inQuotes()) {
        /* literal */
      } else if (c === "{") this.brace++;
      else if (c === "}") {
        if (this.brace === 0) error ??= invalidCharacter(data, i);
        else this.brace--;
      } else if (c === ";" && this.paren === 0) {
        this.read = i + 1;
        if (start === i) throw new IonSyntax("expected command, but found ;");
        const st = this.statement(start, i);
        this.logical = "default";
        if (error) throw error;
        return st;
      } else if ((c === "&" || c === "|") && this.paren === 0 && last === c) {
        this.read = i + 1;
        if (start === i - 1) throw new IonSyntax(`expected command, but found ${c}`);
        const st = this.statement(start, i - 1);
        this.logical = c === "&" ? "and" : "or";
        if (error) throw error;
        return st;
      }
      last = c;
    }
    this.read = data.length;
    if (error) throw error;
    if (this.paren !== 0) throw new IonSyntax(this.variable ? LEVEL_ERRORS.method! : LEVEL_ERRORS.subshell!);
    if (this.vbrace) throw new IonSyntax(LEVEL_ERRORS.vbrace!);
    if (this.brace !== 0) throw new IonSyntax(LEVEL_ERRORS.brace!);
    if (this.math !== 0) throw new IonSyntax(LEVEL_ERRORS.arith!);
    if (this.square !== 0) throw new IonSyntax(LEVEL_ERRORS.square!);
    if (this.sq) throw new IonSyntax(LEVEL_ERRORS.single!);
    if (this.dq) throw new IonSyntax(LEVEL_ERRORS.double!);
    const out = trim(data.slice(start));
    if (out === "") return null;
    const f = out[0];
    if (f === ">" || f === "<" || f === "^") throw new IonSyntax("expected command, but found redirection");
    if (f === "|" || f === "&") throw new IonSyntax(`expected command, but found ${f}`);
    const st = this.statement(start, data.length);
    this.logical = "default";
    return st;
  }
}

/**
 * parser/lexers/arguments.rs: split on root-level spaces, keeping quotes, `[ ]`, `{ }` and
 * `( )` together; a method call (`$m(`/`@m(`) keeps its spaces until its `)`.
 */
export function splitArguments(data: string): string[] {
  return [...argumentSplitter(data)];
}

/** The same, lazily: ion pulls `let` values one at a time and may stop before a bad one. */
export function* argumentSplitter(data: string): Generator<string> {
  let i = 0;
  let quotes = false;
  let variab = false;
  let array = false;
  let method = false;
  for (;;) {
    while (data[i] === " ") i++;
    const start = i;
    let parens = 0,
      arrays = 0,
      braces = 0;
    while (i < data.length) {
      const c = data[i]!;
      if (c === "\\") {
        i += 2;
        continue;
      }
      if (c === "@" || c === "$") {
        if (c === "@") array = true;
        else variab = true;
        i++;
        continue;
      }
      if (c === "'" && !quotes) {
        // scan_singlequotes: a backslash skips the next byte, even the closing quote
        i++;
        while (i < data.length && data[i] !== "'") i += data[i] === "\\" ? 2 : 1;
        i++;
        continue;
      }
      if (c === "[") arrays++;
      else if (c === "]") {
        if (arrays > 0) arrays--;
      } else if (c === "{") braces++;
      else if (c === "}") {
        if (braces > 0) braces--;
      } else if (c === "(") {
        if (array || variab) {
          array = false;
          variab = false;
          method = true;
        }
        parens++;
      } else if (c === ")") {
        method = false;
        if (parens > 0) parens--;
      } else if (c === '"') quotes = !quotes;
      else if (c === " " && !quotes && !method && parens === 0 && arrays === 0 && braces === 0) break;
      i++;
    }
    if (start === i) return;
    // an unterminated quote or a trailing backslash makes ion slice past the end
    if (i > data.length) throw new IonPanic(`byte index ${i} is out of bounds of \`${data}\``);
    yield data.slice(start, i);
  }
}
