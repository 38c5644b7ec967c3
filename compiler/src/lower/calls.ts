/**
 * Calls: to program functions (calling convention below), to `tsion/runtime`
 * primitives (runtime-shims/runtime/ion-lowering.ts), and to the supported
 * built-ins (compiler/src/builtins/*).
 *
 * Calling convention: every argument is exactly one word (arrays encoded,
 * lower/arrays.ts), so Ion's arity check on raw words always matches (§9.3).
 * A `$( )` is never used as an argument (it would run twice). The callee
 * returns by `export TSION_R = …`; the caller reads `${env::TSION_R}` before
 * anything else can overwrite it. A boolean result is the call's status
 * instead (`return 0` is true, `return 1` false; extra/fn_status_boolean),
 * so the call itself is a condition: `if f_ok "${l_x}" && …`.
 */
import { Node, SyntaxKind, type CallExpression, type Expression } from "ts-morph";
import { envWord, RETURN_VAR, word } from "../ion/names.ts";
import { lowerBuiltinCall, lowerBuiltinCond } from "../builtins/index.ts";
import { lowerRuntimeCall, lowerRuntimeCond, RUNTIME_MODULE } from "../../../runtime-shims/runtime/ion-lowering.ts";
import { atom, boolValue, type Cond } from "./conditions.ts";
import { decodeArray, encodeArray } from "./arrays.ts";
import { type FnContext, returned, type ScalarVal, stable, type Val, varVal } from "./context.ts";
import { lowerExpr } from "./expressions.ts";
import { isArrayKind, type ScalarKind } from "./types.ts";

const DUMMY: Val = { t: "scalar", kind: "number", word: "0", lit: "0" };

/** True when evaluating `node` may change a variable or run a command. */
export function hasSideEffects(node: Node): boolean {
  if (Node.isCallExpression(node)) return true;
  if (Node.isPrefixUnaryExpression(node) || Node.isPostfixUnaryExpression(node)) {
    const op = node.getOperatorToken();
    if (op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken) return true;
  }
  if (Node.isBinaryExpression(node)) {
    const k = node.getOperatorToken().getKind();
    if (k >= SyntaxKind.FirstAssignment && k <= SyntaxKind.LastAssignment) return true;
  }
  return node.getChildren().some(hasSideEffects);
}

/** True when evaluating `node` may assign a variable (calls aside: they cannot change the caller's locals, §4.1). */
function assigns(node: Node): boolean {
  if (Node.isPrefixUnaryExpression(node) || Node.isPostfixUnaryExpression(node)) {
    const op = node.getOperatorToken();
    if (op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken) return true;
  }
  if (Node.isBinaryExpression(node)) {
    const k = node.getOperatorToken().getKind();
    if (k >= SyntaxKind.FirstAssignment && k <= SyntaxKind.LastAssignment) return true;
  }
  return node.getChildren().some(assigns);
}

/**
 * Could evaluating `later` change what `v` reads? A local or parameter only
 * changes by this function's own assignments (no closures, and a callee
 * cannot write its caller's variables, §4.1); module state (the environment)
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

/** The argument words of a call to a program function (their statements emitted first). */
function userCallWords(fx: FnContext, info: import("./context.ts").FunctionInfo, call: CallExpression): string[] | undefined {
  void info;
  const args = call.getArguments() as Expression[];
  if (args.some((a) => Node.isSpreadElement(a))) {
    fx.program.report(call, "SpreadArgument", "Spread arguments are not supported in calls to program functions.");
    return undefined;
  }
  const vals = lowerOperands(fx, args);
  return vals.map((v) => (v.t === "array" ? word(encodeArray(fx, v.name)) : v.word));
}

function userCall(fx: FnContext, info: import("./context.ts").FunctionInfo, call: CallExpression): Val {
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
