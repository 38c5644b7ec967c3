/**
 * Greedy shrinker for generated programs: tries one small change at a time
 * (drop a statement, case or function, flatten an `if`, drop an `else`,
 * replace an expression by a same-typed child or a literal) and keeps it when
 * the program still fails the same way. Stops at a fixpoint or on budget.
 */
import { printProgram, type Expr, type Program, type Stmt, type Ty } from "./generate.ts";

const SIMPLE: Record<Ty, string> = { num: "1", str: '"a"', bool: "true", strArr: '["a"]', numArr: "[1]" };

type Mutation = (p: Program) => boolean;

/** All single-step mutations of `p`, as functions that apply themselves to a clone. */
function* mutations(p: Program): Generator<(clone: Program) => boolean> {
  // Statement-level sites, addressed by their position in a walk.
  let count = 0;
  walkStmtLists(p, () => {
    count++;
  });
  for (let site = 0; site < count; site++) {
    yield (c) => atList(c, site, (list, i) => dropStmt(c, list, i));
    yield (c) => atList(c, site, (list, i) => flattenIf(list, i));
    yield (c) => atList(c, site, (list, i) => dropElse(list, i));
  }
  for (let f = 0; f < p.functions.length; f++) yield (c) => dropFunction(c, f);
  let exprs = 0;
  walkExprs(p, () => {
    exprs++;
    return undefined;
  });
  for (let site = 0; site < exprs; site++) {
    for (let child = 0; child < 4; child++) yield (c) => atExpr(c, site, (x) => childOf(x, child));
    yield (c) => atExpr(c, site, (x) => (x.lit || x.parts.length === 1 ? undefined : { ty: x.ty, parts: [SIMPLE[x.ty]], lit: true }));
  }
}

export interface ShrinkResult {
  program: Program;
  steps: number;
  evaluations: number;
}

/**
 * Compiling is costly per call but cheap per extra file, so candidates are
 * judged in chunks: `stillFail` gets many programs and says which still fail.
 * Each round takes the smallest failing candidate of the first chunk that has one.
 */
export function shrink(
  start: Program,
  stillFail: (ps: Program[]) => boolean[],
  budget: { evaluations: number; ms: number; chunk: number } = { evaluations: 2000, ms: 120_000, chunk: 60 },
): ShrinkResult {
  const deadline = Date.now() + budget.ms;
  let current = start;
  let steps = 0;
  let evaluations = 0;
  for (;;) {
    if (evaluations >= budget.evaluations || Date.now() >= deadline) break;
    const before = printProgram(current);
    const seen = new Set<string>([before]);
    const candidates: Program[] = [];
    for (const m of mutations(current)) {
      const clone = structuredClone(current);
      if (!m(clone)) continue;
      const text = printProgram(clone);
      if (seen.has(text)) continue;
      seen.add(text);
      candidates.push(clone);
    }
    // biggest reductions first: the first chunks remove whole blocks and functions
    const size = new Map(candidates.map((c) => [c, printProgram(c).length]));
    candidates.sort((a, b) => size.get(a)! - size.get(b)!);
    let next: Program | undefined;
    for (let i = 0; i < candidates.length && !next; i += budget.chunk) {
      if (evaluations >= budget.evaluations || Date.now() >= deadline) break;
      const chunk = candidates.slice(i, i + budget.chunk);
      evaluations += chunk.length;
      const verdicts = stillFail(chunk);
      const failing = chunk.filter((_, k) => verdicts[k]);
      failing.sort((a, b) => printProgram(a).length - printProgram(b).length);
      next = failing[0];
    }
    if (!next) break;
    current = next;
    steps++;
  }
  return { program: current, steps, evaluations };
}

// ---------------------------------------------------------------- walkers

function walkStmtLists(p: Program, visit: (list: Stmt[], i: number) => void): void {
  const lists = (list: Stmt[]) => {
    for (let i = 0; i < list.length; i++) {
      visit(list, i);
      const s = list[i];
      if (s && s.k === "block") {
        lists(s.body);
        if (s.elseBody) lists(s.elseBody);
      }
    }
  };
  lists(p.globals);
  for (const f of p.functions) lists(f.body);
  lists(p.main);
}

function atList(p: Program, site: number, op: (list: Stmt[], i: number) => boolean): boolean {
  let n = 0;
  let done = false;
  let result = false;
  walkStmtLists(p, (list, i) => {
    if (done) return;
    if (n++ === site) {
      done = true;
      result = op(list, i);
    }
  });
  return result;
}

function declaredNameStillUsed(p: Program, name: string): boolean {
  return new RegExp(`\\b${name}\\b`).test(printProgram(p));
}

function dropStmt(p: Program, list: Stmt[], i: number): boolean {
  const s = list[i]!;
  if (s.k === "line" && s.essential) return false;
  list.splice(i, 1);
  if (s.k === "line" && s.declares && declaredNameStillUsed(p, s.declares)) return false;
  return true;
}

function flattenIf(list: Stmt[], i: number): boolean {
  const s = list[i]!;
  if (s.k !== "block" || !s.isIf) return false;
  list.splice(i, 1, ...s.body);
  return true;
}

function dropElse(list: Stmt[], i: number): boolean {
  const s = list[i]!;
  if (s.k !== "block" || !s.elseBody) return false;
  delete s.elseBody;
  return true;
}

function dropFunction(p: Program, f: number): boolean {
  const fn = p.functions[f];
  if (!fn) return false;
  p.functions.splice(f, 1);
  return !declaredNameStillUsed(p, fn.name);
}

/** Visit every expression (pre-order); `visit` may return a replacement. */
function walkExprs(p: Program, visit: (x: Expr) => Expr | undefined): void {
  const parts = (ps: (string | Expr)[]) => {
    for (let i = 0; i < ps.length; i++) {
      const q = ps[i]!;
      if (typeof q === "string") continue;
      const r = visit(q);
      if (r) ps[i] = r;
      else parts(q.parts);
    }
  };
  const stmts = (list: Stmt[]) => {
    for (const s of list) {
      if (s.k === "line") parts(s.parts);
      else {
        parts(s.head);
        stmts(s.body);
        if (s.tail) parts(s.tail);
        if (s.elseBody) stmts(s.elseBody);
      }
    }
  };
  stmts(p.globals);
  for (const f of p.functions) stmts(f.body);
  stmts(p.main);
}

function atExpr(p: Program, site: number, replace: (x: Expr) => Expr | undefined): boolean {
  let n = 0;
  let changed = false;
  walkExprs(p, (x) => {
    if (n++ !== site) return undefined;
    const r = replace(x);
    if (r) changed = true;
    return r;
  });
  return changed;
}

/** The k-th same-typed sub-expression (through wrappers). */
function childOf(x: Expr, k: number): Expr | undefined {
  const found: Expr[] = [];
  const look = (ps: (string | Expr)[]) => {
    for (const q of ps) {
      if (typeof q === "string") continue;
      if (q.ty === x.ty) found.push(q);
      else look(q.parts);
    }
  };
  look(x.parts);
  return found[k];
}

export type { Mutation };
