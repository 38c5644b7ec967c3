/**
 * JavaScript's negative zero. `-7 % 7`, `0 * -1`, `-x` for x = 0 and
 * `Math.floor(-1 / 2)`... give -0, which console.log prints as `-0`; Ion
 * integers have no sign of zero. Where the result is 0 and could be -0,
 * f_rt_negz applies JavaScript's sign rule and the value becomes the text
 * `-0` (string conversions and comparisons then treat it as 0).
 *
 * That costs four lines per operation, so it is done only where the sign can
 * be observed. In this subset only console.log / console.error show it
 * (util.format prints -0 for a number argument, `%d` and `%s`); everything
 * else a number can reach treats -0 as 0: string conversion (templates,
 * concatenation, String(), join(), sort()), comparisons and switch (===),
 * includes / indexOf, conditions and truthiness, array indexes, slice(),
 * Math.abs, the runtime's arguments (strings, or exit's status and sleep's
 * seconds), a divisor (a zero divisor stops the script on both signs). The
 * value carries the sign through arithmetic, Number(), Math.trunc / floor /
 * min / max, ?: and the comma operator, variables (every read is followed),
 * parameters (followed into the function), return values (followed to every
 * call site), and module state (followed to every read in the program). An
 * array element counts as observed.
 */
import { Node, SyntaxKind, type CallExpression, type FunctionDeclaration, type SourceFile, type Symbol as TsSymbol } from "ts-morph";
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

function resolved(sym: TsSymbol | undefined): TsSymbol | undefined {
  return sym?.isAlias() ? (sym.getAliasedSymbol() ?? sym) : sym;
}

/** Answers per variable symbol or function, decided once (see `decide`). */
const decided = new WeakMap<object, boolean>();
/** Questions being decided (a variable feeding itself, `x = x * 2`, or recursion, does not make itself observed). */
const deciding = new Set<object>();

/**
 * Whether something (`key`: a symbol, or a function whose result is in
 * question) reaches an observer. Reachability: a question already being
 * decided answers false for now, the other paths decide; an answer that
 * depended on such a provisional one is not kept.
 */
function decide(key: object, compute: () => boolean): boolean {
  const known = decided.get(key);
  if (known !== undefined) return known;
  if (deciding.has(key)) return false;
  deciding.add(key);
  let observed = false;
  try {
    observed = compute();
  } finally {
    deciding.delete(key);
  }
  if (deciding.size === 0) decided.set(key, observed);
  return observed;
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
    if (/\.(includes|indexOf|slice)$/.test(callee)) return false;
    const fn = programFunction(parent);
    if (fn) {
      // the parameter it binds, followed into the function
      const param = fn.getParameters()[parent.getArguments().indexOf(node)];
      return !param || param.isRestParameter() || symbolObserved(resolved(param.getNameNode().getSymbol()));
    }
    // a runtime primitive: its numbers (exit's status, sleep's seconds) drop the sign
    const decl = Node.isIdentifier(parent.getExpression()) ? resolved(parent.getExpression().getSymbol())?.getDeclarations()[0] : undefined;
    if (decl && Node.isFunctionDeclaration(decl) && !decl.getBody()) return false;
    return true; // console.log / console.error, push, anything else
  }
  if (Node.isVariableDeclaration(parent)) {
    const name = parent.getNameNode();
    return !Node.isIdentifier(name) || symbolObserved(resolved(name.getSymbol()));
  }
  if (Node.isExpressionStatement(parent)) return false;
  if (Node.isIfStatement(parent) || Node.isWhileStatement(parent) || Node.isDoStatement(parent)) return parent.getExpression() !== node;
  if (Node.isForStatement(parent)) return parent.getCondition() !== node && parent.getIncrementor() !== node;
  if (Node.isSwitchStatement(parent) || Node.isCaseClause(parent)) return false; // compared with ===
  if (Node.isReturnStatement(parent)) {
    const fn = parent.getFirstAncestor((a) => Node.isFunctionDeclaration(a));
    return !fn || !Node.isFunctionDeclaration(fn) || resultObserved(fn);
  }
  return true; // array literals, anything else
}

/**
 * Could a -0 stored in this variable or parameter be observed? When one of
 * its reads is: a local's and a parameter's reads are in its function, a
 * module variable's anywhere in the program.
 */
function symbolObserved(sym: TsSymbol | undefined): boolean {
  if (!sym) return true;
  const decl = sym.getDeclarations()[0];
  if (!decl || !(Node.isVariableDeclaration(decl) || Node.isParameterDeclaration(decl))) return true;
  const fn = decl.getFirstAncestor((a) => Node.isFunctionDeclaration(a));
  const scopes: Node[] = fn ? [fn] : referringFiles(decl.getSourceFile());
  return decide(sym, () =>
    scopes.some((scope) => {
      let observed = false;
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
      return observed;
    }),
  );
}

/** Could a -0 returned by `fn` be observed? When the result of one of its calls is. */
function resultObserved(fn: FunctionDeclaration): boolean {
  return decide(fn.compilerNode, () => callSites(fn).some((c) => signObserved(c)));
}

/** The files that can refer to a declaration of `sf`: itself and the modules importing it. */
function referringFiles(sf: SourceFile): SourceFile[] {
  return [sf, ...sf.getReferencingSourceFiles()];
}

/** Call sites of a program function (in its module and the modules importing it), per type checker. */
const callIndex = new WeakMap<object, Map<object, CallExpression[]>>();

function callSites(fn: FunctionDeclaration): CallExpression[] {
  const checker = fn.getProject().getTypeChecker().compilerObject;
  let index = callIndex.get(checker);
  if (!index) callIndex.set(checker, (index = new Map()));
  let sites = index.get(fn.compilerNode);
  if (!sites) {
    const found: CallExpression[] = [];
    for (const sf of referringFiles(fn.getSourceFile())) {
      sf.forEachDescendant((d) => {
        if (!Node.isCallExpression(d) || !Node.isIdentifier(d.getExpression())) return;
        if (resolved(d.getExpression().getSymbol())?.getDeclarations()[0] === fn) found.push(d);
      });
    }
    index.set(fn.compilerNode, (sites = found));
  }
  return sites;
}

/** The program function a call runs (undefined for built-ins and runtime primitives, which have no body here). */
function programFunction(call: CallExpression): FunctionDeclaration | undefined {
  const callee = call.getExpression();
  if (!Node.isIdentifier(callee)) return undefined;
  const decl = resolved(callee.getSymbol())?.getDeclarations()[0];
  return decl && Node.isFunctionDeclaration(decl) && decl.getBody() ? decl : undefined;
}
