/**
 * Expressions. Each TS expression becomes statements emitted into the current
 * Ion block plus one resulting value (a word, or an array variable).
 * Evaluation order is JavaScript's: left to right, with `&&`, `||`, `??` and
 * `?:` evaluating their operands only when JavaScript would.
 */
import { Node, SyntaxKind, type Expression, type Symbol as TsSymbol } from "ts-morph";
import { line } from "../ion/ast.ts";
import { envWord, RETURN_VAR, word } from "../ion/names.ts";
import { needsPiecewise, NON_ASCII_WS, quotePieces } from "../ion/quote.ts";
import { lowerCall, lowerCallEncoded, lowerOperands } from "./calls.ts";
import { atom, boolValue, type Cond, condText, isComparison, lowerCond, negate, truthy } from "./conditions.ts";
import { negZero, signObserved } from "./negative-zero.ts";
import { ARRAY_CONSTANTS, decodeArray, encodeArray, encodedLength, encodeLiteral, escapeElement } from "./arrays.ts";
import { sourceLabel } from "../../../runtime-shims/runtime/location.ts";
import { type ArrayVal, type FnContext, litVal, returned, retype, type ScalarVal, stable, type Val, varVal, volatileWord } from "./context.ts";
import { elementKind, isArrayKind, kindOf, type ScalarKind, type ValueKind } from "./types.ts";

const ZERO = litVal("number", "0");

/** A literal string as a value, built piecewise when quoting alone could panic ion (ion/quote.ts). */
export function literal(fx: FnContext, kind: ScalarKind, value: string): ScalarVal {
  if (!needsPiecewise(value)) return litVal(kind, value);
  const t = fx.temp();
  quotePieces(value).forEach((p, i) => fx.emitLine(`let ${t} ${i === 0 ? "=" : "++="} ${p}`));
  return { ...varVal(kind, t), lit: value };
}

/**
 * The value kind of an expression. TypeScript narrows a variable to `never`
 * where it believes a branch cannot run (`let done = false; f(); if (done)`
 * narrows `done` although f may have changed it), so `never` falls back to
 * the declared type: the compiled code must work in every branch.
 */
export function kindOfNode(fx: FnContext, node: Node): ValueKind | undefined {
  const k = kindOf(node.getType());
  if (k !== "never") return k;
  if (Node.isIdentifier(node)) {
    const decl = symbolOf(node)?.getDeclarations()[0];
    if (decl) return kindOf(decl.getType());
  }
  if (Node.isParenthesizedExpression(node) || Node.isNonNullExpression(node) || Node.isAsExpression(node)) return kindOfNode(fx, node.getExpression());
  if (Node.isPrefixUnaryExpression(node)) return node.getOperatorToken() === SyntaxKind.ExclamationToken ? "boolean" : "number";
  if (Node.isConditionalExpression(node)) return kindOfNode(fx, node.getWhenTrue());
  if (Node.isBinaryExpression(node)) {
    const op = node.getOperatorToken().getKind();
    if (op === SyntaxKind.AmpersandAmpersandToken || op === SyntaxKind.BarBarToken || op === SyntaxKind.EqualsToken) return kindOfNode(fx, node.getLeft());
    if (isComparison(op)) return "boolean";
    const l = kindOfNode(fx, node.getLeft());
    const r = kindOfNode(fx, node.getRight());
    return op === SyntaxKind.PlusToken && (l === "string" || r === "string") ? "string" : "number";
  }
  if (Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node)) {
    const base = kindOfNode(fx, node.getExpression());
    if (Node.isElementAccessExpression(node) && base && isArrayKind(base)) return elementKind(base);
  }
  return k;
}

/** The value kind of an expression, reporting a diagnostic when it has none. */
export function requireKind(fx: FnContext, node: Node): ValueKind {
  const k = kindOfNode(fx, node);
  if (!k) {
    fx.program.report(node, "UnsupportedType", `Type '${node.getType().getText(node)}' is outside the tsion subset.`);
    return "string";
  }
  return k;
}

export function lowerScalar(fx: FnContext, expr: Expression): ScalarVal {
  const v = lowerExpr(fx, expr);
  if (v.t === "scalar") return v;
  fx.program.report(expr, "UnsupportedType", "An array cannot be used here.");
  return ZERO;
}

export function lowerArray(fx: FnContext, expr: Expression): ArrayVal {
  const v = lowerExpr(fx, expr);
  if (v.t === "array") return v;
  fx.program.report(expr, "UnsupportedType", "An array is expected here.");
  return { t: "array", kind: "string[]", name: fx.temp(true), fresh: true };
}

/** Lower any expression. */
export function lowerExpr(fx: FnContext, expr: Expression): Val {
  const p = fx.program;
  if (Node.isParenthesizedExpression(expr)) return lowerExpr(fx, expr.getExpression());
  if (Node.isAsExpression(expr) || Node.isTypeAssertion(expr)) {
    // `x as const` or a cast to a string-literal union only narrows types.
    return lowerExpr(fx, expr.getExpression());
  }
  if (Node.isNonNullExpression(expr) || Node.isSatisfiesExpression(expr)) return lowerExpr(fx, expr.getExpression());

  if (Node.isStringLiteral(expr) || Node.isNoSubstitutionTemplateLiteral(expr)) {
    return literal(fx, "string", expr.getLiteralValue());
  }
  if (Node.isNumericLiteral(expr)) return numberLiteral(fx, expr, expr.getLiteralValue());
  if (expr.getKind() === SyntaxKind.TrueKeyword) return litVal("boolean", "true");
  if (expr.getKind() === SyntaxKind.FalseKeyword) return litVal("boolean", "false");
  if (Node.isTemplateExpression(expr)) return template(fx, expr);
  if (Node.isIdentifier(expr)) return identifier(fx, expr);
  if (Node.isArrayLiteralExpression(expr)) return arrayLiteral(fx, expr);
  if (Node.isPrefixUnaryExpression(expr)) return prefixUnary(fx, expr);
  if (Node.isPostfixUnaryExpression(expr)) return postfixUnary(fx, expr);
  if (Node.isBinaryExpression(expr)) return binary(fx, expr);
  if (Node.isConditionalExpression(expr)) return conditional(fx, expr);
  if (Node.isCallExpression(expr)) return lowerCall(fx, expr);
  if (Node.isPropertyAccessExpression(expr)) return propertyAccess(fx, expr);
  if (Node.isElementAccessExpression(expr)) return elementAccess(fx, expr);

  p.report(expr, "UnsupportedSyntax", `${expr.getKindName()} is not supported by tsion.`);
  return ZERO;
}

function numberLiteral(fx: FnContext, node: Node, value: number): ScalarVal {
  if (!Number.isSafeInteger(value)) {
    fx.program.report(node, "NonIntegerNumber", `The number ${node.getText()} is not an integer that Ion can represent exactly.`);
    return ZERO;
  }
  return litVal("number", String(value));
}

function template(fx: FnContext, expr: import("ts-morph").TemplateExpression): ScalarVal {
  const spans = expr.getTemplateSpans();
  const values = lowerOperands(fx, spans.map((s) => s.getExpression())) as ScalarVal[];
  const parts: ScalarVal[] = [];
  const head = expr.getHead().getLiteralText();
  if (head !== "") parts.push(literal(fx, "string", head));
  spans.forEach((span, i) => {
    parts.push(values[i]);
    const tail = span.getLiteral().getLiteralText();
    if (tail !== "") parts.push(literal(fx, "string", tail));
  });
  return concat(fx, parts);
}

/**
 * Concatenate values into a temporary: `let t = WORD` then `let t ++= WORD`.
 * Pieces share one word (`'Subnet '"${l_net}"'/'"${l_len}"`) except that a
 * literal piece never follows text that may hold non-ASCII whitespace: that
 * panics ion. Numbers and booleans are ASCII; a runtime string may hold
 * anything, so a literal after it starts a new `++=` statement.
 */
export function concat(fx: FnContext, parts: ScalarVal[], keepNegativeZero = false): ScalarVal {
  if (parts.length === 0) return litVal("string", "");
  const ascii = parts.map((p) => p.kind !== "string" || (p.lit !== undefined && !NON_ASCII_WS.test(p.lit)));
  // String conversion turns -0 into "0"; console.log keeps "-0" (util.inspect).
  if (!keepNegativeZero) parts = parts.map((p) => numText(fx, p));
  if (parts.every((p) => p.lit !== undefined)) return literal(fx, "string", parts.map((p) => p.lit).join(""));
  const words: string[] = [];
  let word = "";
  let risky = false;
  parts.forEach((p, i) => {
    const literalPiece = p.lit !== undefined && !p.varName;
    if (literalPiece && risky) {
      words.push(word);
      word = "";
      risky = false;
    }
    // `$(( ))` goes inside double quotes to share a word (arith_dollar_errors_are_values).
    word += p.word.startsWith("$((") ? `"${p.word}"` : p.word;
    if (!ascii[i]) risky = true;
  });
  words.push(word);
  // One word: the value itself, read where it is used (operands that could change its parts copy it, calls.ts).
  if (words.length === 1 && !parts.some((p) => p.volatile)) return { t: "scalar", kind: "string", word: words[0] };
  // A word reading a return value is valid until the next call, like the return value itself (`returned`).
  if (words.length === 1) return volatileWord(fx, "string", words[0]);
  const t = fx.temp();
  words.forEach((w, i) => fx.emitLine(`let ${t} ${i === 0 ? "=" : "++="} ${w}`));
  return varVal("string", t);
}

function symbolOf(node: Node): TsSymbol | undefined {
  const s = node.getSymbol();
  if (!s) return undefined;
  return s.isAlias() ? s.getAliasedSymbol() ?? s : s;
}

export function identifier(fx: FnContext, expr: Node): Val {
  const p = fx.program;
  const text = expr.getText();
  if (text === "undefined" || text === "NaN" || text === "Infinity") {
    p.report(expr, "UnsupportedSyntax", `'${text}' has no representation in Ion.`);
    return ZERO;
  }
  const sym = symbolOf(expr);
  const bound = sym && fx.bound.get(sym);
  if (bound) return bound;
  const local = sym && fx.locals.get(sym);
  if (local) {
    if (isArrayKind(local.kind)) return { t: "array", kind: local.kind, name: local.name, fresh: false };
    return { ...varVal(local.kind as ScalarKind, local.name), lit: local.lit };
  }
  const mv = sym && p.moduleVars.get(sym);
  if (mv) {
    if (isArrayKind(mv.kind)) {
      const arr = fx.temp(true);
      decodeArray(fx, mv.storage === "env" ? envWord(mv.name) : word(mv.name), arr);
      return { t: "array", kind: mv.kind, name: arr, fresh: false };
    }
    if (mv.storage === "const") return { ...varVal(mv.kind as ScalarKind, mv.name), lit: mv.value };
    return { t: "scalar", kind: mv.kind as ScalarKind, word: envWord(mv.name) };
  }
  p.report(expr, "UnsupportedSyntax", `'${text}' cannot be used as a value here.`);
  return ZERO;
}

function arrayLiteral(fx: FnContext, expr: import("ts-morph").ArrayLiteralExpression): ArrayVal {
  let kind = requireKind(fx, expr);
  if (!isArrayKind(kind)) kind = "string[]";
  const t = fx.newArray();
  for (const el of expr.getElements()) {
    if (Node.isSpreadElement(el)) {
      const src = lowerArray(fx, el.getExpression());
      appendArray(fx, t, src.name);
      continue;
    }
    const v = lowerScalar(fx, el);
    fx.emitLine(`let ${t} ++= ${v.word}`);
  }
  return { t: "array", kind: kind as ArrayVal["kind"], name: t, fresh: true };
}

/** `dst ++= each element of src`, element by element (never `[@src]`: a literal re-expands its elements). */
export function appendArray(fx: FnContext, dst: string, src: string): void {
  const i = fx.temp();
  fx.emit({ kind: "for", variable: i, words: `0..$len(@${src})`, body: [line(`let ${dst} ++= "@${src}[\${${i}}]"`)] });
}

/** A copy of an array into a new temporary array variable. */
export function copyArray(fx: FnContext, src: ArrayVal): ArrayVal {
  const t = fx.newArray();
  appendArray(fx, t, src.name);
  return { ...src, name: t, fresh: true };
}

/** The value prefixed with `x`, as one word (keeps `test` out of its flag form). */
export function xWord(fx: FnContext, v: ScalarVal): string {
  if (v.lit !== undefined && !needsPiecewise(v.lit)) return "x" + v.word;
  return `"x${spliceable(fx, v)}"`;
}

/** Put a value into a variable so it can be spliced into another word. */
export function spliceable(fx: FnContext, v: ScalarVal): string {
  if (v.varName) return "${" + v.varName + "}";
  if (v.word.startsWith('"${env::')) return v.word.slice(1, -1);
  return "${" + fx.toVar(v) + "}";
}

function prefixUnary(fx: FnContext, expr: import("ts-morph").PrefixUnaryExpression): Val {
  const op = expr.getOperatorToken();
  const operand = expr.getOperand();
  switch (op) {
    case SyntaxKind.ExclamationToken:
      return boolValue(fx, lowerCond(fx, expr));
    case SyntaxKind.MinusToken: {
      if (Node.isNumericLiteral(operand)) return numberLiteral(fx, expr, -operand.getLiteralValue());
      const v = lowerScalar(fx, operand);
      const x = fx.toVar(v);
      const t = fx.temp();
      fx.emitLine(`let ${t} = $((0 - ${x}))`);
      if (signObserved(expr)) negZero(fx, t, "neg", x, "0");
      return varVal("number", t);
    }
    case SyntaxKind.PlusToken: {
      const v = lowerScalar(fx, operand);
      if (v.kind !== "number") fx.program.report(expr, "UnsupportedSyntax", "Unary + is only supported on numbers; use Number(s).");
      return v;
    }
    case SyntaxKind.PlusPlusToken:
    case SyntaxKind.MinusMinusToken: {
      const { update } = increment(fx, operand, op === SyntaxKind.PlusPlusToken ? "+" : "-");
      return update;
    }
    default:
      fx.program.report(expr, "UnsupportedSyntax", `The operator '${expr.getText().slice(0, 1)}' is not supported.`);
      return ZERO;
  }
}

function postfixUnary(fx: FnContext, expr: import("ts-morph").PostfixUnaryExpression): Val {
  const { old } = increment(fx, expr.getOperand(), expr.getOperatorToken() === SyntaxKind.PlusPlusToken ? "+" : "-");
  return old;
}

function increment(fx: FnContext, target: Expression, op: "+" | "-"): { old: ScalarVal; update: ScalarVal } {
  const cur = lowerScalar(fx, target);
  const old = fx.temp();
  fx.emitLine(`let ${old} = ${cur.word}`);
  const next = arith(fx, varVal("number", old), op, litVal("number", "1"));
  assignTo(fx, target, next);
  return { old: varVal("number", old), update: next };
}

/**
 * `$(( ))` with one operator, bare names and spaces (docs/ion-lowering.md,
 * Arithmetic).
 *
 * JavaScript numbers have a negative zero (`-7 % 7`, `0 * -1`, `-x` for
 * x = 0) that console.log prints as `-0`; Ion integers do not. When the
 * result is 0 and the operation could have given -0, f_rt_negz applies
 * JavaScript's sign rule, so the value is the text `-0`. Conversions to
 * string (numText) and comparisons (-eq) treat it as 0, as JavaScript does.
 */
export function arith(fx: FnContext, l: ScalarVal, op: string, r: ScalarVal, node?: Node | null): ScalarVal {
  // Both known: JavaScript's result at compile time (-0 included), when it is a safe integer.
  if (l.lit !== undefined && r.lit !== undefined && /^-?[0-9]+$/.test(l.lit) && /^-?[0-9]+$/.test(r.lit)) {
    const [x, y] = [Number(l.lit), Number(r.lit)];
    const v = op === "+" ? x + y : op === "-" ? x - y : op === "*" ? x * y : y !== 0 ? x % y : NaN;
    if (Number.isSafeInteger(v)) return litVal("number", Object.is(v, -0) ? "-0" : String(v));
  }
  const a = arithOperand(fx, l);
  const b = arithOperand(fx, r);
  const expr = `$((${a} ${op} ${b}))`;
  const rule = { "*": "mul", "%": "mod", "+": "add", "-": "sub" }[op];
  const isLit = (x: string) => /^-?[0-9]+$/.test(x) && x !== "-0";
  // a + b is -0 only for -0 + -0; a - b only for -0 - 0.
  const possible = op === "*" || op === "%" || (op === "+" && !isLit(a) && !isLit(b)) || (op === "-" && !isLit(a) && !(isLit(b) && b !== "0"));
  // `node` is the expression whose value this is (undefined: keep the sign; null: it never matters).
  if (rule && possible && node !== null && (node === undefined || signObserved(node))) {
    const t = fx.temp();
    fx.emitLine(`let ${t} = ${expr}`);
    negZero(fx, t, rule, a, b);
    return varVal("number", t);
  }
  // Ion's own result, never -0: the `$(( ))` word itself, evaluated where it
  // is used (operands that could change a or b meanwhile copy it, calls.ts).
  return { t: "scalar", kind: "number", word: expr, plainInt: true };
}

/**
 * The encoded form of an array given element by element (an array literal
 * passed, returned or stored), without building the Ion array: elements
 * known at compile time are encoded then, numbers and booleans need no
 * escaping, other strings are escaped in a temporary.
 */
export function encodeElements(fx: FnContext, elements: ScalarVal[]): ScalarVal {
  fx.program.useHelper("K_array");
  const terminator: ScalarVal = { ...varVal("string", "K_AS"), lit: ARRAY_CONSTANTS.K_AS };
  const parts = elements.flatMap((v): ScalarVal[] => {
    if (v.lit !== undefined) return [literal(fx, "string", encodeLiteral([v.lit]))];
    if (v.kind !== "string") return [v, terminator];
    const e = fx.temp();
    fx.emitLine(`let ${e} = ${v.word}`);
    for (const l of escapeElement(e)) fx.emit(l);
    return [varVal("string", e), terminator];
  });
  return concat(fx, parts, true);
}

/** A number as JavaScript converts it to a string: -0 becomes 0 (`$((x + 0))`). */
export function numText(fx: FnContext, v: ScalarVal): ScalarVal {
  if (v.kind !== "number") return v;
  if (v.lit === "-0") return litVal("string", "0");
  if (v.lit !== undefined) return { ...v, kind: "string" };
  if (v.plainInt) return retype(v, "string");
  return { t: "scalar", kind: "string", word: `$((${fx.toVar(v)} + 0))` };
}

function arithOperand(fx: FnContext, v: ScalarVal): string {
  if (v.lit !== undefined && /^-?[0-9]+$/.test(v.lit)) return v.lit;
  return fx.toVar(v);
}

/** A number known at compile time that is not zero (a divisor that needs no check). */
export function nonZeroLiteral(v: ScalarVal): boolean {
  return v.lit !== undefined && /^-?[0-9]+$/.test(v.lit) && Number(v.lit) !== 0;
}

/**
 * Stops the program with `tsion: MESSAGE` unless `ok` holds: one line,
 * `OK || f_rt_die MESSAGE` (a chain is left-deep, so the call runs exactly
 * when the whole condition fails; extra/chain_statements).
 */
export function guard(fx: FnContext, ok: Cond, message: string): void {
  const h = fx.program.useHelper("f_rt_die");
  fx.emitLine(`${condText(ok)} || ${h} ${litVal("string", message).word}`);
}

function binary(fx: FnContext, expr: import("ts-morph").BinaryExpression): Val {
  const op = expr.getOperatorToken().getKind();
  const left = expr.getLeft();
  const right = expr.getRight();
  switch (op) {
    case SyntaxKind.EqualsToken: {
      if (Node.isExpressionStatement(expr.getParent()) && assignLiteralArray(fx, left, right)) return ZERO;
      const mark = fx.out.length;
      const v = lowerExpr(fx, right);
      // `x = expr` into a local: build the value in the variable itself when nothing else reads it meanwhile.
      const local = Node.isIdentifier(left) ? fx.locals.get(symbolOf(left)!) : undefined;
      if (v.t === "scalar" && v.varName && local && !isArrayKind(local.kind) && fx.retarget(mark, v.varName, local.name)) return varVal(v.kind, local.name);
      return assignValue(fx, expr, left, v);
    }
    case SyntaxKind.PlusEqualsToken:
    case SyntaxKind.MinusEqualsToken:
    case SyntaxKind.AsteriskEqualsToken:
    case SyntaxKind.PercentEqualsToken: {
      if (op === SyntaxKind.PlusEqualsToken && appendToLocal(fx, left, right)) return identifier(fx, left);
      const sym = { [SyntaxKind.PlusEqualsToken]: "+", [SyntaxKind.MinusEqualsToken]: "-", [SyntaxKind.AsteriskEqualsToken]: "*", [SyntaxKind.PercentEqualsToken]: "%" }[op];
      return assignValue(fx, expr, left, plusMinus(fx, expr, left, right, sym));
    }
    case SyntaxKind.AmpersandAmpersandToken:
    case SyntaxKind.BarBarToken:
    case SyntaxKind.QuestionQuestionToken:
      return logical(fx, expr, op);
    case SyntaxKind.PlusToken:
      return plusMinus(fx, expr, left, right, "+");
    case SyntaxKind.MinusToken:
      return plusMinus(fx, expr, left, right, "-");
    case SyntaxKind.AsteriskToken:
      return plusMinus(fx, expr, left, right, "*");
    case SyntaxKind.PercentToken:
      return plusMinus(fx, expr, left, right, "%");
    case SyntaxKind.CommaToken:
      lowerExpr(fx, left);
      return lowerExpr(fx, right);
    case SyntaxKind.SlashToken:
      fx.program.report(expr, "NonIntegerNumber", "Division can produce a non-integer.");
      return ZERO;
    default: {
      if (isComparison(op)) return boolValue(fx, lowerCond(fx, expr));
      fx.program.report(expr, "UnsupportedSyntax", `The operator '${expr.getOperatorToken().getText()}' is not supported.`);
      return ZERO;
    }
  }
}

/**
 * `s += e` on a local string: Ion's own append, `let l_s ++= W` (its pieces
 * appended one by one when e is built in a temporary). The right side is
 * evaluated first, which is JavaScript's order as long as it cannot assign
 * s (a callee cannot write its caller's locals). False when it does not apply.
 */
function appendToLocal(fx: FnContext, target: Expression, right: Expression): boolean {
  const local = Node.isIdentifier(target) ? fx.locals.get(symbolOf(target)!) : undefined;
  if (!local || local.kind !== "string" || assignsAnything(right)) return false;
  const mark = fx.out.length;
  const v = numText(fx, lowerScalar(fx, right));
  if (!(v.varName && fx.retargetAppend(mark, v.varName, local.name))) fx.emitLine(`let ${local.name} ++= ${v.word}`);
  return true;
}

/** Does evaluating `node` assign a variable (`=`, `+=`, `++`, …)? */
function assignsAnything(node: Node): boolean {
  if (Node.isBinaryExpression(node)) {
    const k = node.getOperatorToken().getKind();
    if (k >= SyntaxKind.FirstAssignment && k <= SyntaxKind.LastAssignment) return true;
  }
  if ((Node.isPrefixUnaryExpression(node) || Node.isPostfixUnaryExpression(node)) && [SyntaxKind.PlusPlusToken, SyntaxKind.MinusMinusToken].includes(node.getOperatorToken())) return true;
  return node.getChildren().some(assignsAnything);
}

/**
 * Assign, and give the assignment expression's value. The assigned word may
 * read the target itself (`s += u` is `"${l_s}""${l_u}"`), so it is not
 * reused afterwards: a variable is read again, and the value stored in an
 * array element whose result is used is snapshotted first.
 */
function assignValue(fx: FnContext, expr: Node, target: Expression, v: Val): Val {
  while (Node.isParenthesizedExpression(target)) target = target.getExpression();
  if (v.t !== "scalar") {
    assignTo(fx, target, v);
    return v;
  }
  if (Node.isIdentifier(target)) {
    assignTo(fx, target, v);
    return identifier(fx, target);
  }
  const value = Node.isExpressionStatement(expr.getParent()) ? v : varVal(v.kind, fx.toVarAlways(v));
  assignTo(fx, target, value);
  return value;
}

function plusMinus(fx: FnContext, expr: Node, left: Expression, right: Expression, op: string): ScalarVal {
  const lk = requireKind(fx, left);
  const rk = requireKind(fx, right);
  if (op === "+" && (lk === "string" || rk === "string")) {
    return concat(fx, lowerOperands(fx, [left, right]) as ScalarVal[]);
  }
  if (lk !== "number" || rk !== "number") {
    fx.program.report(expr, "UnsupportedSyntax", `'${op}' needs two numbers (or a string for +).`);
    return ZERO;
  }
  const [l, r] = lowerOperands(fx, [left, right]) as ScalarVal[];
  if (op === "%" && !nonZeroLiteral(r)) {
    // JS gives NaN; Ion's $(( )) would silently yield an error text.
    guard(fx, atom(`test ${r.word} -ne 0`), `${location(fx, expr)}: remainder by zero`);
  }
  return arith(fx, l, op, r, expr);
}

/**
 * `FILE:LINE` of a node, as runtime failures name it on both backends
 * (runtime-shims/runtime/location.ts). A call is located at its callee,
 * where the Node implementation finds it on the stack.
 */
export function location(fx: FnContext, node: Node): string {
  void fx;
  const at = Node.isCallExpression(node) ? node.getExpression() : node;
  return `${sourceLabel(at.getSourceFile().getFilePath())}:${at.getStartLineNumber()}`;
}

/** A location as one Ion word (a helper's last argument). */
export function locationWord(fx: FnContext, node: Node): string {
  return litVal("string", location(fx, node)).word;
}

function logical(fx: FnContext, expr: import("ts-morph").BinaryExpression, op: SyntaxKind): Val {
  const kind = requireKind(fx, expr);
  if (isArrayKind(kind)) {
    fx.program.report(expr, "UnsupportedSyntax", "Logical operators on arrays are not supported.");
    return ZERO;
  }
  if (op === SyntaxKind.QuestionQuestionToken) {
    fx.program.report(expr, "UnsupportedSyntax", "'??' is not supported: values are never null or undefined in the subset.");
    return ZERO;
  }
  // A boolean is its condition; other kinds keep the operand's value (`name || "default"`).
  if (kind === "boolean") return boolValue(fx, lowerCond(fx, expr));
  const l = lowerScalar(fx, expr.getLeft());
  const t = fx.temp();
  fx.emitLine(`let ${t} = ${l.word}`);
  const rightBody = fx.block(() => {
    const r = lowerScalar(fx, expr.getRight());
    fx.emitLine(`let ${t} = ${r.word}`);
  });
  const cond = truthy(fx, varVal(l.kind, t));
  fx.emit({ kind: "if", branches: [{ cond: condText(op === SyntaxKind.AmpersandAmpersandToken ? cond : negate(cond)), body: rightBody }] });
  return varVal(kind as ScalarKind, t);
}

function conditional(fx: FnContext, expr: import("ts-morph").ConditionalExpression): Val {
  const kind = requireKind(fx, expr);
  const cond = condText(lowerCond(fx, expr.getCondition()));
  if (isArrayKind(kind)) {
    const t = fx.temp(true);
    const pick = (e: Expression) =>
      fx.block(() => {
        const v = lowerArray(fx, e);
        fx.emitLine(`let ${t} = []`);
        appendArray(fx, t, v.name);
      });
    fx.emit({ kind: "if", branches: [{ cond, body: pick(expr.getWhenTrue()) }], otherwise: pick(expr.getWhenFalse()) });
    return { t: "array", kind, name: t, fresh: true };
  }
  const t = fx.temp();
  const pick = (e: Expression) =>
    fx.block(() => {
      const mark = fx.out.length;
      const v = lowerScalar(fx, e);
      // A value built in a temporary is built in t instead.
      if (!(v.varName && fx.retarget(mark, v.varName, t))) fx.emitLine(`let ${t} = ${v.word}`);
    });
  fx.emit({ kind: "if", branches: [{ cond, body: pick(expr.getWhenTrue()) }], otherwise: pick(expr.getWhenFalse()) });
  return varVal(kind as ScalarKind, t);
}

function propertyAccess(fx: FnContext, expr: import("ts-morph").PropertyAccessExpression): Val {
  const name = expr.getName();
  const objKind = kindOfNode(fx, expr.getExpression());
  if (name === "length" && objKind === "string") {
    const s = lowerScalar(fx, expr.getExpression());
    // A literal's length is known (in UTF-16 units, as JavaScript counts).
    if (s.lit !== undefined) return litVal("number", String(s.lit.length));
    return helperCall(fx, "f_rt_strlen", [s.word], "number");
  }
  if (name === "length" && objKind && isArrayKind(objKind)) {
    // A module-level array or a function's result: count its encoded elements instead of decoding them.
    const env = envArray(fx, expr.getExpression());
    if (env) return { ...varVal("number", encodedLength(fx, envWord(env))), plainInt: true };
    let inner: Node = expr.getExpression();
    while (Node.isParenthesizedExpression(inner)) inner = inner.getExpression();
    const encoded = Node.isCallExpression(inner) ? lowerCallEncoded(fx, inner) : undefined;
    if (encoded) return { ...varVal("number", encodedLength(fx, encoded)), plainInt: true };
    const a = lowerArray(fx, expr.getExpression());
    return { t: "scalar", kind: "number", word: `$len(@${a.name})`, plainInt: true };
  }
  fx.program.report(expr, "UnsupportedMember", `'${expr.getText()}' is not supported.`);
  return ZERO;
}

/** Call a prelude helper; its result is read from `TSION_R` (see `returned`). */
export function helperCall(fx: FnContext, helper: string, args: string[], kind: ScalarKind): ScalarVal {
  fx.program.useHelper(helper);
  fx.emitLine([helper, ...args].join(" "));
  return returned(fx, kind);
}

function elementAccess(fx: FnContext, expr: import("ts-morph").ElementAccessExpression): Val {
  const objKind = kindOfNode(fx, expr.getExpression());
  if (!objKind || !isArrayKind(objKind)) {
    fx.program.report(expr, "UnsupportedSyntax", "Only arrays can be indexed; use slice() on strings.");
    return ZERO;
  }
  const arr = lowerArray(fx, expr.getExpression());
  const idx = lowerScalar(fx, expr.getArgumentExpressionOrThrow());
  const i = index(fx, idx);
  guard(fx, validIndex(i, arr.name, false), `${location(fx, expr)}: index out of range`);
  // The element is read where it is used (operands that could change it copy it first, calls.ts).
  return { t: "scalar", kind: elementKind(arr.kind), word: `"@${arr.name}[${i}]"` };
}

/**
 * An array index as Ion text: a non-negative integer literal as is, else a
 * temporary `${t}` with -0 turned into 0 (Ion would read `@a[-0]` from the end).
 */
function index(fx: FnContext, v: ScalarVal): string {
  if (v.lit !== undefined && /^[0-9]+$/.test(v.lit)) return v.lit;
  if (v.plainInt) return "${" + fx.toVar(v) + "}";
  const t = fx.temp();
  fx.emitLine(`let ${t} = $((${fx.toVar(v)} + 0))`);
  return "${" + t + "}";
}

/** The condition that index `i` is valid for reading (`orEnd`: or for appending to) array `arr`. */
function validIndex(i: string, arr: string, orEnd: boolean): Cond {
  const upper = `test "${i}" ${orEnd ? "-le" : "-lt"} $len(@${arr})`;
  return /^[0-9]+$/.test(i) ? atom(upper) : { first: `test "${i}" -ge 0`, rest: [{ op: "&&", atom: upper }] };
}

/** Store `v` into an assignable expression (variable or array element). */
export function assignTo(fx: FnContext, target: Expression, v: Val): void {
  const p = fx.program;
  if (Node.isParenthesizedExpression(target)) return assignTo(fx, target.getExpression(), v);
  if (Node.isElementAccessExpression(target)) {
    const objKind = kindOfNode(fx, target.getExpression());
    if (!objKind || !isArrayKind(objKind) || v.t !== "scalar") {
      p.report(target, "UnsupportedSyntax", "Only array elements can be assigned by index.");
      return;
    }
    // The index may call functions: keep the value safe from them.
    const sv = stable(fx, v);
    const i = index(fx, lowerScalar(fx, target.getArgumentExpressionOrThrow()));
    withArrayTarget(fx, target.getExpression(), (name) => {
      guard(fx, validIndex(i, name, true), `${location(fx, target)}: index out of range`);
      fx.emit({
        kind: "if",
        branches: [{ cond: `test "${i}" -eq $len(@${name})`, body: [line(`let ${name} ++= ${sv.word}`)] }],
        otherwise: [line(`let ${name}[${i}] = ${sv.word}`)],
      });
    });
    return;
  }
  if (!Node.isIdentifier(target)) {
    p.report(target, "UnsupportedSyntax", "Only variables and array elements can be assigned.");
    return;
  }
  const sym = symbolOf(target);
  const local = sym && fx.locals.get(sym);
  if (local) {
    if (v.t === "array") {
      fx.emitLine(`let ${local.name} = []`);
      appendArray(fx, local.name, v.name);
    } else fx.emitLine(`let ${local.name} = ${v.word}`);
    return;
  }
  const mv = sym && p.moduleVars.get(sym);
  if (mv && mv.storage === "env") {
    if (v.t === "array") {
      const enc = encodeArray(fx, v.name, v.kind !== "string[]");
      fx.emitLine(`export ${mv.name} = ${word(enc)}`);
    } else fx.emitLine(`export ${mv.name} = ${v.word}`);
    return;
  }
  p.report(target, "UnsupportedSyntax", `'${target.getText()}' cannot be assigned here.`);
}

/** The environment variable holding module-level array `e` (an identifier), if it is one. */
export function envArray(fx: FnContext, e: Node): string | undefined {
  const sym = Node.isIdentifier(e) ? symbolOf(e) : undefined;
  const mv = sym && !fx.locals.has(sym) ? fx.program.moduleVars.get(sym) : undefined;
  return mv && mv.storage === "env" && isArrayKind(mv.kind) ? mv.name : undefined;
}

/** The values of an array literal whose elements are all known at compile time. */
function literalElements(fx: FnContext, e: Node): string[] | undefined {
  while (Node.isParenthesizedExpression(e) || Node.isAsExpression(e)) e = e.getExpression();
  if (!Node.isArrayLiteralExpression(e)) return undefined;
  const out: string[] = [];
  for (const el of e.getElements()) {
    if (Node.isStringLiteral(el) || Node.isNoSubstitutionTemplateLiteral(el)) out.push(el.getLiteralValue());
    else if (Node.isNumericLiteral(el) && Number.isSafeInteger(el.getLiteralValue())) out.push(String(el.getLiteralValue()));
    else if (el.getKind() === SyntaxKind.TrueKeyword || el.getKind() === SyntaxKind.FalseKeyword) out.push(el.getText());
    else return undefined;
  }
  return out;
}

/**
 * `arr = [ … ]` into a module-level array with elements known at compile
 * time: the encoded string itself, nothing built at run time. False when it
 * does not apply.
 */
export function assignLiteralArray(fx: FnContext, target: Node, value: Node): boolean {
  const env = envArray(fx, target);
  const elements = env ? literalElements(fx, value) : undefined;
  if (!env || !elements) return false;
  fx.program.useHelper("K_array");
  fx.emitLine(`export ${env} = ${literal(fx, "string", encodeLiteral(elements)).word}`);
  return true;
}

/**
 * Run `mutate` on the Ion array variable behind `target`; module-level arrays
 * are decoded first and written back afterwards.
 */
export function withArrayTarget(fx: FnContext, target: Expression, mutate: (name: string) => void): void {
  const p = fx.program;
  const sym = Node.isIdentifier(target) ? symbolOf(target) : undefined;
  const local = sym && fx.locals.get(sym);
  if (local && isArrayKind(local.kind)) return mutate(local.name);
  const mv = sym && p.moduleVars.get(sym);
  if (mv && mv.storage === "env" && isArrayKind(mv.kind)) {
    const arr = fx.temp(true);
    decodeArray(fx, envWord(mv.name), arr);
    mutate(arr);
    const enc = encodeArray(fx, arr);
    fx.emitLine(`export ${mv.name} = ${word(enc)}`);
    return;
  }
  p.report(target, "ArrayAliasing", "Only a local or module-level array variable can be modified.");
}
