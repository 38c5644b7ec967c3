/**
 * Random program generator for the differential fuzzer.
 *
 * Programs stay inside the tsion subset, are well-typed and always terminate:
 *  - loops are bounded by counters the body never writes;
 *  - functions only call functions generated before them (no recursion);
 *  - numbers stay far below 2^53: stored numbers are reduced `% 10007` and
 *    multiplications only take small literal factors;
 *  - strings stay short: a string assigned from an expression that reads it
 *    is cut with `.slice(0, 40)`;
 *  - divisors and `%` operands are non-zero literals;
 *  - `===` never compares two literals, booleans are never compared with
 *    `===` (TypeScript's no-overlap errors after narrowing);
 *  - no `%` characters in strings (console.log format specifiers) and no `$`
 *    in `replace` replacements (JS replacement patterns).
 *
 * A program is kept as a small AST (statements and typed expression trees) so
 * the fuzzer can shrink it: statements removed, `if`s flattened, expressions
 * replaced by a child of the same type or a literal.
 */

export type Ty = "num" | "str" | "bool" | "strArr" | "numArr";

/** A typed expression: text pieces interleaved with sub-expressions. */
export interface Expr {
  ty: Ty;
  parts: (string | Expr)[];
  /** a literal (for the `===` rule and as shrink target) */
  lit?: boolean;
}

export type Stmt =
  | { k: "line"; parts: (string | Expr)[]; declares?: string; essential?: boolean }
  | { k: "block"; head: (string | Expr)[]; body: Stmt[]; tail?: (string | Expr)[]; elseBody?: Stmt[]; isIf?: boolean; label?: string };

export interface Program {
  globals: Stmt[];
  functions: { name: string; head: string; body: Stmt[] }[];
  main: Stmt[];
}

// ---------------------------------------------------------------- PRNG

/** mulberry32: small, fast, seedable. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------- pools

/** Hostile strings: Ion metacharacters, echo/test flags, quotes, whitespace, unicode. */
export const HOSTILE: readonly string[] = [
  "", "a", "ab", "Hello", "x y", " pad ", "$x", "${y}", "$(ls)", "@a", "@(b)", "'", "\"", "\\", "`",
  "(", ")", "{", "}", "[", "]", "{a,b}", "x{1..3}", "1..3", "#", "# c", "~", "~/x", "*", "?", ";", "a;b", "&&", "|",
  "<", ">", "-", "-n", "-e", "-h", "--help", "-ens", "-x", "\t", "\n", "a\nb", "tab\tx", "é", "café", "日本",
  "end", "let", "else", "10", "-7", "0", "=",
];
/** `replace` replacements: no `$`, which starts a JS replacement pattern. */
const REPLACEMENTS: readonly string[] = ["", "_", "X", "--", "-n", "@", "(", "\\", "'", "é", " ", "{}"];
const SEPARATORS: readonly string[] = [",", " ", "", "-", "|", "\n", "$", "@", "--", "é"];

export function strLit(s: string): string {
  return JSON.stringify(s);
}

// ---------------------------------------------------------------- generator

interface Var {
  name: string;
  ty: Ty;
  mutable: boolean;
  /** arrays may be mutated only in the scope (function) that created them */
  owner: number;
}
interface Fn {
  name: string;
  params: Ty[];
  ret: Ty | "void";
}
interface Ctx {
  vars: Var[];
  /** labels of enclosing loops, innermost last; "" = unlabelled */
  loops: string[];
  inSwitch: boolean;
  ret?: Ty | "void";
  /** scope id (function) for array mutation ownership */
  owner: number;
  depth: number;
  /** functions this code may call */
  fns: Fn[];
  /** stop generating statements that grow the program */
  budget: { stmts: number };
}

const e = (ty: Ty, ...parts: (string | Expr)[]): Expr => ({ ty, parts });
const lit = (ty: Ty, text: string): Expr => ({ ty, parts: [text], lit: true });

export class Generator {
  private n = 0;
  private scopeIds = 0;
  constructor(
    private readonly r: Rng,
    private readonly prefix = "",
  ) {}

  private fresh(base: string): string {
    return `${this.prefix}${base}${++this.n}`;
  }

  program(): Program {
    const r = this.r;
    const globals: Stmt[] = [];
    const gctx: Ctx = { vars: [], loops: [], inSwitch: false, owner: 0, depth: 0, fns: [], budget: { stmts: 1e9 } };
    // Module state: numbers and strings that functions read and write.
    for (let i = r.int(0, 2); i > 0; i--) {
      const ty = r.pick<Ty>(["num", "str", "num"]);
      const name = this.fresh("g");
      globals.push({ k: "line", parts: [`let ${name}${ann(ty)} = `, this.literal(ty), ";"], declares: name });
      gctx.vars.push({ name, ty, mutable: true, owner: -1 });
    }
    const functions: Program["functions"] = [];
    const fns: Fn[] = [];
    for (let i = r.int(0, 3); i > 0; i--) {
      const f = this.fn(gctx.vars, fns);
      functions.push(f.decl);
      fns.push(f.sig);
    }
    const main: Stmt[] = [];
    const ctx: Ctx = { ...gctx, vars: [...gctx.vars], fns, owner: ++this.scopeIds, budget: { stmts: r.int(6, 16) } };
    this.stmts(ctx, main, r.int(4, 10));
    // Always print the module state at the end so global writes are observed.
    for (const g of gctx.vars) main.push({ k: "line", parts: ["console.log(", strLit(g.name), ", ", this.varRef(g), ");"] });
    return { globals, functions, main };
  }

  private fn(globals: Var[], earlier: Fn[]): { decl: Program["functions"][number]; sig: Fn } {
    const r = this.r;
    const name = this.fresh("f");
    const params: Var[] = [];
    const owner = ++this.scopeIds;
    for (let i = r.int(0, 3); i > 0; i--) {
      params.push({ name: this.fresh("p"), ty: r.pick<Ty>(["num", "str", "bool", "num", "str", "strArr"]), mutable: true, owner: -1 });
    }
    const ret = r.pick<Ty | "void">(["num", "str", "bool", "void", "num", "str"]);
    const ctx: Ctx = {
      vars: [...globals, ...params],
      loops: [],
      inSwitch: false,
      ret,
      owner,
      depth: 0,
      fns: earlier,
      budget: { stmts: r.int(3, 9) },
    };
    const body: Stmt[] = [];
    this.stmts(ctx, body, r.int(1, 5));
    if (ret !== "void") body.push({ k: "line", parts: ["return ", this.retExpr(ctx, ret), ";"], essential: true });
    const head = `function ${name}(${params.map((p) => `${p.name}${ann(p.ty)}`).join(", ")})${ann(ret)}`;
    return { decl: { name, head, body }, sig: { name, params: params.map((p) => p.ty), ret } };
  }

  private retExpr(ctx: Ctx, ty: Ty): Expr {
    const x = this.expr(ctx, ty, 2);
    return ty === "num" ? e("num", "(", x, ") % 10007") : x;
  }

  // ------------------------------------------------------------ statements

  private stmts(ctx: Ctx, out: Stmt[], count: number): void {
    const scope: Ctx = { ...ctx, vars: [...ctx.vars] };
    for (let i = 0; i < count && scope.budget.stmts > 0; i++) {
      scope.budget.stmts--;
      this.stmt(scope, out);
    }
  }

  private stmt(ctx: Ctx, out: Stmt[]): void {
    const r = this.r;
    const nested = ctx.depth < 2;
    const roll = r.int(0, 99);
    if (roll < 18) return this.decl(ctx, out);
    if (roll < 32) return this.log(ctx, out);
    if (roll < 44) return this.assign(ctx, out);
    if (roll < 54 && nested) return this.ifStmt(ctx, out);
    if (roll < 62 && nested) return this.forStmt(ctx, out);
    if (roll < 67 && nested) return this.whileStmt(ctx, out);
    if (roll < 70 && nested) return this.doWhile(ctx, out);
    if (roll < 75 && nested) return this.forOf(ctx, out);
    if (roll < 80 && nested) return this.switchStmt(ctx, out);
    if (roll < 86) return this.arrayMutation(ctx, out);
    if (roll < 90) return this.callStmt(ctx, out);
    if (roll < 95 && ctx.loops.length > 0) return this.jump(ctx, out);
    if (roll < 98 && ctx.ret !== undefined && ctx.depth > 0) {
      // early return, guarded so the rest of the block stays reachable
      const ret = ctx.ret;
      const parts: (string | Expr)[] = ret === "void" ? ["return;"] : ["return ", this.retExpr(ctx, ret), ";"];
      out.push({ k: "block", head: ["if (", this.cond(ctx, 2), ") {"], body: [{ k: "line", parts }], isIf: true });
      return;
    }
    return this.log(ctx, out);
  }

  private decl(ctx: Ctx, out: Stmt[]): void {
    const r = this.r;
    const ty = r.pick<Ty>(["num", "str", "bool", "num", "str", "strArr", "numArr"]);
    const name = this.fresh("v");
    const mutable = r.chance(0.7);
    let init: Expr;
    if (ty === "strArr" || ty === "numArr") {
      // literal or split(): arrays the scope owns and may mutate
      if (ty === "strArr" && r.chance(0.4)) init = e("strArr", paren(this.expr(ctx, "str", 1)), ".split(", strLit(r.pick(SEPARATORS)), ")");
      else {
        const k = r.int(1, 4);
        const items: (string | Expr)[] = ["["];
        for (let i = 0; i < k; i++) items.push(...(i ? [", "] : []), this.expr(ctx, ty === "strArr" ? "str" : "num", 1));
        items.push("]");
        init = e(ty, ...items);
      }
    } else init = ty === "num" ? e("num", "(", this.expr(ctx, "num", 2), ") % 10007") : this.expr(ctx, ty, 2);
    const kw = mutable || ty === "strArr" || ty === "numArr" ? "let" : "const";
    out.push({ k: "line", parts: [`${kw} ${name}${ann(ty)} = `, init, ";"], declares: name });
    ctx.vars.push({ name, ty, mutable: kw === "let", owner: ctx.owner });
  }

  private log(ctx: Ctx, out: Stmt[]): void {
    const r = this.r;
    const args: (string | Expr)[] = [];
    const n = r.pick([0, 1, 1, 1, 2, 2, 3]);
    for (let i = 0; i < n; i++) {
      if (i) args.push(", ");
      args.push(this.expr(ctx, r.pick<Ty>(["num", "str", "bool", "str", "num"]), 2));
    }
    const fn = r.chance(0.08) ? "console.error" : "console.log";
    out.push({ k: "line", parts: [`${fn}(`, ...args, ");"] });
  }

  private assign(ctx: Ctx, out: Stmt[]): void {
    const r = this.r;
    const targets = ctx.vars.filter((v) => v.mutable && (v.ty === "num" || v.ty === "str" || v.ty === "bool"));
    if (targets.length === 0) return this.decl(ctx, out);
    const v = r.pick(targets);
    if (v.ty === "num") {
      const form = r.int(0, 5);
      if (form === 0) out.push({ k: "line", parts: [`${v.name}++;`] });
      else if (form === 1) out.push({ k: "line", parts: [`--${v.name};`] });
      else if (form === 2) out.push({ k: "line", parts: [`${v.name} ${r.pick(["+=", "-="])} `, this.smallNum(ctx), ";"] });
      else if (form === 3) out.push({ k: "line", parts: [`${v.name} %= ${this.nonZero()};`] });
      else out.push({ k: "line", parts: [`${v.name} = (`, this.expr(ctx, "num", 2), ") % 10007;"] });
    } else if (v.ty === "str") {
      const x = this.expr(ctx, "str", 2);
      if (r.chance(0.4)) out.push({ k: "line", parts: [`${v.name} += `, this.expr(ctx, r.pick<Ty>(["str", "num"]), 1), ";"] });
      else out.push({ k: "line", parts: [`${v.name} = (`, x, ").slice(0, 40);"] });
      // keep strings short even under += in loops
      if (ctx.loops.length > 0) out.push({ k: "line", parts: [`${v.name} = ${v.name}.slice(-30);`] });
    } else out.push({ k: "line", parts: [`${v.name} = `, this.expr(ctx, "bool", 2), ";"] });
  }

  private arrayMutation(ctx: Ctx, out: Stmt[]): void {
    const r = this.r;
    const owned = ctx.vars.filter((v) => (v.ty === "strArr" || v.ty === "numArr") && v.owner === ctx.owner && v.mutable);
    if (owned.length === 0) return this.decl(ctx, out);
    const a = r.pick(owned);
    const elem: Ty = a.ty === "strArr" ? "str" : "num";
    const form = r.int(0, 3);
    if (form === 0 && ctx.loops.length < 2) out.push({ k: "line", parts: [`${a.name}.push(`, this.expr(ctx, elem, 2), ");"] });
    else if (form === 1 && a.ty === "strArr") out.push({ k: "line", parts: [`${a.name}.sort();`] });
    else {
      // index writes stay in range: arrays never shrink and start non-empty, or are guarded
      const idx = r.chance(0.5) ? "0" : `${a.name}.length - 1`;
      const val = elem === "num" ? e("num", "(", this.expr(ctx, "num", 2), ") % 10007") : e("str", "(", this.expr(ctx, "str", 2), ").slice(0, 20)");
      out.push({ k: "block", head: [`if (${a.name}.length > 0) {`], isIf: true, body: [{ k: "line", parts: [`${a.name}[${idx}] = `, val, ";"] }] });
    }
  }

  private callStmt(ctx: Ctx, out: Stmt[]): void {
    const voids = ctx.fns;
    if (voids.length === 0) return this.log(ctx, out);
    const f = this.r.pick(voids);
    out.push({ k: "line", parts: [this.call(ctx, f, 1), ";"] });
  }

  private jump(ctx: Ctx, out: Stmt[]): void {
    const r = this.r;
    const labels = ctx.loops.filter((l) => l !== "");
    let target = "";
    if (labels.length > 0 && r.chance(0.4)) target = " " + r.pick(labels);
    // a bare `break` inside a switch leaves the switch, not the loop; both are valid
    const kw = r.chance(0.5) ? "break" : "continue";
    out.push({ k: "block", head: ["if (", this.cond(ctx, 2), ") {"], isIf: true, body: [{ k: "line", parts: [`${kw}${target};`] }] });
  }

  private inner(ctx: Ctx, extra: Partial<Ctx> = {}): Ctx {
    return { ...ctx, vars: [...ctx.vars], depth: ctx.depth + 1, ...extra };
  }

  private body(ctx: Ctx, count = this.r.int(1, 3)): Stmt[] {
    const out: Stmt[] = [];
    this.stmts(ctx, out, count);
    return out;
  }

  private ifStmt(ctx: Ctx, out: Stmt[]): void {
    const r = this.r;
    const s: Stmt = { k: "block", isIf: true, head: ["if (", this.cond(ctx, 2), ") {"], body: this.body(this.inner(ctx)) };
    if (r.chance(0.5)) {
      if (r.chance(0.4)) {
        // else if chain
        const nestedIf: Stmt = { k: "block", isIf: true, head: ["if (", this.cond(ctx, 2), ") {"], body: this.body(this.inner(ctx)) };
        if (r.chance(0.5)) nestedIf.elseBody = this.body(this.inner(ctx));
        s.elseBody = [nestedIf];
      } else s.elseBody = this.body(this.inner(ctx));
    }
    out.push(s);
  }

  private label(): string {
    return this.r.chance(0.3) ? this.fresh("L") : "";
  }

  private forStmt(ctx: Ctx, out: Stmt[]): void {
    const r = this.r;
    const i = this.fresh("i");
    const label = this.label();
    const inner = this.inner(ctx, { loops: [...ctx.loops, label], inSwitch: false });
    inner.vars.push({ name: i, ty: "num", mutable: false, owner: ctx.owner });
    const up = r.chance(0.7);
    const lo = r.int(-3, 2);
    const n = r.int(0, 4);
    const head = up
      ? `for (let ${i} = ${lo}; ${i} < ${lo + n}; ${r.chance(0.5) ? `${i}++` : `${i} += 1`}) {`
      : `for (let ${i} = ${lo + n}; ${i} > ${lo}; ${i}--) {`;
    out.push({ k: "block", head: [head], body: this.body(inner), label });
  }

  private whileStmt(ctx: Ctx, out: Stmt[]): void {
    const r = this.r;
    const w = this.fresh("w");
    const label = this.label();
    out.push({ k: "line", parts: [`let ${w} = 0;`], declares: w, essential: true });
    const inner = this.inner(ctx, { loops: [...ctx.loops, label], inSwitch: false });
    inner.vars.push({ name: w, ty: "num", mutable: false, owner: ctx.owner });
    const body: Stmt[] = [{ k: "line", parts: [`${w}++;`], essential: true }, ...this.body(inner)];
    const cond = r.chance(0.5) ? `${w} < ${r.int(0, 4)}` : `${w} < ${r.int(0, 4)} && ${w} !== ${r.int(2, 9)}`;
    out.push({ k: "block", head: [`while (${cond}) {`], body, label });
    ctx.vars.push({ name: w, ty: "num", mutable: false, owner: ctx.owner });
  }

  private doWhile(ctx: Ctx, out: Stmt[]): void {
    const r = this.r;
    const d = this.fresh("d");
    const label = this.label();
    out.push({ k: "line", parts: [`let ${d} = 0;`], declares: d, essential: true });
    const inner = this.inner(ctx, { loops: [...ctx.loops, label], inSwitch: false });
    inner.vars.push({ name: d, ty: "num", mutable: false, owner: ctx.owner });
    const body: Stmt[] = [{ k: "line", parts: [`${d}++;`], essential: true }, ...this.body(inner)];
    out.push({ k: "block", head: ["do {"], body, tail: [`} while (${d} < ${r.int(0, 3)});`], label });
    ctx.vars.push({ name: d, ty: "num", mutable: false, owner: ctx.owner });
  }

  private forOf(ctx: Ctx, out: Stmt[]): void {
    const r = this.r;
    const x = this.fresh("x");
    const label = this.label();
    const ty: Ty = r.chance(0.6) ? "strArr" : "numArr";
    const inner = this.inner(ctx, { loops: [...ctx.loops, label], inSwitch: false });
    inner.vars.push({ name: x, ty: ty === "strArr" ? "str" : "num", mutable: false, owner: ctx.owner });
    // iterate a copy-free expression; the body never mutates the array it walks
    const arr = this.expr({ ...ctx, vars: ctx.vars }, ty, 1);
    const body = this.body({ ...inner, owner: inner.owner });
    out.push({ k: "block", head: [`for (const ${x} of `, arr, ") {"], body: withoutMutationOf(body, arr), label });
  }

  private switchStmt(ctx: Ctx, out: Stmt[]): void {
    const r = this.r;
    const onStr = r.chance(0.5);
    let subject = this.expr(ctx, onStr ? "str" : "num", 1);
    // a literal or narrowed subject makes TypeScript reject the other case labels as not comparable
    if (narrowable(subject)) subject = widen(subject);
    const values = onStr ? ["", "a", "-n", "$x", "ab", "é", "10"] : ["0", "1", "2", "-1", "3", "10"];
    const chosen = new Set<string>();
    const cases: { label: string; body: Stmt[] }[] = [];
    const k = r.int(1, 4);
    const defaultAt = r.chance(0.6) ? r.int(0, k) : -1;
    for (let i = 0; i <= k; i++) {
      if (i === defaultAt) cases.push(this.switchCase(ctx, "default:"));
      if (i === k) break;
      const v = r.pick(values);
      if (chosen.has(v)) continue;
      chosen.add(v);
      cases.push(this.switchCase(ctx, `case ${onStr ? strLit(v) : v}:`));
    }
    const blockHead: Stmt = { k: "block", head: ["switch (", subject, ") {"], body: [] };
    // cases are encoded as pseudo statements so they print and shrink like blocks
    blockHead.body = cases.map((c) => ({ k: "block", head: [c.label], body: c.body, tail: [] }) as Stmt);
    out.push(blockHead);
  }

  private switchCase(ctx: Ctx, label: string): { label: string; body: Stmt[] } {
    const inner = this.inner(ctx, { inSwitch: true });
    const body = this.body(inner, this.r.int(0, 2));
    const end = this.r.int(0, 3);
    // fall-through (none), break, or break inside a nested if
    if (end === 1 || end === 2) body.push({ k: "line", parts: ["break;"] });
    if (end === 3) body.push({ k: "block", isIf: true, head: ["if (", this.cond(ctx, 1), ") {"], body: [{ k: "line", parts: ["break;"] }] });
    // wrap in braces so case-local declarations stay local
    return { label, body: [{ k: "block", head: ["{"], body, isIf: false }] };
  }

  // ------------------------------------------------------------ expressions

  private literal(ty: Ty): Expr {
    const r = this.r;
    switch (ty) {
      case "num":
        return lit("num", String(r.chance(0.85) ? r.int(-12, 12) : r.int(-1000, 1000)));
      case "str":
        return lit("str", strLit(r.pick(HOSTILE)));
      case "bool":
        return lit("bool", r.chance(0.5) ? "true" : "false");
      case "strArr":
        return lit("strArr", `[${[strLit(r.pick(HOSTILE)), strLit(r.pick(HOSTILE))].join(", ")}]`);
      case "numArr":
        return lit("numArr", `[${r.int(-5, 5)}, ${r.int(-5, 5)}]`);
    }
  }

  private nonZero(): string {
    const v = this.r.int(1, 7);
    return String(this.r.chance(0.3) ? -v : v);
  }

  private smallNum(ctx: Ctx): Expr {
    return this.r.chance(0.5) ? this.literal("num") : this.expr(ctx, "num", 1);
  }

  private varRef(v: Var): Expr {
    return { ty: v.ty, parts: [v.name] };
  }

  private call(ctx: Ctx, f: Fn, depth: number): Expr {
    const parts: (string | Expr)[] = [`${f.name}(`];
    f.params.forEach((p, i) => {
      if (i) parts.push(", ");
      parts.push(this.expr(ctx, p, depth - 1));
    });
    parts.push(")");
    return { ty: f.ret === "void" ? "num" : f.ret, parts };
  }

  expr(ctx: Ctx, ty: Ty, depth: number): Expr {
    const r = this.r;
    const vars = ctx.vars.filter((v) => v.ty === ty);
    if (depth <= 0 || r.chance(0.25)) {
      if (vars.length > 0 && r.chance(0.6)) return this.varRef(r.pick(vars));
      return this.literal(ty);
    }
    const calls = ctx.fns.filter((f) => f.ret === ty);
    if (calls.length > 0 && r.chance(0.12)) return this.call(ctx, r.pick(calls), depth);
    const d = depth - 1;
    // operands are parenthesised unless atomic, so the printed text has the tree's grouping
    const sub = (t: Ty) => paren(this.expr(ctx, t, d));
    switch (ty) {
      case "num": {
        const roll = r.int(0, 19);
        if (roll < 3) return e("num", sub("num"), " + ", sub("num"));
        if (roll < 5) return e("num", sub("num"), " - ", sub("num"));
        if (roll < 6) {
          const k = r.int(-6, 6);
          return e("num", sub("num"), " * ", k < 0 ? `(${k})` : String(k));
        }
        if (roll < 7) return e("num", "-(", this.expr(ctx, "num", d), ")");
        if (roll < 8) return e("num", `Math.${r.pick(["trunc", "floor"])}(`, sub("num"), ` / ${this.nonZero()})`);
        if (roll < 9) return e("num", sub("num"), ` % ${this.nonZero()}`);
        if (roll < 11) return e("num", sub("str"), ".length");
        if (roll < 12) return e("num", sub(r.pick<Ty>(["strArr", "numArr"])), ".length");
        if (roll < 13) return e("num", sub("str"), ".indexOf(", this.expr(ctx, "str", d), ")");
        if (roll < 14) return e("num", sub("strArr"), ".indexOf(", this.expr(ctx, "str", d), ")");
        if (roll < 15) {
          const x = this.expr(ctx, "num", d);
          return r.chance(0.5) ? e("num", "Number(String(", x, "))") : e("num", "parseInt(String(", x, "), 10)");
        }
        if (roll < 16) return e("num", "(", sub("bool"), " ? ", sub("num"), " : ", sub("num"), ")");
        if (roll < 17) {
          const a = sub("numArr");
          return e("num", "(", a, ".length > 0 ? ", a, "[0] : 0)");
        }
        if (roll < 18) {
          const mutable = ctx.vars.filter((v) => v.ty === "num" && v.mutable);
          if (mutable.length > 0) {
            const v = r.pick(mutable).name;
            return { ty: "num", parts: [r.pick([`${v}++`, `++${v}`, `${v}--`, `--${v}`])] };
          }
        }
        return this.literal("num");
      }
      case "str": {
        const roll = r.int(0, 19);
        if (roll < 3) return e("str", sub("str"), " + ", sub(r.pick<Ty>(["str", "num"])));
        if (roll < 5)
          return e("str", "`", ...templateParts(this.expr(ctx, "str", d), this.expr(ctx, r.pick<Ty>(["num", "bool", "str"]), d), r.pick(HOSTILE)), "`");
        if (roll < 6) return e("str", sub("str"), `.slice(${r.int(-4, 4)}${r.chance(0.5) ? `, ${r.int(-4, 6)}` : ""})`);
        if (roll < 7) return e("str", sub("str"), ".trim()");
        if (roll < 8) return e("str", sub("str"), `.${r.pick(["toUpperCase", "toLowerCase"])}()`);
        if (roll < 10)
          return e("str", sub("str"), `.${r.pick(["replace", "replaceAll"])}(`, this.expr(ctx, "str", d), `, ${strLit(r.pick(REPLACEMENTS))})`);
        if (roll < 11) return e("str", "String(", this.expr(ctx, "num", d), ")");
        if (roll < 12) return e("str", sub(r.pick<Ty>(["strArr", "numArr"])), `.join(${strLit(r.pick(SEPARATORS))})`);
        if (roll < 13) return e("str", "(", sub("bool"), " ? ", sub("str"), " : ", sub("str"), ")");
        if (roll < 14) {
          const a = sub("strArr");
          return e("str", "(", a, ".length > 0 ? ", a, `[${r.chance(0.5) ? "0" : `${printExpr(a)}.length - 1`}] : "")`);
        }
        if (roll < 15) return e("str", sub("num"), ' + ""');
        return vars.length > 0 ? this.varRef(r.pick(vars)) : this.literal("str");
      }
      case "bool": {
        const roll = r.int(0, 13);
        if (roll < 3) return this.numCompare(ctx, d);
        if (roll < 5) {
          const a = sub("str");
          let b = sub("str");
          if (narrowable(a) && narrowable(b)) b = widen(b);
          return e("bool", a, r.pick([" === ", " !== "]), b);
        }
        // a literal left operand makes the right one unreachable code for TypeScript
        if (roll < 6) return e("bool", nonConst(sub("bool")), " && ", sub("bool"));
        if (roll < 7) return e("bool", nonConst(sub("bool")), " || ", sub("bool"));
        if (roll < 8) return e("bool", "!", sub("bool"));
        if (roll < 10) return e("bool", sub("str"), `.${r.pick(["includes", "startsWith", "endsWith"])}(`, this.expr(ctx, "str", d), ")");
        if (roll < 11) return e("bool", sub("strArr"), ".includes(", this.expr(ctx, "str", d), ")");
        if (roll < 12) return e("bool", sub("numArr"), ".includes(", this.expr(ctx, "num", d), ")");
        if (roll < 13) return e("bool", "(", sub("bool"), " ? ", sub("bool"), " : ", sub("bool"), ")");
        return vars.length > 0 ? this.varRef(r.pick(vars)) : this.literal("bool");
      }
      case "strArr": {
        if (r.chance(0.4)) return e("strArr", sub("str"), `.split(${strLit(r.pick(SEPARATORS))})`);
        if (vars.length > 0 && r.chance(0.7)) return this.varRef(r.pick(vars));
        return this.literal("strArr");
      }
      case "numArr":
        if (vars.length > 0 && r.chance(0.7)) return this.varRef(r.pick(vars));
        return this.literal("numArr");
    }
  }

  /** A condition TypeScript does not see as constant (`if (false)` is unreachable code to it). */
  private cond(ctx: Ctx, depth: number): Expr {
    return nonConst(this.expr(ctx, "bool", depth));
  }

  private numCompare(ctx: Ctx, d: number): Expr {
    const a = paren(this.expr(ctx, "num", d));
    let b = paren(this.expr(ctx, "num", d));
    const op = this.r.pick([" < ", " <= ", " > ", " >= ", " === ", " !== "]);
    if (narrowable(a) && narrowable(b) && (op === " === " || op === " !== ")) b = widen(b);
    return e("bool", a, op, b);
  }
}

/**
 * True when TypeScript gives the expression a literal type (literals, and
 * templates / ternaries / parentheses built only from them): comparing two
 * such expressions with disjoint types is a TS error.
 */
export function literalTyped(x: Expr): boolean {
  if (x.lit) return true;
  const p = x.parts;
  const subs = p.filter((q): q is Expr => typeof q !== "string");
  if (p[0] === "`") return subs.every(literalTyped);
  if (p.length === 3 && p[0] === "(" && p[2] === ")") return literalTyped(p[1] as Expr);
  if (p[0] === "(" && p[2] === " ? ") return literalTyped(p[3] as Expr) && literalTyped(p[5] as Expr);
  return false;
}

/**
 * True when TypeScript may give the expression a narrowed (literal) type:
 * literal-typed expressions and plain variable references, which `===`
 * checks and `switch` cases narrow. Comparing two of them can be a
 * "no overlap" error, so one side is widened first (`+ ""`, `+ 0`).
 */
export function narrowable(x: Expr): boolean {
  if (literalTyped(x)) return true;
  const p = x.parts;
  if (p.length === 1 && typeof p[0] === "string") return /^[A-Za-z_]\w*$/.test(p[0]);
  if (p.length === 3 && p[0] === "(" && p[2] === ")") return narrowable(p[1] as Expr);
  if (p[0] === "(" && p[2] === " ? ") return narrowable(p[3] as Expr) && narrowable(p[5] as Expr);
  return false;
}

/** The same value with a non-literal, non-narrowed type. */
export function widen(x: Expr): Expr {
  return { ty: x.ty, parts: ["(", x, x.ty === "num" ? " + 0)" : ' + "")'] };
}

function nonConst(x: Expr): Expr {
  return x.lit ? { ty: "bool", parts: ["!!", x] } : x;
}

/** Wrap a non-atomic expression in parentheses (keeps literal-ness for the `===` rule). */
function paren(x: Expr): Expr {
  if (x.parts.length === 1) return x;
  const first = x.parts[0];
  const last = x.parts[x.parts.length - 1];
  if (first === "(" && last === ")") return x;
  return { ty: x.ty, parts: ["(", x, ")"], lit: x.lit };
}

/** `${a}LIT${b}` with the literal escaped for a template. */
function templateParts(a: Expr, b: Expr, text: string): (string | Expr)[] {
  const escaped = text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
  return ["${", a, "}", escaped, "${", b, "}"];
}

/**
 * Type annotations are wrapped in TYPE_MARK so the printer can emit either
 * TypeScript (marks dropped) or plain JavaScript (annotations dropped) for the
 * in-process Node oracle, which is far faster than transpiling every program.
 */
const TYPE_MARK = "\u0000";
function tsType(ty: Ty): string {
  return { num: "number", str: "string", bool: "boolean", strArr: "string[]", numArr: "number[]" }[ty];
}
export function ann(ty: Ty | "void"): string {
  return `${TYPE_MARK}: ${ty === "void" ? "void" : tsType(ty)}${TYPE_MARK}`;
}
function finish(text: string, lang: "ts" | "js"): string {
  return lang === "ts" ? text.split(TYPE_MARK).join("") : text.replace(/\u0000[^\u0000]*\u0000/g, "");
}

/** for...of bodies must not mutate the walked array: drop such statements. */
function withoutMutationOf(body: Stmt[], arr: Expr): Stmt[] {
  const name = arr.parts.length === 1 && typeof arr.parts[0] === "string" ? arr.parts[0] : undefined;
  if (!name) return body;
  const touches = (s: Stmt): boolean => printStmts([s], 0).includes(`${name}.push(`) || printStmts([s], 0).includes(`${name}.sort(`) || printStmts([s], 0).includes(`${name}[`);
  return body.filter((s) => !touches(s));
}

// ---------------------------------------------------------------- printing

export function printExpr(x: Expr): string {
  return x.parts.map((p) => (typeof p === "string" ? p : printExpr(p))).join("");
}

function printParts(parts: (string | Expr)[]): string {
  return parts.map((p) => (typeof p === "string" ? p : printExpr(p))).join("");
}

export function printStmts(stmts: Stmt[], indent: number): string {
  const pad = "  ".repeat(indent);
  let out = "";
  for (const s of stmts) {
    if (s.k === "line") {
      out += pad + printParts(s.parts) + "\n";
      continue;
    }
    const head = printParts(s.head);
    out += pad + (s.label ? `${s.label}: ` : "") + head + "\n";
    out += printStmts(s.body, indent + 1);
    if (s.tail !== undefined) {
      // do...while tail, or switch cases (empty tail)
      if (s.tail.length > 0) out += pad + printParts(s.tail) + "\n";
    } else if (s.elseBody) {
      if (s.elseBody.length === 1 && s.elseBody[0]!.k === "block" && s.elseBody[0]!.isIf) {
        out += pad + "} else " + printStmts(s.elseBody, indent).trimStart();
      } else {
        out += pad + "} else {\n" + printStmts(s.elseBody, indent + 1) + pad + "}\n";
      }
    } else out += pad + "}\n";
  }
  return out;
}

export function printProgram(p: Program, lang: "ts" | "js" = "ts"): string {
  let out = "";
  out += printStmts(p.globals, 0);
  for (const f of p.functions) out += `${f.head} {\n${printStmts(f.body, 1)}}\n`;
  out += printStmts(p.main, 0);
  return finish(out, lang);
}

/** One program from a seed (the fuzzer's unit of reproduction). */
export function generateProgram(seed: number, prefix = ""): Program {
  return new Generator(new Rng(seed), prefix).program();
}
