/**
 * Statements: variable declarations (block scoping by renaming, hoisted: ion/names.ts),
 * expression statements, if/else chains, blocks, return. Loops and switch
 * are in loops.ts and switch.ts.
 */
import { Node, SyntaxKind, type Statement, type VariableDeclaration } from "ts-morph";
import { line } from "../ion/ast.ts";
import { envWord, RETURN_VAR, word } from "../ion/names.ts";
import { encodeArray } from "./arrays.ts";
import type { FnContext } from "./context.ts";
import { appendArray, encodeElements, lowerExpr, requireKind } from "./expressions.ts";
import { condText, isTrue, lowerCond } from "./conditions.ts";
import { lowerBreakContinue, lowerLabeled, lowerLoop } from "./loops.ts";
import { lowerSwitch } from "./switch.ts";
import { lowerCallCond, lowerOperands } from "./calls.ts";
import { isArrayKind } from "./types.ts";

export function lowerStatements(fx: FnContext, stmts: Statement[]): void {
  for (const s of stmts) {
    const mark = fx.tempMark();
    fx.statementDepth++;
    try {
      lowerStatement(fx, s);
    } finally {
      fx.statementDepth--;
    }
    fx.recycleTemps(mark);
  }
}

function marker(fx: FnContext, s: Statement): void {
  const ln = s.getStartLineNumber();
  if (ln === fx.lastMarkerLine) return;
  fx.lastMarkerLine = ln;
  fx.emit({ kind: "marker", file: fx.program.rel(s.getSourceFile().getFilePath()), line: ln });
}

export function lowerStatement(fx: FnContext, s: Statement): void {
  const p = fx.program;
  if (Node.isEmptyStatement(s) || Node.isTypeAliasDeclaration(s) || Node.isInterfaceDeclaration(s)) return;
  if (Node.isImportDeclaration(s)) return;
  if (Node.isExportDeclaration(s) && !s.getModuleSpecifier()) return;
  if (Node.isFunctionDeclaration(s)) {
    if (!Node.isSourceFile(s.getParent())) p.report(s.getNameNode() ?? s, "NestedFunction", "Functions must be declared at the top level of a module.");
    return;
  }
  marker(fx, s);
  if (Node.isVariableStatement(s)) {
    if (s.getDeclarationKind() === "var") {
      p.report(s, "UnsupportedStatement", "'var' is not supported; use let or const.");
      return;
    }
    for (const d of s.getDeclarations()) declareVariable(fx, d);
    return;
  }
  if (Node.isExpressionStatement(s)) {
    lowerEffect(fx, s.getExpression());
    return;
  }
  if (Node.isBlock(s)) {
    lowerStatements(fx, s.getStatements());
    return;
  }
  if (Node.isIfStatement(s)) {
    lowerIf(fx, s);
    return;
  }
  if (Node.isReturnStatement(s)) {
    lowerReturn(fx, s);
    return;
  }
  if (Node.isWhileStatement(s) || Node.isDoStatement(s) || Node.isForStatement(s) || Node.isForOfStatement(s)) {
    lowerLoop(fx, s);
    return;
  }
  if (Node.isBreakStatement(s) || Node.isContinueStatement(s)) {
    lowerBreakContinue(fx, s);
    return;
  }
  if (Node.isLabeledStatement(s)) {
    lowerLabeled(fx, s);
    return;
  }
  if (Node.isSwitchStatement(s)) {
    lowerSwitch(fx, s);
    return;
  }
  p.report(s, "UnsupportedStatement", `${s.getKindName()} is not supported by tsion.`);
}

/**
 * An expression evaluated for its effect only. `i++` / `--i` on a local
 * becomes `let l_i += 1` (no copy of the old value is needed).
 */
export function lowerEffect(fx: FnContext, e: import("ts-morph").Expression): void {
  // A call whose boolean result is its status, result unused: just the command.
  if (Node.isCallExpression(e)) {
    const c = lowerCallCond(fx, e);
    if (c) {
      fx.emitLine(condText(c));
      return;
    }
  }
  if ((Node.isPostfixUnaryExpression(e) || Node.isPrefixUnaryExpression(e)) && Node.isIdentifier(e.getOperand())) {
    const op = e.getOperatorToken();
    const sym = e.getOperand().getSymbol();
    const local = sym && fx.locals.get(sym);
    if (local && local.kind === "number" && (op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken)) {
      fx.emitLine(`let ${local.name} ${op === SyntaxKind.PlusPlusToken ? "+=" : "-="} 1`);
      return;
    }
  }
  lowerExpr(fx, e);
}

/** `let`/`const` inside a function: a hoisted, uniquely named Ion local. */
export function declareVariable(fx: FnContext, d: VariableDeclaration): void {
  const p = fx.program;
  const nameNode = d.getNameNode();
  if (!Node.isIdentifier(nameNode)) {
    p.report(nameNode, "UnsupportedSyntax", "Destructuring is not supported.");
    return;
  }
  const kind = requireKind(fx, nameNode);
  const sym = nameNode.getSymbol();
  if (!sym) return;
  const init = d.getInitializer();
  const isArr = isArrayKind(kind);
  if (isArr && init) checkArrayInit(fx, sym, init);
  if (isArr && init) {
    const v = lowerExpr(fx, init);
    if (v.t === "array" && v.fresh && v.name.startsWith("t_")) {
      // A fresh array is owned by this variable: no copy needed.
      fx.pin(v.name);
      fx.locals.set(sym, { name: v.name, kind });
      return;
    }
    const name = fx.declare("l_", nameNode.getText(), true);
    fx.locals.set(sym, { name, kind });
    if (v.t === "array") appendArray(fx, name, v.name);
    return;
  }
  const name = fx.declare("l_", nameNode.getText(), isArr);
  if (!init) {
    fx.locals.set(sym, { name, kind });
    return;
  }
  const mark = fx.out.length;
  const v = lowerExpr(fx, init);
  // Registered after the initializer: `const x = x + 1` with a shadowed x reads the outer one.
  // A const with a value known at compile time is read as that value.
  const isConst = d.getVariableStatement()?.getDeclarationKind() === "const";
  fx.locals.set(sym, { name, kind, lit: isConst && v.t === "scalar" ? v.lit : undefined });
  if (v.t !== "scalar") return;
  // A value built in a temporary is built in the variable instead.
  if (v.varName && fx.retarget(mark, v.varName, name)) return;
  fx.emitLine(`let ${name} = ${v.word}`);
}

/** Ion copies arrays, so an array that is modified must not share its value with another name. */
export function checkArrayInit(fx: FnContext, sym: import("ts-morph").Symbol, init: Node): void {
  const p = fx.program;
  const e = unwrap(init);
  if (p.mutated.has(sym) && !isFreshArray(p, e, new Set())) {
    p.report(init, "ArrayAliasing", "This array is modified later, so it must start as a new array (a literal, split(), listDir() or args()).");
  }
  if (Node.isIdentifier(e)) {
    const src = e.getSymbol();
    if (src && p.mutated.has(src)) p.report(init, "ArrayAliasing", `'${e.getText()}' is modified elsewhere; Ion would copy it, JavaScript would share it.`);
  }
}

function unwrap(n: Node): Node {
  let e = n;
  while (Node.isParenthesizedExpression(e) || Node.isAsExpression(e)) e = e.getExpression();
  return e;
}

/**
 * Is this array expression a new array that nothing else refers to? Array
 * literals, split(), listDir(), args(), and calls of functions whose every
 * `return` gives such an array or a local variable holding one.
 */
export function isFreshArray(p: import("./context.ts").ProgramContext, node: Node, seen: Set<Node>): boolean {
  const e = unwrap(node);
  if (Node.isArrayLiteralExpression(e)) return true;
  if (!Node.isCallExpression(e)) return false;
  const callee = e.getExpression();
  if (Node.isPropertyAccessExpression(callee)) return callee.getName() === "split";
  if (!Node.isIdentifier(callee)) return false;
  let sym = callee.getSymbol();
  if (sym?.isAlias()) sym = sym.getAliasedSymbol() ?? sym;
  const decl = sym?.getDeclarations()[0];
  if (!decl || !Node.isFunctionDeclaration(decl)) return false;
  if (decl.getSourceFile().getFilePath() === p.runtimeFile) return ["listDir", "args"].includes(decl.getName() ?? "");
  if (seen.has(decl)) return true; // recursion: decided by the other returns
  seen.add(decl);
  const body = decl.getBody();
  if (!body) return false;
  const returns = body.getDescendantsOfKind(SyntaxKind.ReturnStatement);
  return returns.every((r) => {
    const x = r.getExpression();
    if (!x) return true;
    const u = unwrap(x);
    if (Node.isIdentifier(u)) {
      const vd = u.getSymbol()?.getDeclarations()[0];
      // A local of this function initialized with a fresh array.
      if (!vd || !Node.isVariableDeclaration(vd) || vd.getFirstAncestorByKind(SyntaxKind.FunctionDeclaration) !== decl) return false;
      const init = vd.getInitializer();
      return !!init && isFreshArray(p, init, seen);
    }
    return isFreshArray(p, u, seen);
  });
}

function lowerIf(fx: FnContext, s: import("ts-morph").IfStatement): void {
  const cond = condText(lowerCond(fx, s.getExpression()));
  const then = fx.block(() => lowerStatement(fx, s.getThenStatement()));
  const branches = [{ cond, body: then }];
  let otherwise: import("../ion/ast.ts").IonStmt[] | undefined;
  let next = s.getElseStatement();
  while (next) {
    if (Node.isIfStatement(next)) {
      const elseIf = next;
      let c2 = "";
      const pre = fx.block(() => {
        c2 = condText(lowerCond(fx, elseIf.getExpression()));
      });
      if (pre.length === 0) {
        branches.push({ cond: c2, body: fx.block(() => lowerStatement(fx, elseIf.getThenStatement())) });
        next = elseIf.getElseStatement();
        continue;
      }
      // The condition needs statements first: nest it in the else branch.
      otherwise = fx.block(() => lowerIf(fx, elseIf));
      break;
    }
    const last = next;
    otherwise = fx.block(() => lowerStatement(fx, last));
    break;
  }
  fx.emit({ kind: "if", branches, otherwise });
}

function lowerReturn(fx: FnContext, s: import("ts-morph").ReturnStatement): void {
  const e = s.getExpression();
  if (e && fx.info?.returns === "boolean") {
    // A boolean result is the function's status (lower/calls.ts): `return 0`
    // or `return 1`, or the condition as a command whose status `return` keeps.
    const literal = { [SyntaxKind.TrueKeyword]: "0", [SyntaxKind.FalseKeyword]: "1" }[e.getKind() as number];
    const c = literal === undefined ? lowerCond(fx, e) : undefined;
    if (literal !== undefined || isTrue(c!)) fx.emit(line(`return ${literal ?? "0"}`));
    else fx.emit(line(condText(c!)), line("return"));
    return;
  }
  const elements = e && arrayLiteralElements(e);
  if (elements) {
    // `return [a, b]`: the encoded elements, no Ion array built.
    const enc = encodeElements(fx, lowerOperands(fx, elements) as import("./context.ts").ScalarVal[]);
    fx.emitLine(`export ${RETURN_VAR} = ${enc.word}`);
  } else if (e) {
    const v = lowerExpr(fx, e);
    if (v.t === "array") {
      if (Node.isIdentifier(e)) {
        const sym = e.getSymbol();
        if (sym && fx.program.mutated.has(sym) && fx.program.moduleVars.has(sym)) {
          fx.program.report(e, "ArrayAliasing", "Returning a modified module-level array would share it in JavaScript but copy it in Ion.");
        }
      }
      const enc = encodeArray(fx, v.name, v.kind !== "string[]");
      fx.emitLine(`export ${RETURN_VAR} = ${word(enc)}`);
    } else if (v.volatile && v.word === envWord(RETURN_VAR)) {
      // `return f(x)`: TSION_R already holds the value (the getter checks it still does)
    } else if (!isNeverOrVoid(fx, e)) fx.emitLine(`export ${RETURN_VAR} = ${v.word}`);
  }
  fx.emit(line("return"));
}

/** The elements of an array literal without spreads, or undefined. */
export function arrayLiteralElements(e: Node): import("ts-morph").Expression[] | undefined {
  const u = unwrap(e);
  if (!Node.isArrayLiteralExpression(u) || u.getElements().some((x) => Node.isSpreadElement(x))) return undefined;
  return u.getElements();
}

function isNeverOrVoid(fx: FnContext, e: Node): boolean {
  const k = fx.program.kindAt(e);
  return k === "void" || k === "never";
}

export { SyntaxKind };
