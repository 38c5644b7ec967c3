/**
 * Statement reader and word splitter (ion-semantics.md §2).
 *
 * - `StatementReader` cuts the script into statements lazily, so that a syntax
 *   error on line N is only reported after lines 1..N-1 have run (§1).
 * - `splitWords` cuts one statement into raw words and operators; quotes are kept
 *   in the words and processed by expand.ts.
 */
import { IonFatal } from "./errors.ts";

export interface RawStatement {
  text: string;
  line: number;
}

type Ctx = "sq" | "dq" | "paren" | "arith" | "bracket";

const isWs = (c: string | undefined) => c === " " || c === "\t" || c === "\r";

export class StatementReader {
  private i = 0;
  private line = 1;
  constructor(private src: string) {}

  /** Next statement, or null at end of input. Throws IonFatal on a syntax error. */
  next(): RawStatement | null {
    const s = this.src;
    let buf = "";
    const stack: Ctx[] = [];
    let startLine = -1;
    const top = () => stack[stack.length - 1];
    while (this.i < s.length) {
      const c = s[this.i]!;
      const n = s[this.i + 1];
      // §2: backslash-newline is deleted with the following indentation, even inside quotes
      if (c === "\\" && n === "\n") {
        this.i += 2;
        this.line += 1;
        while (isWs(s[this.i]) && s[this.i] !== "\r") this.i++;
        continue;
      }
      if (startLine < 0 && !isWs(c) && c !== "\n" && c !== ";") startLine = this.line;
      const t = top();
      if (t === "sq") {
        if (c === "\\" && n !== undefined) {
          // a backslash escapes the next character even here: `'it\'s'` is unterminated (§6.1)
          buf += c + n;
          if (n === "\n") this.line++;
          this.i += 2;
          continue;
        }
        if (c === "'") stack.pop();
        if (c === "\n") this.line++;
        buf += c;
        this.i++;
        continue;
      }
      if (t === "dq") {
        if (c === "\\" && n !== undefined) {
          buf += c + n;
          if (n === "\n") this.line++;
          this.i += 2;
          continue;
        }
        if (c === '"') stack.pop();
        else if ((c === "$" || c === "@") && n === "(") {
          if (c === "$" && s[this.i + 2] === "(") {
            stack.push("arith");
            buf += "$((";
            this.i += 3;
            continue;
          }
          stack.push("paren");
          buf += c + n;
          this.i += 2;
          continue;
        }
        if (c === "\n") this.line++;
        buf += c;
        this.i++;
        continue;
      }
      // unquoted contexts: top level, paren, arith, bracket
      if (c === "\\" && n !== undefined) {
        buf += c + n;
        if (n === "\n") this.line++;
        this.i += 2;
        continue;
      }
      if (c === "'") {
        stack.push("sq");
      } else if (c === '"') {
        stack.push("dq");
      } else if ((c === "$" || c === "@") && n === "(") {
        if (c === "$" && s[this.i + 2] === "(") {
          stack.push("arith");
          buf += "$((";
          this.i += 3;
          continue;
        }
        stack.push("paren");
        buf += c + n;
        this.i += 2;
        continue;
      } else if (c === "(") {
        if (t === "arith") throw new IonFatal(`syntax error: '(' is out of place`);
        stack.push("paren");
      } else if (c === ")") {
        if (t === "arith") {
          if (n !== ")") throw new IonFatal(`syntax error: ')' is out of place`);
          stack.pop();
          buf += "))";
          this.i += 2;
          continue;
        }
        if (t === "paren") stack.pop();
      } else if (c === "[") {
        if (t !== "arith") stack.push("bracket");
      } else if (c === "]") {
        if (t === "bracket") stack.pop();
      } else if (c === "#" && (t === undefined || t === "bracket") && (buf === "" || /[\s;]$/.test(buf))) {
        // §2: comment at the start of a word
        while (this.i < s.length && s[this.i] !== "\n") this.i++;
        continue;
      } else if (c === "\n") {
        this.line++;
        this.i++;
        if (stack.length > 0) {
          buf += " ";
          continue;
        }
        const tr = buf.trimEnd();
        if (/(&&|\|\||\|)$/.test(tr)) {
          buf = tr + " ";
          continue;
        }
        if (tr.trim() !== "") return { text: tr.trim(), line: startLine };
        buf = "";
        startLine = -1;
        continue;
      } else if (c === ";" && stack.length === 0) {
        this.i++;
        if (buf.trim() !== "") return { text: buf.trim(), line: startLine };
        buf = "";
        startLine = -1;
        continue;
      }
      buf += c;
      this.i++;
    }
    if (stack.length > 0) {
      const t = stack.find((x) => x === "sq" || x === "dq") ?? top();
      if (t === "sq") throw new IonFatal("syntax error: unterminated single quote");
      if (t === "dq") throw new IonFatal("syntax error: unterminated double quotes");
      if (t === "paren") throw new IonFatal("syntax error: unterminated subshell");
      if (t === "arith") throw new IonFatal("syntax error: unterminated arithmetic expression");
      throw new IonFatal("syntax error: unterminated array expression");
    }
    if (buf.trim() !== "") return { text: buf.trim(), line: startLine };
    return null;
  }
}

export type LexToken = { t: "word"; raw: string } | { t: "op"; op: string };

/**
 * Split a statement into raw words and operators (`&& || | & > >> < <<< ^> ^>> &> &>>`).
 * Whitespace inside quotes, `$( )`, `[ ]`, `{ }` and method calls does not split.
 */
export function splitWords(text: string): LexToken[] {
  const out: LexToken[] = [];
  let buf = "";
  let inWord = false;
  const stack: string[] = [];
  const flush = () => {
    if (inWord) out.push({ t: "word", raw: buf });
    buf = "";
    inWord = false;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const n = text[i + 1];
    const t = stack[stack.length - 1];
    if (t === "'") {
      buf += c;
      if (c === "\\" && n !== undefined) {
        buf += n;
        i += 2;
        continue;
      }
      if (c === "'") stack.pop();
      i++;
      continue;
    }
    if (t === '"') {
      if (c === "\\" && n !== undefined) {
        buf += c + n;
        i += 2;
        continue;
      }
      if (c === '"') stack.pop();
      else if ((c === "$" || c === "@") && n === "(") {
        stack.push(")");
        buf += c + n;
        i += 2;
        continue;
      }
      buf += c;
      i++;
      continue;
    }
    if (c === "\\" && n !== undefined) {
      inWord = true;
      buf += c + n;
      i += 2;
      continue;
    }
    if (stack.length === 0) {
      if (c === " " || c === "\t" || c === "\n" || c === "\r") {
        flush();
        i++;
        continue;
      }
      const three = text.slice(i, i + 3);
      const two = text.slice(i, i + 2);
      let op: string | null = null;
      if (three === "<<<" || three === "^>>" || three === "&>>") op = three;
      else if (two === "&&" || two === "||" || two === ">>" || two === "^>" || two === "&>") op = two;
      else if (c === "|" || c === "&" || c === ">" || c === "<") op = c;
      if (op) {
        flush();
        out.push({ t: "op", op });
        i += op.length;
        continue;
      }
    }
    inWord = true;
    if (c === "'") stack.push("'");
    else if (c === '"') stack.push('"');
    else if (c === "(") stack.push(")");
    else if (c === "[") stack.push("]");
    else if (c === "{") stack.push("}");
    else if ((c === ")" || c === "]" || c === "}") && t === c) stack.pop();
    buf += c;
    i++;
  }
  flush();
  return out;
}

/** Split method arguments / array-literal contents into raw words (whitespace-separated, quote-aware). */
export function splitArgs(text: string): string[] {
  const toks = splitWords(text);
  const words: string[] = [];
  for (const t of toks) {
    if (t.t === "word") words.push(t.raw);
    else words.push(t.op); // operators are plain text inside arrays and method calls
  }
  return words;
}
