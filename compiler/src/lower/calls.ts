/**
 * Calls: to program functions (calling convention below), to `tsion/runtime`
 * primitives (runtime-shims/runtime/ion-lowering.ts), and to the supported
 * built-ins (compiler/src/builtins/*).
 *
 * Calling convention: every argument is exactly one word (arrays encoded,
 * lower/arrays.ts), so Ion's arity check on raw words always matches.
 * A `$( )` is never used as an argument (it would run twice). The callee
 * returns by `export TSION_R = …`; the caller reads `${env::TSION_R}` before
 * anything else can overwrite it. A boolean result is the call's status
 * instead (`return 0` is true, `return 1` false; extra/fn_status_boolean),
 * so the call itself is a condition: `if f_ok "${l_x}" && …`.
 */
import { Node, SyntaxKind, type CallExpression, type Expression, type FunctionDeclaration, type Statement } from "ts-morph";
import { envWord, RETURN_VAR, word } from "../ion/names.ts";
import { lowerBuiltinCall, lowerBuiltinCond } from "../builtins/index.ts";
import { lowerRuntimeCall, lowerRuntimeCond, RUNTIME_MODULE } from "../../../runtime-shims/runtime/ion-lowering.ts";
import { atom, boolValue, type Cond, lowerCond } from "./conditions.ts";
import { lowerEffect } from "./statements.ts";
import { kindOf } from "./types.ts";
import type { FunctionInfo, ProgramContext } from "./context.ts";
import { decodeArray, encodeArray } from "./arrays.ts";
import { type FnContext, returned, type ScalarVal, stable, type Val, varVal } from "./context.ts";
import { lowerExpr } from "./expressions.ts";
import { isArrayKind, type ScalarKind } from "./types.ts";

const DUMMY: Val = { t: "scalar", kind: "number", word: "0", lit: "0" };

/** True when `node` itself (not its children) assigns: `++`, `--` or an assignment operator. */
function isAssignment(node: Node): boolean {
  if (Node.isPrefixUnaryExpression(node) || Node.isPostfixUnaryExpression(node)) {
    const op = node.getOperatorToken();
    return op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken;
  }
  if (Node.isBinaryExpression(node)) {
    const k = node.getOperatorToken().getKind();
    return k >= SyntaxKind.FirstAssignment && k <= SyntaxKind.LastAssignment;
  }
  return false;
}

/** True when evaluating `node` may change a variable or run a command. */
export function hasSideEffects(node: Node): boolean {
  return Node.isCallExpression(node) || isAssignment(node) || node.getChildren().some(hasSideEffects);
}

/** True when evaluating `node` may assign a variable (calls aside: they cannot change the caller's locals). */
function assigns(node: Node): boolean {
  return isAssignment(node) || node.getChildren().some(assigns);
}

/**
 * Could evaluating `later` change what `v` reads? A local or parameter only
 * changes by this function's own assignments (no closures, and a callee
 * cannot write its caller's variables); module state (the environment)
 * also by any call. Literals, constants and temporaries never change.
 */
function mayChange(v: ScalarVal, later: Expression[]): boolean {
  if (v.lit !== undefined || v.volatile || /^[tK]_/.test(v.varName ?? "")) return false;
  if (v.varName) return later.some(assigns);
  return later.some(hasSideEffects);
}

/**
 * Lower operands left to right. A value read from a variable is copied to a
 * temporary when a later operand may change it, so it keeps the value
 * JavaScript read (e.g. `f(x, x++)`); a return value is copied as soon as a
 * later operand needs statements (they may call functions).
 */
export function lowerOperands(fx: FnContext, exprs: Expression[]): Val[] {
  const vals: Val[] = [];
  exprs.forEach((e, i) => {
    let v: Val = DUMMY;
    const stmts = fx.block(() => {
      v = lowerExpr(fx, e);
    });
    if (stmts.length > 0) vals.forEach((pv, k) => (vals[k] = pv.t === "scalar" ? stable(fx, pv) : pv));
    fx.emitCollected(stmts);
    if (v.t === "scalar" && mayChange(v, exprs.slice(i + 1))) v = varVal(v.kind, fx.toVarAlways(v));
    vals.push(v);
  });
  return vals;
}

/** Which declaration a call's callee identifier refers to. */
function calleeDeclaration(callee: Expression): Node | undefined {
  let sym = callee.getSymbol();
  if (!sym) return undefined;
  if (sym.isAlias()) sym = sym.getAliasedSymbol() ?? sym;
  return sym.getDeclarations()[0];
}

/** The program function or runtime primitive a call's callee names, if any. */
function callTarget(fx: FnContext, call: CallExpression): { runtime: string } | { info: import("./context.ts").FunctionInfo } | undefined {
  const callee = call.getExpression();
  if (!Node.isIdentifier(callee)) return undefined;
  const decl = calleeDeclaration(callee);
  if (!decl || !Node.isFunctionDeclaration(decl)) return undefined;
  if (decl.getSourceFile().getFilePath() === fx.program.runtimeFile) return { runtime: decl.getName() ?? "" };
  const info = fx.program.functions.get(decl);
  return info ? { info } : undefined;
}

/**
 * A call whose boolean result is its status, as a condition (the command
 * itself, after its arguments' statements): program functions returning
 * boolean, the runtime's boolean primitives, and boolean built-ins.
 * Undefined for any other call.
 */
export function lowerCallCond(fx: FnContext, call: CallExpression): Cond | undefined {
  const target = callTarget(fx, call);
  if (target && "runtime" in target) return lowerRuntimeCond(fx, target.runtime, call);
  if (target) {
    if (target.info.returns !== "boolean") return undefined;
    const st = inlineStatement(fx.program, target.info);
    if (st) return inlineCall(fx, target.info, call, st, "cond") as Cond;
    const words = userCallWords(fx, target.info, call) ?? [];
    return atom([target.info.ionName, ...words].join(" "));
  }
  return lowerBuiltinCond(fx, call);
}

export function lowerCall(fx: FnContext, call: CallExpression): Val {
  const cond = lowerCallCond(fx, call);
  if (cond) return boolValue(fx, cond);
  const p = fx.program;
  const callee = call.getExpression();
  if (Node.isIdentifier(callee)) {
    const decl = calleeDeclaration(callee);
    if (decl && Node.isFunctionDeclaration(decl)) {
      const file = decl.getSourceFile().getFilePath();
      if (file === p.runtimeFile) return lowerRuntimeCall(fx, decl.getName() ?? "", call);
      const info = p.functions.get(decl);
      if (info) return userCall(fx, info, call);
    }
  }
  const builtin = lowerBuiltinCall(fx, call);
  if (builtin) return builtin;
  p.report(call, "UnsupportedCall", `'${callee.getText()}(…)' cannot be compiled to Ion.`);
  return DUMMY;
}

/**
 * A call of a program function returning an array, emitted without decoding
 * its result: the encoded word it leaves in TSION_R (`f().length` counts its
 * terminators instead). Undefined for any other call.
 */
export function lowerCallEncoded(fx: FnContext, call: CallExpression): string | undefined {
  const target = callTarget(fx, call);
  if (!target || "runtime" in target || !isArrayKind(target.info.returns)) return undefined;
  const words = userCallWords(fx, target.info, call);
  if (!words) return undefined;
  fx.emitLine([target.info.ionName, ...words].join(" "));
  return envWord(RETURN_VAR);
}

/** The argument words of a call to a program function (their statements emitted first). */
function userCallWords(fx: FnContext, info: import("./context.ts").FunctionInfo, call: CallExpression): string[] | undefined {
  void info;
  const args = call.getArguments() as Expression[];
  if (args.some((a) => Node.isSpreadElement(a))) {
    fx.program.report(call, "SpreadArgument", "Spread arguments are not supported in calls to program functions.");
    return undefined;
  }
  const vals = lowerOperands(fx, args);
  return vals.map((v) => (v.t === "array" ? word(encodeArray(fx, v.name, v.kind !== "string[]")) : v.word));
}

function userCall(fx: FnContext, info: import("./context.ts").FunctionInfo, call: CallExpression): Val {
  const st = inlineStatement(fx.program, info);
  if (st) return inlineCall(fx, info, call, st, "value") as Val;
  const words = userCallWords(fx, info, call);
  if (!words) return DUMMY;
  fx.emitLine([info.ionName, ...words].join(" "));
  if (info.returns === "void" || info.returns === "never") return DUMMY;
  if (isArrayKind(info.returns)) {
    const arr = fx.temp(true);
    decodeArray(fx, envWord(RETURN_VAR), arr);
    // A new Ion array no other name refers to (returning shared module state is refused, statements.ts).
    return { t: "array", kind: info.returns, name: arr, fresh: true };
  }
  return returned(fx, info.returns as ScalarKind);
}

export { RUNTIME_MODULE };

/** A parameter, a module-level variable or a literal: reading it runs nothing and changes nothing. */
function simpleOperand(fn: FunctionDeclaration, e: Node): boolean {
  while (Node.isParenthesizedExpression(e)) e = e.getExpression();
  if (Node.isStringLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e) || Node.isNumericLiteral(e)) return true;
  if (e.getKind() === SyntaxKind.TrueKeyword || e.getKind() === SyntaxKind.FalseKeyword) return true;
  if (Node.isPrefixUnaryExpression(e) && e.getOperatorToken() === SyntaxKind.MinusToken && Node.isNumericLiteral(e.getOperand())) return true;
  if (!Node.isIdentifier(e)) return false;
  const decl = calleeDeclaration(e);
  if (!decl) return false;
  if (Node.isParameterDeclaration(decl)) return decl.getParent() === fn;
  return Node.isVariableDeclaration(decl) && Node.isSourceFile(decl.getVariableStatement()?.getParent()) && !isArrayKind(kindOf(decl.getType()) ?? "string[]");
}

const deciding = new Set<FunctionInfo>();

/**
 * A function whose body is one statement that can run at its call sites
 * instead: `return X`, `G = X` (G a module variable) or one call, where X
 * and the call's arguments are parameters, module variables or literals, so
 * nothing runs before the argument words are used and binding the
 * parameters to them keeps JavaScript's order. Such a function is not
 * emitted (`deviceName()` is `"${env::TSION_G_device}"` where it is called).
 */
export function inlineStatement(p: ProgramContext, info: FunctionInfo): Statement | null {
  if (info.inline !== undefined) return info.inline;
  if (deciding.has(info)) return null;
  deciding.add(info);
  let found: Statement | null = null;
  try {
    found = inlineShape(p, info);
  } finally {
    deciding.delete(info);
  }
  info.inline = found;
  return found;
}

function inlineShape(p: ProgramContext, info: FunctionInfo): Statement | null {
  const fn = info.decl as FunctionDeclaration;
  const body = fn.getBody();
  if (!body || !Node.isBlock(body) || isArrayKind(info.returns) || info.params.some((x) => isArrayKind(x.kind))) return null;
  const stmts = body.getStatements();
  if (stmts.length !== 1) return null;
  const st = stmts[0];
  const simple = (e: Node) => simpleOperand(fn, e);
  // One call with simple arguments: a runtime primitive, console, or a program function that is not inlined itself.
  const simpleCall = (e: Node): boolean => {
    if (!Node.isCallExpression(e) || !e.getArguments().every(simple)) return false;
    const callee = e.getExpression();
    if (Node.isPropertyAccessExpression(callee)) return /^console\.(log|error)$/.test(callee.getText());
    if (!Node.isIdentifier(callee)) return false;
    const decl = calleeDeclaration(callee);
    if (!decl || !Node.isFunctionDeclaration(decl) || decl === fn) return false;
    if (decl.getSourceFile().getFilePath() === p.runtimeFile) return true;
    const target = p.functions.get(decl);
    return !!target && inlineStatement(p, target) === null;
  };
  if (Node.isReturnStatement(st)) {
    const e = st.getExpression();
    return e && (simple(e) || simpleCall(e)) ? st : null;
  }
  if (!Node.isExpressionStatement(st)) return null;
  const e = st.getExpression();
  if (simpleCall(e)) return st;
  if (Node.isBinaryExpression(e) && e.getOperatorToken().getKind() === SyntaxKind.EqualsToken && simple(e.getRight())) {
    const target = e.getLeft();
    return Node.isIdentifier(target) && simpleOperand(fn, target) && !Node.isParameterDeclaration(calleeDeclaration(target)!) ? st : null;
  }
  return null;
}

/** Lower an inlined function's statement at a call: its parameters bound to the argument values. */
function inlineCall(fx: FnContext, info: FunctionInfo, call: CallExpression, st: Statement, as: "value" | "cond"): Val | Cond {
  const fn = info.decl as FunctionDeclaration;
  const args = lowerOperands(fx, call.getArguments() as Expression[]) as ScalarVal[];
  const params = fn.getParameters().map((pd) => pd.getNameNode().getSymbol());
  params.forEach((sym, i) => sym && fx.bound.set(sym, args[i]));
  try {
    if (Node.isReturnStatement(st)) {
      const e = st.getExpressionOrThrow();
      return as === "cond" ? lowerCond(fx, e) : lowerExpr(fx, e);
    }
    lowerEffect(fx, (st as import("ts-morph").ExpressionStatement).getExpression());
    return DUMMY;
  } finally {
    params.forEach((sym) => sym && fx.bound.delete(sym));
  }
}
