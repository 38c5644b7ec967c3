/**
 * Statements and blocks, ported from redox-os/ion:
 * - `parseStatement`: parser/statement/parse.rs (keywords by prefix, `let`/`export` via the
 *   assignment lexer, `for`, `case`, `fn` signatures, `X=v cmd`);
 * - `collectPipeline`: parser/pipelines.rs (words, `|`, `^|`, `&|`, redirections, herestrings);
 * - `Parser`: shell/flow.rs `on_command` + `insert_statement`: every statement is parsed as soon
 *   as the splitter yields it and added to the block stack; a statement is run when no block is
 *   open, and a whole `if`/`while`/`for`/`match`/`fn` when its `end` arrives. So a syntax error
 *   inside a block (even in a branch that will not run) stops the script before the block runs,
 *   while everything before the block has already run (docs/ion-sim.md, How a script is read and run).
 */
import {
  isBlock,
  type Assignment,
  type Case,
  type ElseIf,
  type Key,
  type PipeItem,
  type Pipeline,
  type Primitive,
  type RedirectFrom,
  type Redirection,
  type Input,
  type Stmt,
  type StmtOf,
} from "./ast.ts";
import { blockError, IonPanic, IonSyntax, IonUnsupported } from "./errors.ts";
import { splitArguments, StatementSplitter, Terminator, type CommandLine, type SplitStatement } from "./lexer.ts";
import { isRustWs, splitWhitespace, trim, trimStart } from "./text.ts";

// ---------------------------------------------------------------- assignments

const SINGLE_OPS: Record<string, string> = { "+": "+=", "-": "-=", "/": "/=", "*": "*=", "?": "?=" };
const DOUBLE_OPS: Record<string, string> = { "//": "//=", "**": "**=", "++": "++=", "::": "::=", "\\\\": "\\\\=" };

/** parser/lexers/assignments/mod.rs `assignment_lexer`: (keys, operator, values). */
export function assignmentLexer(statement: string): { keys: string | null; op: string | null; values: string | null } {
  const s = trim(statement);
  if (s === "") return { keys: null, op: null, values: null };
  let read = 0;
  let start = 0;
  let op: string | null = null;
  let depth = 0;
  let found = false;
  for (; read < s.length; read++) {
    const c = s[read]!;
    op = "=";
    if (c === "[") depth++;
    else if (depth > 0 && c === "]") depth--;
    else if (depth === 0) {
      if (c === "=") {
        if (read + 1 >= s.length) return { keys: trim(s.slice(0, read)), op: "=", values: null };
        start = read;
        read += 1;
        found = true;
        break;
      }
      if (read + 3 <= s.length) {
        if (s[read + 1] === "=" && SINGLE_OPS[c]) {
          op = SINGLE_OPS[c]!;
          start = read;
          read += 2;
          found = true;
          break;
        }
        if (s[read + 2] === "=" && DOUBLE_OPS[s.slice(read, read + 2)]) {
          op = DOUBLE_OPS[s.slice(read, read + 2)]!;
          start = read;
          read += 3;
          found = true;
          break;
        }
      }
    }
  }
  // an operator that ends the statement leaves no values: ion then reports a missing operator
  if (!found || read === s.length) return { keys: s, op: null, values: null };
  return { keys: s.slice(0, start).trimEnd(), op, values: trim(s.slice(read)) };
}

/** primitive.rs `Primitive::parse` */
export function parsePrimitive(data: string): Primitive | null {
  switch (data) {
    case "str":
    case "bool":
    case "int":
    case "float":
      return { t: data };
  }
  const open = data.indexOf("[");
  const close = data.lastIndexOf("]");
  if (open < 0 || close < 0) return null;
  const kind = data.slice(0, open);
  const inner = parsePrimitive(data.slice(open + 1, close));
  if (!inner) return null;
  if (kind === "hmap") return { t: "hmap", of: inner };
  if (kind === "bmap") return { t: "bmap", of: inner };
  return { t: "array", of: inner };
}

/** keys.rs `KeyIterator`: `a:int b[] c[1]:bool d` → the keys up to the first TypeError, and that error. */
export class KeyError extends Error {}

export function parseKeys(data: string): { keys: Key[]; error: KeyError | null } {
  const keys: Key[] = [];
  try {
    keyIterator(data, keys);
    return { keys, error: null };
  } catch (e) {
    if (e instanceof KeyError) return { keys, error: e };
    throw e;
  }
}

function keyIterator(data: string, keys: Key[]): void {
  let read = 0;
  const keyParse = (name: string, ty: string): Key => {
    const kind = parsePrimitive(ty);
    if (!kind) throw new KeyError(`invalid type supplied: ${ty}`);
    return { name, kind };
  };
  const parseParameter = (name: string): Key => {
    let start = read;
    while (read < data.length) {
      const c = data[read++]!;
      if (c === " ") {
        if (start + 1 === read) start++;
        else return keyParse(name, trim(data.slice(start, read)));
      }
    }
    if (start === read) throw new KeyError("invalid type supplied: ");
    return keyParse(name, trim(data.slice(start, read)));
  };
  const parseArray = (name: string): Key => {
    const identStart = read;
    for (;;) {
      if (read >= data.length) throw new IonPanic(`index out of bounds: the len is ${data.length} but the index is ${read}`);
      let eol = read + 1 >= data.length;
      if (data[read] === "]" && (eol || data[read + 1] === " ")) {
        const ident = data.slice(identStart, read);
        read++;
        return { name, kind: ident === "" ? { t: "array", of: { t: "str" } } : { t: "indexed", index: ident, of: { t: "str" } } };
      }
      if (data[read] === "]" && data[read + 1] === ":") {
        const identEnd = read;
        read += 2;
        while (!eol && data[read] !== " ") {
          read++;
          eol = read >= data.length;
        }
        const ident = data.slice(identStart, identEnd);
        if (ident === "") return { name, kind: { t: "array", of: { t: "str" } } };
        const kind = parsePrimitive(data.slice(identEnd + 2, read));
        if (!kind) throw new KeyError(`invalid type supplied: ${data.slice(identEnd + 1, read)}`);
        return { name, kind: { t: "indexed", index: ident, of: kind } };
      }
      if (eol) throw new KeyError(`invalid type supplied: ${data.slice(read)}`);
      read++;
    }
  };
  for (;;) {
    let start = read;
    let key: Key | null = null;
    while (read < data.length && key === null) {
      const c = data[read++]!;
      if (c === " ") {
        if (start + 1 === read) start++;
        else key = { name: trim(data.slice(start, read)), kind: { t: "str" } };
      } else if (c === ":") key = parseParameter(trim(data.slice(start, read - 1)));
      else if (c === "[") key = parseArray(trim(data.slice(start, read - 1)));
    }
    if (key === null) {
      if (start === read) return;
      key = { name: trim(data.slice(start, read)), kind: { t: "str" } };
    }
    keys.push(key);
  }
}

// ---------------------------------------------------------------- pipelines

const PAIRED: Record<string, string> = {
  paren: "unmatched opening parenthese",
  bracket: "unmatched opening bracket",
  brace: "unmatched opening brace",
  xparen: "extra closing parenthese(s)",
  xbracket: "extra closing bracket(s)",
  xbrace: "extra closing brace(s)",
};

/** parser/pipelines.rs `Collector`. Throws IonSyntax with the PipelineParsingError message. */
export function collectPipeline(data: string): Pipeline {
  let i = 0;
  const pipeline: Pipeline = { items: [], pipe: "normal" };
  let args: string[] = [];
  let outputs: Redirection[] = [];
  let inputs: Input[] = [];
  const addItem = (redirection: RedirectFrom) => {
    if (args.length) pipeline.items.push({ args, redirection, outputs, inputs } satisfies PipeItem);
    args = [];
    outputs = [];
    inputs = [];
  };

  const arg = (): string | null => {
    let parens = 0,
      arrays = 0,
      braces = 0;
    let counter = 0; // array: *2+1, brace: *2
    while (data[i] === " " || data[i] === "\t") i++;
    const start = i;
    let end = -1;
    const rooted = () => parens === 0 && arrays === 0 && braces === 0;
    loop: while (i < data.length) {
      const b = data[i]!;
      switch (b) {
        case "(":
          parens++;
          i++;
          break;
        case ")":
          if (parens === 0) throw new IonSyntax(PAIRED.xparen!);
          parens--;
          i++;
          break;
        case "[":
          arrays++;
          counter = counter * 2 + 1;
          i++;
          break;
        case "]":
          if (arrays === 0) throw new IonSyntax(PAIRED.xbracket!);
          arrays--;
          if (counter % 2 === 1) {
            counter = (counter - 1) / 2;
            i++;
            break;
          }
          break loop;
        case "{":
          braces++;
          counter = counter * 2;
          i++;
          break;
        case "}":
          if (counter % 2 === 0) {
            if (braces === 0) throw new IonSyntax(PAIRED.xbrace!);
            braces--;
            counter = counter / 2;
            i++;
            break;
          }
          break loop;
        case "^":
          if (rooted() && (data[i + 1] === ">" || data[i + 1] === "|")) {
            end = i;
            break loop;
          }
          i++;
          break;
        case '"':
          i++;
          while (i < data.length && data[i] !== '"') i += data[i] === "\\" ? 2 : 1;
          if (i >= data.length) throw new IonSyntax("unterminated double quote");
          i++;
          break;
        case "'":
          i++;
          while (i < data.length && data[i] !== "'") i++;
          if (i >= data.length) throw new IonSyntax("unterminated single quote");
          i++;
          break;
        case "\\":
          i += 2;
          break;
        case "&":
        case "|":
        case "<":
        case ">":
        case " ":
        case "\t":
          if (rooted()) {
            end = i;
            break loop;
          }
          i++;
          break;
        default:
          i++;
      }
    }
    if (parens > 0) throw new IonSyntax(PAIRED.paren!);
    if (arrays > 0) throw new IonSyntax(PAIRED.bracket!);
    if (braces > 0) throw new IonSyntax(PAIRED.brace!);
    if (start >= data.length) return null;
    if (end >= 0) return start < end ? data.slice(start, end) : null;
    return data.slice(start, Math.min(i, data.length));
  };
  const pushArg = () => {
    const a = arg();
    if (a !== null) args.push(a);
  };
  const redirOut = (from: Redirection["from"]) => {
    let append = false;
    if (data[i] === ">") {
      i++;
      append = true;
    }
    const file = arg();
    if (file === null) throw new IonSyntax("expected file argument after redirection for output");
    outputs.push({ from, file, append });
  };

  while (i < data.length) {
    const b = data[i]!;
    switch (b) {
      case "&": {
        i++;
        const n = data[i];
        if (n === ">") {
          i++;
          redirOut("both");
        } else if (n === "|") {
          i++;
          addItem("both");
        } else {
          pipeline.pipe = n === "!" ? "disown" : "background";
          i = data.length;
        }
        break;
      }
      case "^":
        if (data[i + 1] === ">") {
          i += 2;
          redirOut("stderr");
        } else if (data[i + 1] === "|") {
          i += 2;
          addItem("stderr");
        } else pushArg();
        break;
      case "|":
        i++;
        addItem("stdout");
        break;
      case ">":
        i++;
        redirOut("stdout");
        break;
      case "<": {
        i++;
        if (data[i] === "<") {
          if (data[i + 1] === "<") {
            i += 2;
            const text = arg();
            if (text === null) throw new IonSyntax("expected string argument after '<<<'");
            inputs.push({ k: "herestring", text });
          } else throw new IonSyntax("heredocs are not a part of Ion. Use redirection and/or cat instead");
        } else {
          const file = arg();
          if (file === null) throw new IonSyntax("expected file argument after redirection for input");
          inputs.push({ k: "file", file });
        }
        break;
      }
      case " ":
      case "\t":
        i++;
        break;
      default:
        pushArg();
    }
  }
  addItem("none");
  return pipeline;
}

// ---------------------------------------------------------------- statements

const ASSIGN_ACT = /^([a-zA-Z][^=\t\n\v\f\r ]*)=([^\t\n\v\f\r ]+)[\t\n\v\f\r ]+([^\n]+)$/;

/** Variables::is_valid_name (Unicode letters allowed) */
export function isValidName(name: string): boolean {
  return /^[\p{Alphabetic}_][\p{Alphabetic}\p{N}_]*$/u.test(name);
}

function parseCase(data: string): Omit<Case, "body"> {
  if (data === "_") return { value: null, binding: null, conditional: null };
  const words = splitArguments(data);
  let k = 0;
  let argument: string | null = null;
  let binding: string | null = null;
  let conditional: string | null = null;
  const rest = () => {
    const s = words.slice(k).join(" ");
    k = words.length;
    if (s === "") throw new IonSyntax("case error: no conditional statement was given");
    return s;
  };
  for (;;) {
    const w = words[k++];
    if (w === "@") {
      binding = words[k++] ?? null;
      if (binding === null) throw new IonSyntax("case error: no bind variable was supplied");
      const n = words[k++];
      if (n === "if") conditional = rest();
      else if (n !== undefined) throw new IonSyntax(`case error: extra value, '${n}', was given to bind`);
    } else if (w === "if") conditional = rest();
    else if (w !== undefined && argument === null) {
      argument = w;
      continue;
    } else if (w !== undefined) throw new IonSyntax(`case error: extra variable, '${w}', was given to case`);
    return { value: argument === "_" ? null : argument, binding, conditional };
  }
}

function parseFn(cmd: string, line: number): Stmt {
  let pos = 0;
  while (pos < cmd.length && !isRustWs(cmd[pos]!)) pos++;
  const name = cmd.slice(0, pos);
  if (!isValidName(name))
    throw new IonSyntax(`'${name}' is not a valid function name\n        Function names may only contain alphanumeric characters`);
  const sig = cmd.slice(pos);
  const dd = sig.indexOf("--");
  const argText = trim(dd < 0 ? sig : sig.slice(0, dd));
  const description = dd < 0 ? null : trim(sig.slice(dd + 2));
  const { keys: params, error } = parseKeys(argText);
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.name)) throw new IonSyntax(`function argument error: repeated argument name: '${p.name}'`);
    seen.add(p.name);
  }
  if (error) throw new IonSyntax(`function argument error: ${error.message}`);
  return { k: "fn", line, def: { name, description, params, body: [], line } };
}

/** parser/statement/parse.rs `parse` */
export function parseStatement(code: string, line: number): Stmt {
  const cmd = trim(code);
  const after = (n: number) => trimStart(cmd.slice(n));
  if (cmd === "return") return { k: "return", line, arg: null };
  if (cmd.startsWith("return ")) return { k: "return", line, arg: after(7) };
  if (cmd === "end" || cmd === "break" || cmd === "continue" || cmd === "else") return { k: cmd, line };
  if (cmd === "for" || cmd === "match" || cmd === "case") throw new IonSyntax("missing parameters for a block");
  if (cmd === "let") return { k: "let", line, action: null };
  if (cmd.startsWith("let ")) {
    const { keys, op, values } = assignmentLexer(after(4));
    if (values !== null) return { k: "let", line, action: { keys: keys!, op: op!, values } satisfies Assignment };
    throw new IonSyntax(op === null ? "no operator supplied for assignment" : "no values supplied for assignment");
  }
  if (cmd === "export") return { k: "export", line, action: null };
  if (cmd.startsWith("export ")) {
    const { keys, op, values } = assignmentLexer(after(7));
    if (values !== null && keys !== null && op !== null) return { k: "export", line, action: { keys, op, values } };
    if (keys !== null && op === null) return { k: "export", line, action: { keys, op: null, values: null } };
    if (keys !== null) throw new IonSyntax("no values supplied for assignment");
    throw new IonSyntax("no key supplied for assignment");
  }
  if (cmd.startsWith("if "))
    return { k: "if", line, expr: [parseStatement(after(3), line)], success: [], elseIf: [], failure: [], mode: "success" };
  if (cmd.startsWith("else")) {
    const r = after(4);
    if (r.startsWith("if ")) return { k: "elseif", line, expr: [parseStatement(trimStart(r.slice(3)), line)] };
    return { k: "else", line };
  }
  if (cmd.startsWith("while ")) return { k: "while", line, expr: [{ k: "pipeline", line, pipeline: collectPipeline(after(6)) }], body: [] };
  if (cmd.startsWith("for ")) {
    const c = after(4);
    const inAt = c.indexOf(" in ");
    const vars = splitWhitespace(inAt < 0 ? c : c.slice(0, inAt));
    if (inAt < 0) throw new IonSyntax("no value supplied for iteration in for loop");
    return { k: "for", line, vars, values: splitArguments(trim(c.slice(inAt + 4))), body: [] };
  }
  if (cmd.startsWith("case ")) return { k: "case", line, c: { ...parseCase(after(5)), body: [] } };
  if (cmd.startsWith("match ")) return { k: "match", line, subject: after(6), cases: [] };
  if (cmd.startsWith("fn ")) return parseFn(after(3), line);
  if (cmd === "time" || cmd.startsWith("time ")) throw new IonUnsupported("`time`", line);
  for (const kw of ["and", "or", "not", "!"] as const) {
    if (cmd === kw) return { k: kw === "!" ? "not" : kw, line, inner: { k: "default", line } };
    if (cmd.startsWith(kw + " ")) return { k: kw === "!" ? "not" : kw, line, inner: parseStatement(after(kw.length), line) };
  }
  const m = ASSIGN_ACT.exec(cmd);
  if (m) return { k: "assignact", line, key: m[1]!, value: m[2]!, inner: parseStatement(m[3]!, line) };
  if (cmd === "" || cmd.startsWith("#")) return { k: "default", line };
  return { k: "pipeline", line, pipeline: collectPipeline(cmd) };
}

// ---------------------------------------------------------------- blocks

/** Statement's Display, as in "expected end block for `If { .. }`" */
const DISPLAY: Record<Stmt["k"], string> = {
  let: "Let { .. }",
  case: "Case { .. }",
  export: "Export { .. }",
  if: "If { .. }",
  elseif: "ElseIf { .. }",
  fn: "Function { .. }",
  for: "For { .. }",
  while: "While { .. }",
  match: "Match { .. }",
  else: "Else",
  end: "End",
  break: "Break",
  continue: "Continue",
  pipeline: "Pipeline { .. }",
  time: "Time { .. }",
  and: "And { .. }",
  or: "Or { .. }",
  not: "Not { .. }",
  return: "Return",
  assignact: "LocalAssignAct { .. }",
  default: "Default",
};

export function unclosedBlockError(block: Stmt[]): Error {
  return blockError(`expected end block for \`${DISPLAY[block[block.length - 1]!.k]}\``);
}

/** shell/flow.rs `insert_into_block` */
function insertIntoBlock(block: Stmt[], st: Stmt): void {
  let top = block[block.length - 1]!;
  if (top.k === "time") top = top.inner;
  switch (top.k) {
    case "fn":
      top.def.body.push(st);
      return;
    case "for":
    case "while":
      top.body.push(st);
      return;
    case "match":
      if (st.k !== "case") throw blockError("statement found outside of Case block in Match");
      top.cases.push(st.c);
      return;
    case "case":
      top.c.body.push(st);
      return;
    case "if":
      if (st.k === "elseif") {
        if (top.mode === "else") throw blockError("ElseIf found after Else");
        top.mode = "elseif";
        top.elseIf.push({ expr: st.expr, success: [] } satisfies ElseIf);
      } else if (st.k === "else") {
        if (top.mode === "else") throw blockError("Else block already exists");
        top.mode = "else";
      } else if (top.mode === "success") top.success.push(st);
      else if (top.mode === "elseif") top.elseIf[top.elseIf.length - 1]!.success.push(st);
      else top.failure.push(st);
      return;
  }
  throw new IonPanic("internal error: entered unreachable code: Not block-like statement pushed to stack!");
}

/** shell/flow.rs `insert_statement`: a statement to run now, or null while a block is open. */
export function insertStatement(block: Stmt[], st: Stmt): Stmt | null {
  switch (st.k) {
    case "for":
    case "while":
    case "match":
    case "if":
    case "fn":
      block.push(st);
      return null;
    case "case": {
      const top = block[block.length - 1];
      if (top?.k === "case") {
        block.pop();
        try {
          insertIntoBlock(block, top);
        } catch {
          /* ion ignores this result */
        }
      } else if (top?.k !== "match") throw blockError("Case found outside of Match block");
      block.push(st);
      return null;
    }
    case "end": {
      if (block.length === 0) throw blockError("End found but no block to close");
      if (block.length === 1) return block.pop()!;
      const last = block.pop()!;
      if (last.k === "case") {
        insertIntoBlock(block, last);
        const m = block.pop()!;
        if (block.length === 0) return m;
        insertIntoBlock(block, m);
        return null;
      }
      insertIntoBlock(block, last);
      return null;
    }
    case "and":
    case "or":
      if (block.length) {
        const top = block[block.length - 1]!;
        let pushed = false;
        if (top.k === "if") {
          if (top.mode === "success" && top.success.length === 0) {
            top.expr.push(st);
            pushed = true;
          } else if (top.mode === "elseif") {
            const eif = top.elseIf[top.elseIf.length - 1]!;
            if (eif.success.length === 0) {
              eif.expr.push(st);
              pushed = true;
            }
          }
        } else if (top.k === "while" && top.body.length === 0) {
          top.expr.push(st);
          pushed = true;
        }
        if (!pushed) insertIntoBlock(block, st);
        return null;
      }
      break;
    case "time":
    case "assignact":
      if (isBlock(st.inner)) {
        if (st.k === "assignact") throw new IonUnsupported("`NAME=value` before a block", st.line);
        block.push(st);
        return null;
      }
      return st;
  }
  if (block.length === 0) {
    switch (st.k) {
      case "elseif":
        throw blockError("found ElseIf without If block");
      case "else":
        throw blockError("found Else without If block");
      case "break":
        throw blockError("found Break without loop body");
      case "continue":
        throw blockError("found Continue without loop body");
    }
    return st;
  }
  insertIntoBlock(block, st);
  return null;
}

/** A text split and parsed into statements without the block stack (aliases: `parse_and_validate` of each). */
export function parseStatements(text: string, line: number): Stmt[] {
  const sp = new StatementSplitter(text);
  const out: Stmt[] = [];
  for (let s = sp.next(); s; s = sp.next()) {
    const st = parseStatement(s.text, line);
    out.push(s.kind === "default" ? st : ({ k: s.kind, line, inner: st } as StmtOf<"and" | "or">));
  }
  return out;
}

/**
 * Reads a script statement by statement (shell/flow.rs `on_command`): `next()` parses until a
 * statement is ready to run and returns it; syntax and block errors are thrown when ion would
 * find them. `blocks` is the shell's block stack (shared with `$( )`, as in ion).
 */
export class Parser {
  private term: Terminator;
  private line: CommandLine | null = null;
  private splitter: StatementSplitter | null = null;

  /** `fixedLine`: the line every statement reports (text nested in a statement: `$( )`, `eval`) */
  constructor(
    src: string,
    private readonly blocks: Stmt[],
    private readonly fixedLine?: number,
  ) {
    this.term = new Terminator(src);
  }

  /** Next statement to run, or null at the end of the input. `onLine` reports each statement's line. */
  next(onLine?: (line: number) => void): Stmt | null {
    for (;;) {
      if (!this.splitter) {
        this.line = this.term.next();
        if (!this.line) return null;
        this.splitter = new StatementSplitter(this.line.text);
      }
      let sp: SplitStatement | null;
      const cl = this.line!;
      try {
        sp = this.splitter.next();
      } catch (e) {
        onLine?.(this.fixedLine ?? cl.lineOf[0] ?? 0);
        throw e;
      }
      if (!sp) {
        this.splitter = null;
        continue;
      }
      const line = this.fixedLine ?? cl.lineOf[sp.at] ?? cl.lineOf[0] ?? 0;
      onLine?.(line);
      let st = parseStatement(sp.text, line);
      if (sp.kind !== "default") st = { k: sp.kind, line, inner: st } as StmtOf<"and" | "or">;
      const ready = insertStatement(this.blocks, st);
      if (ready) return ready;
    }
  }
}
