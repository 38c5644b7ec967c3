/**
 * JavaScript's negative zero. `-7 % 7`, `0 * -1`, `-x` for x = 0 and
 * `Math.floor(-1 / 2)`... give -0, which console.log prints as `-0`; Ion
 * integers have no sign of zero. Where the result is 0 and could be -0,
 * f_rt_negz applies JavaScript's sign rule and the value becomes the text
 * `-0` (string conversions and comparisons then treat it as 0).
 *
 * That costs four lines per operation, so it is done only where the sign can
 * be observed: a -0 that only ever reaches a template, a string
 * concatenation, String(), a comparison, a condition, an array index or
 * Math.abs looks exactly like 0. Anything else (printing, a call, a return,
 * module state, an array element, a variable used in any of these ways)
 * counts as observed.
 */
import { Node, SyntaxKind, type Symbol as TsSymbol } from "ts-morph";
import { line } from "../ion/ast.ts";
import { RETURN_VAR } from "../ion/names.ts";
import type { FnContext } from "./context.ts";
import { kindOf } from "./types.ts";

/** If `t` is 0, let f_rt_negz decide whether JavaScript's result is -0 (`rule`: mul, div, mod, add, sub, neg, floor). */
export function negZero(fx: FnContext, t: string, rule: string, a: string, b: string): void {
  const w = (x: string) => (/^-?[0-9]+$/.test(x) ? x : `"\${${x}}"`);
  fx.program.useHelper("f_rt_negz");
  fx.emit({
    kind: "if",
    branches: [{ cond: `test "\${${t}}" = 0`, body: [line(`f_rt_negz ${rule} ${w(a)} ${w(b)}`), line(`let ${t} = "\${env::${RETURN_VAR}}"`)] }],
  });
}

const observedSymbols = new WeakMap<TsSymbol, boolean>();
/** Variables being decided (a variable feeding itself, `x = x * 2`, does not make itself observed). */
const deciding = new Set<TsSymbol>();

function resolved(sym: TsSymbol | undefined): TsSymbol | undefined {
  return sym?.isAlias() ? (sym.getAliasedSymbol() ?? sym) : sym;
}

/** Could the sign of a zero produced by `node` be observed? */
export function signObserved(node: Node): boolean {
  // `x *= y` also stores its value in x.
  if (Node.isBinaryExpression(node)) {
    const op = node.getOperatorToken().getKind();
    const target = node.getLeft();
    if (op > SyntaxKind.EqualsToken && op >= SyntaxKind.FirstAssignment && op <= SyntaxKind.LastAssignment) {
      if (!Node.isIdentifier(target) || symbolObserved(resolved(target.getSymbol()))) return true;
    }
  }
  return flowsToObserver(node);
}

function flowsToObserver(node: Node): boolean {
  const parent = node.getParent();
  if (!parent) return true;
  if (Node.isParenthesizedExpression(parent) || Node.isAsExpression(parent) || Node.isNonNullExpression(parent) || Node.isSatisfiesExpression(parent)) return signObserved(parent);
  if (Node.isTemplateSpan(parent)) return false; // string conversion
  if (Node.isBinaryExpression(parent)) {
    const op = parent.getOperatorToken().getKind();
    const onRight = parent.getRight() === node;
    if (op === SyntaxKind.CommaToken) return onRight ? signObserved(parent) : false;
    if (op === SyntaxKind.EqualsToken) {
      const target = parent.getLeft();
      if (!onRight || !Node.isIdentifier(target)) return true;
      return symbolObserved(resolved(target.getSymbol())) || signObserved(parent);
    }
    if (op >= SyntaxKind.FirstAssignment && op <= SyntaxKind.LastAssignment) {
      const target = parent.getLeft();
      if (!Node.isIdentifier(target)) return true;
      return symbolObserved(resolved(target.getSymbol())) || signObserved(parent);
    }
    if (op === SyntaxKind.PlusToken && kindOf(parent.getType()) === "string") return false; // concatenation
    if (
      [
        SyntaxKind.EqualsEqualsEqualsToken,
        SyntaxKind.ExclamationEqualsEqualsToken,
        SyntaxKind.EqualsEqualsToken,
        SyntaxKind.ExclamationEqualsToken,
        SyntaxKind.LessThanToken,
        SyntaxKind.LessThanEqualsToken,
        SyntaxKind.GreaterThanToken,
        SyntaxKind.GreaterThanEqualsToken,
      ].includes(op)
    )
      return false;
    return signObserved(parent); // arithmetic and && / || pass the value on
  }
  if (Node.isPrefixUnaryExpression(parent)) return parent.getOperatorToken() === SyntaxKind.ExclamationToken ? false : signObserved(parent);
  if (Node.isConditionalExpression(parent)) return parent.getCondition() === node ? false : signObserved(parent);
  if (Node.isElementAccessExpression(parent)) return parent.getArgumentExpression() === node ? false : true;
  if (Node.isCallExpression(parent)) {
    if (parent.getExpression() === node) return true;
    const callee = parent.getExpression().getText();
    if (callee === "String" || callee === "Math.abs") return false;
    if (callee === "Number" || callee === "Math.trunc" || callee === "Math.floor" || callee === "Math.min" || callee === "Math.max") return signObserved(parent);
    if (/\.(includes|indexOf)$/.test(callee)) return false;
    return true; // console.log, program functions, runtime primitives, push
  }
  if (Node.isVariableDeclaration(parent)) {
    const name = parent.getNameNode();
    return !Node.isIdentifier(name) || symbolObserved(resolved(name.getSymbol()));
  }
  if (Node.isExpressionStatement(parent)) return false;
  if (Node.isIfStatement(parent) || Node.isWhileStatement(parent) || Node.isDoStatement(parent)) return parent.getExpression() !== node;
  if (Node.isForStatement(parent)) return parent.getCondition() !== node && parent.getIncrementor() !== node;
  if (Node.isSwitchStatement(parent) || Node.isCaseClause(parent)) return false; // compared with ===
  return true; // return, array literals, anything else
}

/**
 * Could a -0 stored in this variable be observed? A local is, when one of its
 * reads is; module-level state may be read anywhere, so it always is.
 */
function symbolObserved(sym: TsSymbol | undefined): boolean {
  if (!sym) return true;
  const known = observedSymbols.get(sym);
  if (known !== undefined) return known;
  if (deciding.has(sym)) return false;
  const decl = sym.getDeclarations()[0];
  if (!decl || !Node.isVariableDeclaration(decl)) return true;
  // A local's reads are in its function; a module variable's in its file, unless exported.
  const fn = decl.getFirstAncestor((a) => Node.isFunctionDeclaration(a));
  const exported = decl.getVariableStatement()?.isExported() ?? true;
  const scope: Node | undefined = fn ?? (exported ? undefined : decl.getSourceFile());
  if (!scope) return true;
  deciding.add(sym);
  let observed = false;
  try {
    scope.forEachDescendant((d, traversal) => {
      if (!Node.isIdentifier(d) || d === decl.getNameNode() || resolved(d.getSymbol()) !== sym) return;
      const p = d.getParent();
      // the target of a plain assignment is a write, not a read
      if (p && Node.isBinaryExpression(p) && p.getLeft() === d && p.getOperatorToken().getKind() === SyntaxKind.EqualsToken) return;
      if (signObserved(d)) {
        observed = true;
        traversal.stop();
      }
    });
  } finally {
    deciding.delete(sym);
  }
  // Decided under another variable's provisional answer: not cached.
  if (deciding.size === 0) observedSymbols.set(sym, observed);
  return observed;
}
