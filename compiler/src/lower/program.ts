/**
 * The whole program: modules bundled in evaluation order, functions reached
 * from top-level code (others are dropped), module variables placed (Ion
 * constants, f_main locals or environment variables), and the script
 * assembled in the shape of ion/names.ts.
 */
import { Node, SyntaxKind, type FunctionDeclaration, type SourceFile, type Symbol as TsSymbol } from "ts-morph";
import { line, type IonStmt } from "../ion/ast.ts";
import { printIon } from "../ion/printer.ts";
import { needsPiecewise, quote, quotePieces } from "../ion/quote.ts";
import { resolvePrelude } from "../prelude.ts";
import { decodeArray } from "./arrays.ts";
import { FnContext, type FunctionInfo, type ProgramContext } from "./context.ts";
import { lowerStatements } from "./statements.ts";
import { inlineStatement } from "./calls.ts";
import { isArrayKind, kindOf, type ValueKind } from "./types.ts";

const VERSION = "0.1.0";

/** Modules reachable from the entry through relative imports, dependencies first (ES evaluation order). */
export function collectModules(p: ProgramContext): SourceFile[] {
  const order: SourceFile[] = [];
  const seen = new Set<SourceFile>();
  const visit = (sf: SourceFile) => {
    if (seen.has(sf)) return;
    seen.add(sf);
    for (const imp of sf.getImportDeclarations()) {
      const spec = imp.getModuleSpecifierValue();
      if (spec === "tsion/runtime") continue;
      if (!spec.startsWith("./") && !spec.startsWith("../")) {
        p.report(imp.getModuleSpecifier(), "UnsupportedImport", `Only "tsion/runtime" and relative guest modules can be imported, not "${spec}".`);
        continue;
      }
      const target = imp.getModuleSpecifierSourceFile();
      if (!target) continue; // TypeScript reports the unresolved import itself.
      if (target.getFilePath() === p.runtimeFile) continue;
      visit(target);
    }
    for (const exp of sf.getExportDeclarations()) {
      if (exp.getModuleSpecifierValue()) p.report(exp, "UnsupportedImport", "Re-exports are not supported; import from the module itself.");
    }
    order.push(sf);
  };
  visit(p.entry);
  return order;
}

function resolved(sym: TsSymbol | undefined): TsSymbol | undefined {
  if (!sym) return undefined;
  return sym.isAlias() ? sym.getAliasedSymbol() ?? sym : sym;
}

/** Register functions and find the ones reachable from top-level code. */
function collectFunctions(p: ProgramContext, modules: SourceFile[]): void {
  for (const sf of modules) {
    for (const fn of sf.getFunctions()) {
      const name = fn.getName();
      if (!name) continue;
      if (!fn.getBody()) continue; // overload signatures
      const params = fn.getParameters().map((pd) => {
        const k = kindOf(pd.getType());
        if (pd.isRestParameter() || pd.isOptional() || pd.hasInitializer()) {
          p.report(pd, "UnsupportedSyntax", "Optional, default and rest parameters are not supported.");
        }
        if (!Node.isIdentifier(pd.getNameNode())) p.report(pd, "UnsupportedSyntax", "Destructuring parameters are not supported.");
        if (!k || k === "void" || k === "never") p.report(pd, "UnsupportedType", `Parameter type '${pd.getType().getText(pd)}' is outside the tsion subset.`);
        return { name: pd.getName(), kind: (k ?? "string") as ValueKind };
      });
      const rk = kindOf(fn.getReturnType());
      if (!rk) p.report(fn.getReturnTypeNode() ?? fn.getNameNode() ?? fn, "UnsupportedType", `Return type '${fn.getReturnType().getText(fn)}' is outside the tsion subset.`);
      if (fn.isAsync() || fn.isGenerator()) p.report(fn.getNameNode() ?? fn, "UnsupportedSyntax", "Async functions and generators are not supported.");
      p.functions.set(fn, { ionName: p.globals.fresh("f_", name), decl: fn, params, returns: rk ?? "void", used: false });
    }
  }
  // Reachability from top-level code. Import and export lists only name
  // functions (an imported function is not thereby called), and types never run.
  const work: Node[] = [];
  for (const sf of modules) {
    for (const st of sf.getStatements()) {
      if (Node.isFunctionDeclaration(st) || Node.isImportDeclaration(st) || Node.isExportDeclaration(st)) continue;
      if (Node.isTypeAliasDeclaration(st) || Node.isInterfaceDeclaration(st)) continue;
      work.push(st);
    }
  }
  const mark = (root: Node) => {
    root.forEachDescendant((d) => {
      if (!Node.isIdentifier(d)) return;
      const decl = resolved(d.getSymbol())?.getDeclarations()[0];
      const info = decl && p.functions.get(decl);
      if (info && !info.used) {
        info.used = true;
        work.push((decl as FunctionDeclaration).getBody()!);
      }
    });
  };
  while (work.length) mark(work.pop()!);
}

/** Symbols of arrays changed in place anywhere (push, sort, element assignment). */
function collectMutated(p: ProgramContext, modules: SourceFile[]): void {
  for (const sf of modules) {
    sf.forEachDescendant((d) => {
      let target: Node | undefined;
      if (Node.isCallExpression(d)) {
        const callee = d.getExpression();
        if (Node.isPropertyAccessExpression(callee) && ["push", "sort"].includes(callee.getName())) target = callee.getExpression();
      } else if (Node.isBinaryExpression(d) && d.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
        const l = d.getLeft();
        if (Node.isElementAccessExpression(l)) target = l.getExpression();
      }
      if (target && Node.isIdentifier(target)) {
        const s = resolved(target.getSymbol());
        if (s && isArrayKind(kindOf(target.getType()) ?? "void")) p.mutated.add(s);
      }
    });
  }
}

function isLiteralInit(e: Node | undefined): e is Node {
  if (!e) return false;
  if (Node.isStringLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e)) return true;
  if (Node.isNumericLiteral(e)) return Number.isSafeInteger(e.getLiteralValue());
  if (e.getKind() === SyntaxKind.TrueKeyword || e.getKind() === SyntaxKind.FalseKeyword) return true;
  if (Node.isPrefixUnaryExpression(e) && e.getOperatorToken() === SyntaxKind.MinusToken) {
    const o = e.getOperand();
    return Node.isNumericLiteral(o) && Number.isSafeInteger(o.getLiteralValue());
  }
  return false;
}

function literalText(e: Node): string {
  if (Node.isStringLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e)) return e.getLiteralValue();
  if (Node.isNumericLiteral(e)) return String(e.getLiteralValue());
  if (Node.isPrefixUnaryExpression(e)) return String(-(e.getOperand() as import("ts-morph").NumericLiteral).getLiteralValue());
  return e.getText();
}

/** Where each module-level variable lives; the ones only top-level code uses become f_main locals. */
function placeModuleVars(p: ProgramContext, modules: SourceFile[], main: FnContext): void {
  const readInFunctions = new Set<TsSymbol>();
  for (const info of p.functions.values()) {
    if (!info.used) continue;
    info.decl.forEachDescendant((d) => {
      if (Node.isIdentifier(d)) {
        const s = resolved(d.getSymbol());
        if (s) readInFunctions.add(s);
      }
    });
  }
  const writtenAnywhere = (sym: TsSymbol) => p.assigned.has(sym);
  for (const sf of modules) {
    for (const vs of sf.getVariableStatements()) {
      for (const d of vs.getDeclarations()) {
        const nameNode = d.getNameNode();
        if (!Node.isIdentifier(nameNode)) continue; // reported when lowered
        const sym = nameNode.getSymbol();
        const kind = kindOf(nameNode.getType());
        if (!sym || !kind) continue;
        if (!readInFunctions.has(sym)) continue; // stays an f_main local
        const init = d.getInitializer();
        if (vs.getDeclarationKind() === "const" && !isArrayKind(kind) && isLiteralInit(init) && !writtenAnywhere(sym)) {
          const name = p.globals.fresh("K_", nameNode.getText());
          const value = literalText(init);
          const pieces = needsPiecewise(value) ? quotePieces(value) : [quote(value)];
          pieces.forEach((pc, i) => p.constants.push(line(`let ${name} ${i === 0 ? "=" : "++="} ${pc}`)));
          p.moduleVars.set(sym, { storage: "const", name, kind, value });
          continue;
        }
        if (!init) p.report(d, "ModuleVarInit", `Module-level variable '${nameNode.getText()}' needs an initial value.`);
        p.moduleVars.set(sym, { storage: "env", name: p.globals.fresh("TSION_G_", nameNode.getText()), kind });
      }
    }
  }
  void main;
}

/** Symbols assigned somewhere (so a `const`-looking literal stays a variable when written). */
function collectAssigned(p: ProgramContext, modules: SourceFile[]): void {
  for (const sf of modules) {
    sf.forEachDescendant((d) => {
      let target: Node | undefined;
      if (Node.isBinaryExpression(d)) {
        const k = d.getOperatorToken().getKind();
        if (k >= SyntaxKind.FirstAssignment && k <= SyntaxKind.LastAssignment) target = d.getLeft();
      } else if (Node.isPrefixUnaryExpression(d) || Node.isPostfixUnaryExpression(d)) {
        const op = d.getOperatorToken();
        if (op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken) target = d.getOperand();
      }
      if (target && Node.isIdentifier(target)) {
        const s = resolved(target.getSymbol());
        if (s) p.assigned.add(s);
      }
    });
  }
}

function lowerFunction(p: ProgramContext, info: FunctionInfo): IonStmt {
  const fn = info.decl as FunctionDeclaration;
  const fx = new FnContext(p, info.ionName, info);
  const paramNames: string[] = [];
  const decode = fx.block(() => {
    fn.getParameters().forEach((pd, i) => {
      const pname = fx.names.fresh("p_", pd.getName());
      paramNames.push(pname);
      const sym = pd.getNameNode().getSymbol();
      const kind = info.params[i].kind;
      if (!sym) return;
      if (p.mutated.has(sym)) p.report(pd, "ArrayAliasing", `Parameter '${pd.getName()}' is modified; Ion passes arrays as copies, JavaScript by reference.`);
      if (isArrayKind(kind)) {
        const arr = fx.declare("l_", pd.getName(), true);
        decodeArray(fx, `"\${${pname}}"`, arr);
        fx.locals.set(sym, { name: arr, kind });
      } else fx.locals.set(sym, { name: pname, kind });
    });
  });
  const body = fx.block(() => lowerStatements(fx, fn.getBody()!.asKindOrThrow(SyntaxKind.Block).getStatements()));
  const sf = fn.getSourceFile();
  return {
    kind: "fn",
    name: info.ionName,
    params: paramNames,
    body: functionBody(fx.hoisted, [...decode, ...body]),
    doc: `${fn.getName()}() from ${p.rel(sf.getFilePath())}:${fn.getStartLineNumber()}`,
  };
}

/** Size of a script against its source (reported by `npm run bench`). */
export interface ScriptStats {
  /** TypeScript lines of reachable code (function bodies and top-level statements), blank and comment lines excluded. */
  tsLines: number;
  /** Ion lines generated for that code (program functions, f_main, program constants), blank and comment lines excluded. */
  ionLines: number;
  /** Ion lines of the runtime helpers and their constants, counted the same way. */
  preludeLines: number;
  /** Program functions emitted (reachable ones only). */
  functions: number;
}

/** Lines that are neither blank nor only a comment. */
function codeLines(lines: string[], comment: RegExp): number {
  return lines.filter((l) => l.trim() !== "" && !comment.test(l.trim())).length;
}

const TS_COMMENT = /^(\/\/|\/\*|\*)/;
const ION_COMMENT = /^#/;

function tsLinesOf(nodes: Node[]): number {
  let n = 0;
  for (const node of nodes) {
    const text = node.getSourceFile().getFullText().split("\n");
    n += codeLines(text.slice(node.getStartLineNumber() - 1, node.getEndLineNumber()), TS_COMMENT);
  }
  return n;
}

/** A `return` that ends the function anyway (the last statement, or the last of a final `if`'s branches) is dropped. */
function dropFinalReturn(stmts: IonStmt[]): void {
  const last = stmts[stmts.length - 1];
  if (!last) return;
  if (last.kind === "line" && last.text === "return") stmts.pop();
  else if (last.kind === "if") {
    last.branches.forEach((b) => dropFinalReturn(b.body));
    if (last.otherwise) dropFinalReturn(last.otherwise);
  }
}

/**
 * A function's statements: its hoisted declarations (ion/names.ts rule 2),
 * then its body. A declaration is left out when the body assigns the
 * variable before any block, call or capture and before anything reads it:
 * that assignment then creates it in the function's own scope, which is as
 * safe as the declaration (scope_main_pattern_hoisted_locals). The
 * others are declared together, in parallel `let`s (`let l_a t_1 = '' []`,
 * extra/let_parallel_declarations), before anything else runs.
 */
function functionBody(hoisted: { name: string; isArray: boolean }[], body: IonStmt[]): IonStmt[] {
  dropFinalReturn(body);
  const created = new Set<string>();
  const seen = new Set<string>();
  for (const s of body) {
    if (s.kind === "marker" || s.kind === "comment") continue;
    if (s.kind !== "line" || /^f_/.test(s.text) || /\$\((?!\()/.test(s.text)) break;
    const m = /^let ([A-Za-z_][A-Za-z0-9_]*) = ([^]*)$/.exec(s.text);
    if (m && !seen.has(m[1]) && !new RegExp(`\\b${m[1]}\\b`).test(m[2])) created.add(m[1]);
    for (const n of s.text.match(/\b[lptK]_[A-Za-z0-9_]+/g) ?? []) seen.add(n);
  }
  return [...declarations(hoisted.filter((h) => !created.has(h.name))), ...body];
}

/** Lines declaring variables empty (`''`) or as empty arrays (`[]`), several per parallel `let`. */
function declarations(vars: { name: string; isArray: boolean }[]): IonStmt[] {
  const out: IonStmt[] = [];
  let names: string[] = [];
  let values: string[] = [];
  const flush = () => {
    if (names.length) out.push(line(`let ${names.join(" ")} = ${values.join(" ")}`));
    names = [];
    values = [];
  };
  for (const v of vars) {
    const value = v.isArray ? "[]" : "''";
    // Lines stay readable: a new `let` past DECLARATION_WIDTH characters.
    if (names.length && `let ${[...names, v.name].join(" ")} = ${[...values, value].join(" ")}`.length > DECLARATION_WIDTH) flush();
    names.push(v.name);
    values.push(value);
  }
  flush();
  return out;
}

const DECLARATION_WIDTH = 100;

/** Lower the program whose entry is `p.entry` to the text of one Ion script. */
export function lowerProgram(p: ProgramContext): { ion: string; stats: ScriptStats } {
  const modules = collectModules(p);
  p.modules = modules;
  collectAssigned(p, modules);
  collectMutated(p, modules);
  collectFunctions(p, modules);
  const main = new FnContext(p, "f_main");
  placeModuleVars(p, modules, main);

  // f_main: every module's top-level code in evaluation order.
  const mainBody = main.block(() => {
    for (const sf of modules) {
      for (const st of sf.getStatements()) {
        if (Node.isVariableStatement(st)) {
          lowerModuleVariables(main, st);
          continue;
        }
        lowerStatements(main, [st]);
      }
    }
  });
  const fns: IonStmt[] = [];
  // Functions lowered at their call sites (lower/calls.ts, inlineStatement) are not emitted.
  for (const info of p.functions.values()) if (info.used && !inlineStatement(p, info)) fns.push(lowerFunction(p, info));

  const prelude = resolvePrelude(p.preludeUsed);
  const header = [
    "#!/usr/bin/ion",
    `# Generated by tsion ${VERSION} from ${p.rel(p.entry.getFilePath())}. Do not edit: change the TypeScript and rebuild.`,
    ...(modules.length > 1 ? [`# Modules: ${modules.map((m) => p.rel(m.getFilePath())).join(", ")}`] : []),
    "# Shape (docs/ion-lowering.md): constants, functions, f_main, exit.",
  ];
  const sections: string[] = [header.join("\n")];
  const programConsts = printIon(p.constants);
  const consts = [...prelude.constants, programConsts].filter((s) => s !== "");
  if (consts.length) sections.push(consts.join("\n"));
  if (prelude.functions.length) sections.push(prelude.functions.join("\n\n"));
  const programFns = fns.map((f) => printIon([f])).join("\n\n");
  if (fns.length) sections.push(programFns);
  const mainText = printIon([{ kind: "fn", name: "f_main", params: [], body: functionBody(main.hoisted, mainBody), doc: "Top-level code of every module, in evaluation order." }]);
  sections.push(mainText);
  sections.push("f_main\nexit 0");
  const reachable = [...p.functions.values()].filter((f) => f.used).map((f) => f.decl);
  const topLevel = modules.flatMap((m) => m.getStatements().filter((st) => !Node.isFunctionDeclaration(st) && !Node.isImportDeclaration(st) && !Node.isExportDeclaration(st) && !Node.isTypeAliasDeclaration(st) && !Node.isInterfaceDeclaration(st)));
  const stats: ScriptStats = {
    tsLines: tsLinesOf([...reachable, ...topLevel]),
    ionLines: codeLines([programConsts, programFns, mainText].join("\n").split("\n"), ION_COMMENT),
    preludeLines: codeLines([...prelude.constants, ...prelude.functions].join("\n").split("\n"), ION_COMMENT),
    functions: fns.length,
  };
  return { ion: sections.join("\n\n") + "\n", stats };
}

/** Module-level `let`/`const`: f_main locals, or environment variables when functions use them. */
function lowerModuleVariables(main: FnContext, st: import("ts-morph").VariableStatement): void {
  const p = main.program;
  if (st.getDeclarationKind() === "var") {
    p.report(st, "UnsupportedStatement", "'var' is not supported; use let or const.");
    return;
  }
  for (const d of st.getDeclarations()) {
    const sym = d.getNameNode().getSymbol();
    const mv = sym && p.moduleVars.get(sym);
    if (!mv) {
      // Only top-level code uses it: an ordinary local of f_main.
      main.lastMarkerLine = -1;
      main.emit({ kind: "marker", file: p.rel(d.getSourceFile().getFilePath()), line: d.getStartLineNumber() });
      declareTopLevel(main, d);
      continue;
    }
    if (mv.storage === "const") continue;
    const init = d.getInitializer();
    if (!init) continue;
    main.emit({ kind: "marker", file: p.rel(d.getSourceFile().getFilePath()), line: d.getStartLineNumber() });
    main.lastMarkerLine = d.getStartLineNumber();
    assignModuleVar(main, d, init);
  }
}

import { declareVariable } from "./statements.ts";
import { assignLiteralArray, assignTo } from "./expressions.ts";
import { lowerExpr } from "./expressions.ts";

function declareTopLevel(main: FnContext, d: import("ts-morph").VariableDeclaration): void {
  declareVariable(main, d);
}

function assignModuleVar(main: FnContext, d: import("ts-morph").VariableDeclaration, init: import("ts-morph").Expression): void {
  if (assignLiteralArray(main, d.getNameNode(), init)) return;
  const v = lowerExpr(main, init);
  assignTo(main, d.getNameNode() as import("ts-morph").Identifier, v);
}
