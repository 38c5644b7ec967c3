/**
 * Builds statements and blocks from the raw statements of lexer.ts.
 * Blocks (`if`/`while`/`for`/`fn`/`match` … `end`) are read up to their `end`
 * and only then run (§1). Keywords `else`/`end` are matched by prefix (§2).
 */
import type { Chain, ChainItem, Param, Pipeline, Redir, RedirOp, Stage, Stmt } from "./ast.ts";
import { IonFatal, IonUnsupported } from "./errors.ts";
import { StatementReader, splitWords, type RawStatement } from "./lexer.ts";

const REDIR_OPS = new Set([">", ">>", "^>", "^>>", "&>", "&>>", "<", "<<<"]);

export function parseChain(text: string, line: number): Chain {
  const toks = splitWords(text);
  const items: ChainItem[] = [];
  let op: ChainItem["op"] = null;
  let stages: Stage[] = [];
  let stage: Stage = { words: [], redirs: [] };
  const endStage = () => {
    if (stage.words.length === 0) throw new IonFatal(`syntax error: expected command, found nothing`);
    stages.push(stage);
    stage = { words: [], redirs: [] };
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.t === "word") {
      stage.words.push(t.raw);
      continue;
    }
    if (REDIR_OPS.has(t.op)) {
      const nx = toks[i + 1];
      if (!nx || nx.t !== "word") throw new IonFatal(`syntax error: expected file argument after redirection`);
      stage.redirs.push({ op: t.op as RedirOp, target: nx.raw } satisfies Redir);
      i++;
      continue;
    }
    if (t.op === "|") {
      endStage();
      continue;
    }
    if (t.op === "&&" || t.op === "||") {
      endStage();
      items.push({ op, pipeline: { stages } satisfies Pipeline });
      stages = [];
      op = t.op;
      continue;
    }
    throw new IonUnsupported(`background jobs ('&')`, line);
  }
  endStage();
  items.push({ op, pipeline: { stages } });
  return { items };
}

function firstWord(text: string): string {
  const m = /^\S+/.exec(text);
  return m ? m[0] : "";
}

function rest(text: string, kw: string): string {
  return text.slice(kw.length).trim();
}

type Frame =
  | { k: "if"; line: number; branches: { cond: Chain | null; body: Stmt[] }[]; sawElse: boolean }
  | { k: "while"; line: number; cond: Chain; body: Stmt[] }
  | { k: "for"; line: number; vars: string[]; words: string[]; body: Stmt[] }
  | { k: "fn"; line: number; name: string; params: Param[]; body: Stmt[] }
  | { k: "match"; line: number; subject: string[]; cases: { pat: string[] | null; body: Stmt[] }[]; pre: Stmt[] };

function frameBody(f: Frame): Stmt[] {
  switch (f.k) {
    case "if":
      return f.branches[f.branches.length - 1]!.body;
    case "match":
      return f.cases.length ? f.cases[f.cases.length - 1]!.body : f.pre;
    default:
      return f.body;
  }
}

function closeFrame(f: Frame): Stmt {
  switch (f.k) {
    case "if":
      return { k: "if", line: f.line, branches: f.branches };
    case "while":
      return { k: "while", line: f.line, cond: f.cond, body: f.body };
    case "for":
      return { k: "for", line: f.line, vars: f.vars, words: f.words, body: f.body };
    case "fn":
      return { k: "fn", line: f.line, def: { name: f.name, params: f.params, body: f.body, line: f.line } };
    case "match":
      return { k: "match", line: f.line, subject: f.subject, cases: f.cases };
  }
}

function wordsOf(text: string): string[] {
  return splitWords(text).map((t) => (t.t === "word" ? t.raw : t.op));
}

function parseParams(words: string[]): Param[] {
  const ps: Param[] = [];
  for (const w of words) {
    if (w === "--") break;
    const i = w.indexOf(":");
    if (i < 0) ps.push({ name: w, type: null });
    else ps.push({ name: w.slice(0, i), type: w.slice(i + 1) });
  }
  return ps;
}

/** Reads complete top-level statements (a whole block at a time). */
export class Parser {
  private reader: StatementReader;
  constructor(src: string) {
    this.reader = new StatementReader(src);
  }

  /** Next complete top-level statement, or null at the end. `onLine` reports the current line for errors. */
  next(onLine?: (line: number) => void): Stmt | null {
    const stack: Frame[] = [];
    for (;;) {
      const raw = this.reader.next();
      if (!raw) {
        if (stack.length) throw new IonFatal(`syntax error: expected end block for '${stack[stack.length - 1]!.k}'`);
        return null;
      }
      onLine?.(raw.line);
      const r = this.handle(raw, stack);
      if (r && stack.length === 0) return r;
      if (r) frameBody(stack[stack.length - 1]!).push(r);
    }
  }

  /** Returns a finished statement, or null when the statement only changed the block stack. */
  private handle(raw: RawStatement, stack: Frame[]): Stmt | null {
    const { text, line } = raw;
    const fw = firstWord(text);
    const top = stack[stack.length - 1];
    if (/^end(\s|$)/.test(text)) {
      if (!top) throw new IonFatal("syntax error: block error: End found but no block to close");
      stack.pop();
      return closeFrame(top);
    }
    if (text.startsWith("else")) {
      // §2: `else` is matched by prefix (`else echo x` drops `echo x`)
      if (!top || top.k !== "if" || top.sawElse) throw new IonFatal("syntax error: block error: found Else without If body");
      const r = text.slice(4).trim();
      if (/^if(\s|$)/.test(r) && text.slice(4, 5).match(/\s/)) {
        top.branches.push({ cond: parseChain(rest(r, "if"), line), body: [] });
      } else {
        top.branches.push({ cond: null, body: [] });
        top.sawElse = true;
      }
      return null;
    }
    switch (fw) {
      case "if":
        stack.push({ k: "if", line, branches: [{ cond: parseChain(rest(text, "if"), line), body: [] }], sawElse: false });
        return null;
      case "while":
        stack.push({ k: "while", line, cond: parseChain(rest(text, "while"), line), body: [] });
        return null;
      case "for": {
        const ws = wordsOf(rest(text, "for"));
        const inAt = ws.indexOf("in");
        if (inAt < 1) throw new IonFatal("syntax error: for loop: expected 'in'");
        stack.push({ k: "for", line, vars: ws.slice(0, inAt), words: ws.slice(inAt + 1), body: [] });
        return null;
      }
      case "fn": {
        const ws = wordsOf(rest(text, "fn"));
        if (!ws.length) throw new IonFatal("syntax error: fn: missing name");
        stack.push({ k: "fn", line, name: ws[0]!, params: parseParams(ws.slice(1)), body: [] });
        return null;
      }
      case "match":
        stack.push({ k: "match", line, subject: wordsOf(rest(text, "match")), cases: [], pre: [] });
        return null;
      case "case": {
        if (!top || top.k !== "match") throw new IonFatal("syntax error: block error: found Case without Match");
        const r = rest(text, "case");
        if (/\sif\s/.test(` ${r} `) && !/^\[/.test(r)) throw new IonUnsupported("case guards (`case x if …`)", line);
        top.cases.push({ pat: r === "_" ? null : wordsOf(r), body: [] });
        return null;
      }
      case "break":
      case "continue":
        if (text === fw) return { k: fw, line };
        break;
      case "return": {
        const ws = wordsOf(rest(text, "return"));
        return { k: "return", line, arg: ws[0] ?? null };
      }
      case "and":
      case "or":
        return { k: "chain", line, chain: parseChain(rest(text, fw), line), guard: fw };
    }
    return { k: "chain", line, chain: parseChain(text, line), guard: null };
  }
}
