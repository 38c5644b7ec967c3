/**
 * Conditions: a TypeScript condition becomes Ion commands whose status is 0
 * when it is truthy, joined with `&&` / `||` where that keeps JavaScript's
 * meaning, so `if (a > 0 && !done)` is `if test "${l_a}" -gt 0 && not test
 * "${l_done}" = true` with no temporary.
 *
 * Ion runs `&&` and `||` left to right with equal precedence
 * (cond_not_and_or_chains): `A && B || C` is `(A && B) || C`. A chain is
 * therefore kept left-deep: `L op R` joins only when R is one command, and
 * only when R needs no statements before it (they would run even when
 * JavaScript skips R). Otherwise the value goes through a flag, with R's
 * statements inside the branch where JavaScript evaluates it. Negation is
 * De Morgan's: each command negated (`not`), `&&` and `||` swapped, which
 * keeps a chain left-deep.
 */
import { Node, SyntaxKind, type BinaryExpression, type CallExpression, type Expression } from "ts-morph";
import { line, type IonStmt } from "../ion/ast.ts";
import { envWord, RETURN_VAR } from "../ion/names.ts";
import { lowerCallCond, lowerOperands } from "./calls.ts";
import { type FnContext, litVal, type ScalarVal, varVal } from "./context.ts";
import { lowerScalar, requireKind, xWord } from "./expressions.ts";
import { isArrayKind } from "./types.ts";

/** Commands joined left to right: `first op1 a1 op2 a2 …`. */
export interface Cond {
  first: string;
  rest: { op: "&&" | "||"; atom: string }[];
}

export const atom = (command: string): Cond => ({ first: command, rest: [] });

function negateAtom(a: string): string {
  return a.startsWith("not ") ? a.slice(4) : `not ${a}`;
}

/** The negated condition (De Morgan). */
export function negate(c: Cond): Cond {
  return { first: negateAtom(c.first), rest: c.rest.map((r) => ({ op: r.op === "&&" ? "||" : "&&", atom: negateAtom(r.atom) })) };
}

/** The condition as an `if` condition. */
export function condText(c: Cond): string {
  return [c.first, ...c.rest.map((r) => `${r.op} ${r.atom}`)].join(" ");
}

/** The condition as a `while` condition: a plain pipeline, which may not start with `not`. */
export function whileText(c: Cond): string {
  return c.first.startsWith("not ") ? `true && ${condText(c)}` : condText(c);
}

/** Always true (`while true`). */
export const isTrue = (c: Cond): boolean => c.rest.length === 0 && c.first === "true";

const EQUALITY = new Set([SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken, SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsToken]);
const ORDER: Partial<Record<SyntaxKind, string>> = {
  [SyntaxKind.LessThanToken]: "-lt",
  [SyntaxKind.LessThanEqualsToken]: "-le",
  [SyntaxKind.GreaterThanToken]: "-gt",
  [SyntaxKind.GreaterThanEqualsToken]: "-ge",
};

/** Is this operator a comparison (its value a boolean)? */
export const isComparison = (op: SyntaxKind): boolean => EQUALITY.has(op) || ORDER[op] !== undefined;

/** A scalar's truthiness as one command. */
export function truthy(fx: FnContext, v: ScalarVal): Cond {
  switch (v.kind) {
    case "number":
      return atom(`test ${v.word} -ne 0`);
    case "string":
      return atom(`not test ${xWord(fx, v)} = x`);
    default:
      return atom(`test ${v.word} = true`);
  }
}

/**
 * A boolean value from a condition: `let t = false`, then `COND && let t =
 * true` (a chain is left-deep, so the `&&` applies to all of it; a flag
 * already is a boolean).
 */
export function boolValue(fx: FnContext, c: Cond): ScalarVal {
  const flag = c.rest.length === 0 ? /^test "\$\{(t_\d+)\}" = true$/.exec(c.first) : null;
  if (flag) return varVal("boolean", flag[1]);
  if (isTrue(c)) return litVal("boolean", "true");
  const t = fx.temp();
  fx.emitLine(`let ${t} = false`);
  fx.emitLine(`${condText(c)} && let ${t} = true`);
  return varVal("boolean", t);
}

/**
 * The Ion condition for `expr`. Statements needed before it (calls,
 * temporaries) are emitted into the current block.
 */
export function lowerCond(fx: FnContext, expr: Expression): Cond {
  if (Node.isParenthesizedExpression(expr)) return lowerCond(fx, expr.getExpression());
  if (expr.getKind() === SyntaxKind.TrueKeyword) return atom("true");
  if (Node.isPrefixUnaryExpression(expr) && expr.getOperatorToken() === SyntaxKind.ExclamationToken) return negate(lowerCond(fx, expr.getOperand()));
  if (Node.isBinaryExpression(expr)) {
    const op = expr.getOperatorToken().getKind();
    if (op === SyntaxKind.AmpersandAmpersandToken || op === SyntaxKind.BarBarToken) return logicalCond(fx, expr, op === SyntaxKind.AmpersandAmpersandToken ? "&&" : "||");
    if (isComparison(op)) return comparison(fx, expr, op);
  }
  if (Node.isCallExpression(expr)) {
    // Calls whose boolean result is a status (program functions, runtime
    // primitives, built-ins): the call itself is the command.
    const c = lowerCallCond(fx, expr as CallExpression);
    if (c) return c;
  }
  return truthy(fx, lowerScalar(fx, expr));
}

/** The operands of `a op b op c …` (parentheses and the same operator on either side flattened: && and || are associative). */
function chainOperands(e: Expression, op: SyntaxKind): Expression[] {
  while (Node.isParenthesizedExpression(e)) e = e.getExpression();
  if (Node.isBinaryExpression(e) && e.getOperatorToken().getKind() === op) return [...chainOperands(e.getLeft(), op), ...chainOperands(e.getRight(), op)];
  return [e];
}

/**
 * `a && b && …` / `a || b || …` as a condition (only truthiness matters).
 * Operands that need no statements join the chain; from the first one that
 * does, a single flag holds the result, each later operand's statements
 * inside the branch where JavaScript evaluates it.
 */
function logicalCond(fx: FnContext, expr: BinaryExpression, op: "&&" | "||"): Cond {
  const kind = op === "&&" ? SyntaxKind.AmpersandAmpersandToken : SyntaxKind.BarBarToken;
  const parts = chainOperands(expr, kind).map((o) => {
    let c: Cond = atom("true");
    const pre = fx.block(() => {
      c = lowerCond(fx, o);
    });
    return { pre, c };
  });
  fx.emitCollected(parts[0].pre);
  const groups = [{ pre: [] as IonStmt[], c: parts[0].c }];
  for (const p of parts.slice(1)) {
    const last = groups[groups.length - 1];
    if (p.pre.length === 0 && p.c.rest.length === 0) last.c = { first: last.c.first, rest: [...last.c.rest, { op, atom: p.c.first }] };
    else groups.push(p);
  }
  if (groups.length === 1) return groups[0].c;
  const and = op === "&&";
  const t = fx.temp();
  fx.emitLine(`let ${t} = ${and ? "false" : "true"}`);
  let body: IonStmt[] = [line(`let ${t} = ${and ? "true" : "false"}`)];
  for (let g = groups.length - 1; g >= 0; g--) {
    body = [...groups[g].pre, { kind: "if", branches: [{ cond: condText(and ? groups[g].c : negate(groups[g].c)), body }] }];
  }
  fx.emit(...body);
  return atom(`test "\${${t}}" = true`);
}

/** A comparison as one command. */
function comparison(fx: FnContext, expr: BinaryExpression, op: SyntaxKind): Cond {
  const lk = requireKind(fx, expr.getLeft());
  const rk = requireKind(fx, expr.getRight());
  if (isArrayKind(lk) || isArrayKind(rk)) {
    fx.program.report(expr, "UnsupportedSyntax", "Arrays cannot be compared.");
    return atom("true");
  }
  if (lk !== rk && (op === SyntaxKind.EqualsEqualsToken || op === SyntaxKind.ExclamationEqualsToken)) {
    fx.program.report(expr, "UnsupportedSyntax", "Loose equality between different types is not supported; use ===.");
  }
  const [l, r] = lowerOperands(fx, [expr.getLeft(), expr.getRight()]) as ScalarVal[];
  if (EQUALITY.has(op)) {
    const negated = op === SyntaxKind.ExclamationEqualsEqualsToken || op === SyntaxKind.ExclamationEqualsToken;
    // The `x` prefix keeps a value such as `-n` or `-h` from selecting test's flag form.
    const c = lk === "number" && rk === "number" ? `test ${l.word} -eq ${r.word}` : `test ${xWord(fx, l)} = ${xWord(fx, r)}`;
    return atom(negated ? `not ${c}` : c);
  }
  if (lk === "number") return atom(`test ${l.word} ${ORDER[op]} ${r.word}`);
  // Strings: code point order via the prelude.
  const h = fx.program.useHelper("f_rt_strcmp");
  fx.emitLine(`${h} ${l.word} ${r.word}`);
  return atom(`test ${envWord(RETURN_VAR)} ${ORDER[op]} 0`);
}
