/**
 * The emitted-script check: every script the compiler produces is read back
 * (reader.ts) and must
 *
 *   1. hold only printable text, tab and newline (a control character breaks
 *      editors, TOML strings and serial consoles; ion/quote.ts writes them as
 *      `"${x::HH}"`);
 *   2. use only the constructs listed in constructs.ts, each pinned by a
 *      conformance case from real Ion;
 *   3. pass no method argument that real Ion would split or reject: inside
 *      `$method(...)` Ion ends the argument list at a `(` or `)` even when it
 *      is quoted (docs/ion-lowering.md, Method arguments; margs_* cases), C-unescapes
 *      backslashes, and drops an empty argument. Such values go through
 *      variables (`$replace($s $K_OPEN $t)`), and a method's first argument is never a
 *      namespaced read such as `"${env::X}"` (a fatal expansion error);
 *   4. put no `)` inside a `$( )` but the one that closes it: Ion ends the
 *      substitution at the first `)` even when it is quoted, so a
 *      `$((a + b))` or `$len(@a)` there is "unterminated" and the capture
 *      fails. Such a value is computed into a variable first
 *      (`parenFreeWord`, runtime-shims/runtime/ion-lowering.ts);
 *   5. never start a `while` condition with `not` (a plain pipeline) and
 *      call only functions the script defines.
 *
 * compile.ts runs it on every script and turns a failure into TSION9999 (a
 * compiler bug, never a bad script); the test suites run it on every script
 * they produce.
 */
import { CONTROL_CHAR } from "./quote.ts";
import { bare, CONSTRUCTS, construct } from "./constructs.ts";
import { ReadError, readIon, type Part, type Statement, type Word } from "./reader.ts";

export interface EmittedProblem {
  line: number;
  message: string;
}

export interface EmittedCheck {
  problems: EmittedProblem[];
  /** Ids of the constructs (constructs.ts) the script uses. */
  constructs: Set<string>;
}

/**
 * Can this text be a literal method argument? Not empty (it would vanish),
 * no parenthesis (Ion ends the argument list there even inside quotes), no
 * backslash (C-unescaped), no whitespace (arguments are split on it) and
 * no quote (kept out of the argument splitter's way).
 * Anything else goes through a variable.
 */
export function isPlainMethodLiteral(text: string): boolean {
  return text !== "" && !/[()\\\s'"]/.test(text) && !CONTROL_CHAR.test(text);
}

/**
 * Can this word go inside `$( )`? Not when it holds a parenthesis Ion would
 * count: a `$(( ))`, a method call, or a literal `(`/`)` that is not
 * backslash-escaped inside double quotes (ion/quote.ts writes `"\("`).
 */
export function parenFreeWord(word: string): boolean {
  return !/(?<!\\)[()]/.test(word);
}

/** A piece that puts a `)` inside `$( )` (see the module comment, rule 4). */
function substPieceProblem(p: Part): string | undefined {
  if (p.k === "arith" || p.k === "method") return `${describe(p)} inside $( ): its ')' ends the substitution (compute it into a variable first)`;
  const literal = p.k === "sq" || p.k === "text" ? p.text : p.k === "dq" ? p.parts.map((q) => (q.k === "text" ? q.text : "")).join("") : "";
  if (/[()]/.test(literal)) return `a literal parenthesis inside $( ) ends the substitution, even quoted`;
  return undefined;
}

/** A method argument: a variable, or a literal Ion cannot split, unescape or drop. */
export function methodArgProblem(w: Word): string | undefined {
  if (w.length === 1 && (w[0].k === "var" || w[0].k === "array" || w[0].k === "method")) return undefined;
  let literal = "";
  let empty = true;
  const visit = (p: Part): string | undefined => {
    switch (p.k) {
      case "sq":
      case "text":
        literal += p.text;
        if (p.text !== "") empty = false;
        return undefined;
      case "dq":
        for (const q of p.parts) {
          const bad = visit(q);
          if (bad) return bad;
        }
        return undefined;
      case "esc":
        return `a backslash escape (\\${p.ch}) is C-unescaped or splits the call`;
      case "var":
      case "env":
      case "hex":
      case "element":
        empty = false;
        return undefined;
      default:
        return `${p.k} inside a method argument`;
    }
  };
  for (const p of w) {
    const bad = visit(p);
    if (bad) return bad;
  }
  if (/[()]/.test(literal)) return `literal ${JSON.stringify(literal)} contains a parenthesis: real Ion ends the argument list there (pass it through a variable)`;
  if (literal.includes("\\")) return `literal ${JSON.stringify(literal)} contains a backslash, which Ion C-unescapes in method arguments`;
  if (empty) return "an empty literal argument vanishes from a method call";
  if (literal !== "" && !isPlainMethodLiteral(literal)) return `literal ${JSON.stringify(literal)} contains whitespace or a quote (method arguments are split on whitespace)`;
  return undefined;
}

/** A method's first argument names its subject: a namespaced read there is a fatal expansion error (extra/method_namespace_first_argument). */
function firstArgProblem(w: Word): string | undefined {
  const namespaced = (p: Part): boolean => p.k === "env" || p.k === "hex" || (p.k === "dq" && p.parts.some(namespaced));
  return w.some(namespaced) ? "a ${env::…} or ${x::…} read as the first argument is an expansion error (copy it into a variable)" : undefined;
}

const PART_CONSTRUCTS = CONSTRUCTS.filter((c) => c.part);
const COMMAND_CONSTRUCTS = CONSTRUCTS.filter((c) => c.command);

class Checker {
  readonly problems: EmittedProblem[] = [];
  readonly used = new Set<string>();
  readonly functions = new Set<string>();
  private line = 0;
  /** How many `$( )` the piece being checked is inside. */
  private captureDepth = 0;

  problem(message: string): void {
    this.problems.push({ line: this.line, message });
  }

  statements(stmts: Statement[], inCapture: boolean): void {
    for (const s of stmts) {
      this.line = s.line;
      s.ops.forEach((op) => {
        if (op === ";" && !inCapture) this.problem("';' between statements");
        this.used.add(op === ";" ? "capture" : "chain");
      });
      s.commands.forEach((c, i) => this.command(c.words, c.text, i > 0));
    }
  }

  private command(words: Word[], text: string, chained: boolean): void {
    let w = words;
    const n = w.length;
    if (n >= 3 && (bare(w[n - 2], ">") || bare(w[n - 2], ">>"))) {
      this.used.add("redirect");
      w = w.slice(0, -2);
    }
    if (!chained && bare(w[0], "else")) {
      this.used.add("if");
      if (w.length === 1) return;
      if (!bare(w[1], "if")) return this.problem(`'else' followed by a command: ${text}`);
      w = w.slice(2);
    } else if (!chained && bare(w[0], "if")) {
      this.used.add("if");
      w = w.slice(1);
    } else if (!chained && bare(w[0], "while")) {
      this.used.add("while");
      w = w.slice(1);
      if (bare(w[0], "not")) this.problem(`a while condition cannot start with not: ${text}`);
    }
    while (bare(w[0], "not")) {
      this.used.add("not");
      w = w.slice(1);
    }
    if (w.length === 0) return this.problem(`empty command: ${text}`);
    const c = COMMAND_CONSTRUCTS.find((x) => x.command!(w));
    if (!c) return this.problem(`unrecognised command (not in constructs.ts): ${text}`);
    this.used.add(c.id);
    if (c.id === "fn") this.functions.add((w[1][0] as { text: string }).text);
    // `let NAME[${i}] = W`: the target's `NAME[` and `]` are part of the let-element shape.
    if (c.id === "let-element") w = [w[0], w[1].length === 3 ? [w[1][1]] : [], ...w.slice(2)];
    // `let NAME \\= WORD`: the operator is part of the let-remove shape.
    if (c.id === "let-remove") w = [w[0], w[1], w[3]];
    // `for NAME in "${DIR}"/*`: the glob `/*` is part of the for-glob shape (nowhere else is a glob emitted).
    if (c.id === "for-glob") w = [w[0], w[1], w[2], [w[3][0]]];
    for (const word of w) for (const p of word) this.part(p);
  }

  private part(p: Part): void {
    const inSubst = this.captureDepth > 0 ? substPieceProblem(p) : undefined;
    if (inSubst) this.problem(inSubst);
    const c = PART_CONSTRUCTS.find((x) => x.part!(p));
    if (!c) {
      this.problem(`unrecognised word piece (not in constructs.ts): ${describe(p)}`);
      return;
    }
    this.used.add(c.id);
    switch (p.k) {
      case "dq":
        p.parts.forEach((q) => (q.k === "text" ? undefined : this.part(q)));
        break;
      case "element":
        p.index.forEach((q) => this.part(q));
        break;
      case "slice":
        p.range.forEach((q) => this.part(q));
        break;
      case "list":
        p.words.forEach((w) => w.forEach((q) => this.part(q)));
        break;
      case "subst":
        this.captureDepth++;
        this.statements(p.body, true);
        this.captureDepth--;
        break;
      case "method":
        p.args.forEach((arg, i) => {
          const bad = methodArgProblem(arg) ?? (i === 0 ? firstArgProblem(arg) : undefined);
          if (bad) this.problem(`method ${p.sigil}${p.name}: ${bad}`);
          arg.forEach((q) => this.part(q));
        });
        break;
    }
  }
}

function describe(p: Part): string {
  switch (p.k) {
    case "sq":
    case "text":
      return JSON.stringify(p.text);
    case "method":
      return `${p.sigil}${p.name}(...)`;
    case "arith":
      return `$((${p.expr}))`;
    default:
      return p.k;
  }
}

/** Checks one generated script (see the module comment). */
export function checkEmittedIon(text: string): EmittedCheck {
  const ck = new Checker();
  const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  if (CONTROL_CHAR.test(text) || LONE_SURROGATE.test(text)) {
    text.split("\n").forEach((l, i) => {
      const m = CONTROL_CHAR.exec(l) ?? LONE_SURROGATE.exec(l);
      if (m) ck.problems.push({ line: i + 1, message: `character U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")} is not printable text` });
    });
  }
  let stmts: Statement[];
  try {
    stmts = readIon(text);
  } catch (e) {
    if (!(e instanceof ReadError)) throw e;
    ck.problems.push({ line: e.line, message: `unreadable: ${e.message}` });
    return { problems: ck.problems, constructs: ck.used };
  }
  ck.statements(stmts, false);
  // Calls name functions the script defines (a missing one is fatal in Ion).
  const defined = ck.functions;
  const walk = (ss: Statement[]) => {
    for (const s of ss) {
      for (const c of s.commands) {
        let w = c.words;
        while (bare(w[0], /^(if|else|while|not)$/)) w = w.slice(1);
        if (bare(w[0], /^f_/) && !defined.has((w[0][0] as { text: string }).text)) ck.problems.push({ line: s.line, message: `call of a function the script does not define: ${c.text}` });
      }
    }
  };
  walk(stmts);
  void construct;
  return { problems: ck.problems, constructs: ck.used };
}

/** One line per problem, for diagnostics and test failures. */
export function formatProblems(problems: EmittedProblem[], max = 5): string {
  const shown = problems.slice(0, max).map((p) => `line ${p.line}: ${p.message}`);
  if (problems.length > max) shown.push(`… and ${problems.length - max} more`);
  return shown.join("\n");
}
