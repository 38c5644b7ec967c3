/**
 * Every subset diagnostic the compiler reports: code, message template and
 * hint. docs/diagnostics.md lists the same table; test/compiler/diagnostics
 * has a test per code.
 *
 * Below the table: what to write instead of the constructs users reach for
 * most often (an arrow function, `process.argv`, a class, ...), chosen by
 * looking at the syntax a diagnostic points at (`specificHint`), and the
 * replacement of TypeScript's "install @types/node" advice, which is wrong
 * for a guest script (`refineDiagnostic`).
 */
import { ts } from "ts-morph";

export const Codes = {
  FileUnreadable: { code: "TSION1000", hint: "Check the path." },
  UnsupportedSyntax: { code: "TSION1001", hint: "Only the constructs listed in docs/subset.md compile to Ion." },
  UnsupportedType: { code: "TSION1002", hint: "Use string, number (integers), boolean, arrays of these or string-literal unions." },
  NonIntegerNumber: { code: "TSION1003", hint: "Numbers are integers in Ion; write Math.trunc(a / b) or Math.floor(a / b) for division." },
  UnsupportedCall: { code: "TSION1004", hint: "Call a top-level function of the program, a tsion/runtime primitive or a supported built-in." },
  UnsupportedMember: { code: "TSION1005", hint: "See docs/subset.md for the supported string and array members." },
  UnsupportedImport: { code: "TSION1006", hint: "Import from \"tsion/runtime\" or a relative guest module (\"./lib/x.ts\")." },
  NestedFunction: { code: "TSION1007", hint: "Declare functions at the top level of a module; Ion has no closures." },
  ArrayAliasing: { code: "TSION1008", hint: "Ion copies arrays; mutate only arrays created by a literal, split(), listDir() or args() in the same function." },
  EnvNameNotLiteral: { code: "TSION1009", hint: "Write env(\"NAME\") with a literal name made of letters, digits and _." },
  ConsoleFormat: { code: "TSION1011", hint: "Only %s, %d, %i, %c and %% are supported in console.log format strings." },
  BuiltinCommand: { code: "TSION1012", hint: "This name is an Ion builtin, so Ion would not run the external program; use its absolute path (e.g. /usr/bin/echo)." },
  ModuleVarInit: { code: "TSION1013", hint: "Give module-level variables an initial value." },
  UnsupportedStatement: { code: "TSION1014", hint: "Only the statements listed in docs/subset.md compile to Ion." },
  SpreadArgument: { code: "TSION1016", hint: "Spread only a string[] as the last argument of run() or capture()." },
  InternalError: { code: "TSION9999", hint: "This is a bug in tsion; please report it with the input program." },
} as const;

export type CodeName = keyof typeof Codes;

/** What to write instead of the constructs guest authors reach for most (docs/diagnostics.md lists them). */
export const ConstructHints = {
  arrowFunction:
    "Ion has no function values: declare a top-level function instead, e.g. function next(n: number): number { return n + 1; }",
  arrayCallback: "Callbacks need function values, which Ion lacks: write a loop, e.g. for (const x of xs) { ... }",
  classes: "Ion has no objects: keep state in module-level variables and write top-level functions that take and return strings, numbers, booleans or arrays.",
  objectLiteral: "Ion has no objects: use separate variables, arrays side by side, or a string such as \"key=value\" taken apart with split(\"=\").",
  regex: "Regular expressions do not compile to Ion: use includes(), startsWith(), endsWith(), indexOf(), split() or trim().",
  exceptions: "Ion has no exceptions: the primitives report failure in their result (writeFile() returns false, run() returns the status); check it with if, and end the program with console.error(...) and exit(1).",
  anyType: "Give the value a type Ion has: string, number (an integer), boolean, or an array of these.",
  fractionalNumber: "Numbers are integers in Ion: count in smaller units (milliseconds, tenths), or keep the text as a string; only sleep() takes a fraction, as a literal: sleep(0.5).",
  varDeclaration: "Write let, or const for a value that never changes.",
  nodeProcess: "A guest script runs under Ion on Redox, not under Node: from \"tsion/runtime\", args() is process.argv without the interpreter and script, env(\"NAME\") is process.env.NAME, exit(n) is process.exit(n).",
  nodeModule: "Node's modules do not exist on Redox: import what the guest needs from \"tsion/runtime\" (readFile, writeFile, exists, listDir, run, capture, sleep, ...).",
  nullOrUndefined: "Ion has no null or undefined: use a value of the same type that means \"none\" (\"\", -1, an empty array) or a separate boolean.",
} as const;

export type ConstructHintName = keyof typeof ConstructHints;

const ARRAY_CALLBACKS = new Set(["map", "filter", "forEach", "reduce", "reduceRight", "some", "every", "find", "findIndex", "findLast", "findLastIndex", "flatMap", "sort"]);
const NODE_MODULES = new Set(["fs", "path", "os", "child_process", "process", "util", "net", "http", "https", "crypto", "events", "stream", "url", "readline", "buffer", "timers", "dns", "zlib"]);
/** TypeScript's "Cannot find name 'x'. Do you need to install type definitions for node?" (and its variants). */
const NODE_TYPES_ADVICE = new Set(["TS2580", "TS2591"]);

function isNodeModuleSpecifier(spec: string): boolean {
  return spec.startsWith("node:") || NODE_MODULES.has(spec.split("/")[0]!);
}

/** The node a diagnostic points at: the outermost one starting at `line`/`col` (1-based), preferring one `length` long. */
export function nodeAt(sf: ts.SourceFile, line: number, col: number, length: number): ts.Node | undefined {
  if (line < 1 || line > sf.getLineStarts().length) return undefined;
  const pos = sf.getPositionOfLineAndCharacter(line - 1, col - 1);
  const starting: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (node.getStart(sf) === pos) starting.push(node);
    ts.forEachChild(node, (child) => {
      if (child.getStart(sf) <= pos && pos < child.getEnd()) visit(child);
    });
  };
  visit(sf);
  return starting.find((n) => n.getEnd() - n.getStart(sf) === length) ?? starting.find((n) => n.kind !== ts.SyntaxKind.SourceFile);
}

/** The innermost object of a chain like `process.argv[2].trim()`: `process`. */
function chainRoot(node: ts.Node): ts.Node {
  let n = node;
  while (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isCallExpression(n) || ts.isNonNullExpression(n) || ts.isParenthesizedExpression(n)) n = n.expression;
  return n;
}

/** The hint for a value of a construct users write (an expression the subset lacks). */
function expressionHint(node: ts.Node): ConstructHintName | undefined {
  const root = chainRoot(node);
  if (ts.isIdentifier(root) && root.text === "process") return "nodeProcess";
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "require") return "nodeModule";
  // A call on a regex or an object: the receiver is what to replace.
  if (root !== node && (ts.isRegularExpressionLiteral(root) || ts.isObjectLiteralExpression(root) || ts.isNewExpression(root))) return expressionHint(root);
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    const call = node.parent;
    if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && ARRAY_CALLBACKS.has(call.expression.name.text)) return "arrayCallback";
    return "arrowFunction";
  }
  if (ts.isObjectLiteralExpression(node)) return "objectLiteral";
  if (ts.isRegularExpressionLiteral(node)) return "regex";
  if (node.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(node) && node.text === "undefined")) return "nullOrUndefined";
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
    const name = node.expression.text;
    if (name === "RegExp") return "regex";
    if (name === "Map" || name === "Set" || name === "Object" || name === "WeakMap") return "objectLiteral";
    if (name.endsWith("Error")) return "exceptions";
  }
  if (ts.isClassExpression(node)) return "classes";
  return undefined;
}

/** The specific hint for a diagnostic at `node`, or undefined when the generic one is all there is to say. */
export function specificHint(code: string, node: ts.Node | undefined, message = ""): ConstructHintName | undefined {
  if (node === undefined) return undefined;
  switch (code) {
    case Codes.UnsupportedSyntax.code:
      return expressionHint(node);
    case Codes.UnsupportedStatement.code:
      if (ts.isClassDeclaration(node)) return "classes";
      if (ts.isTryStatement(node) || ts.isThrowStatement(node)) return "exceptions";
      if ((ts.isVariableStatement(node) || ts.isVariableDeclarationList(node)) && message.includes("'var'")) return "varDeclaration";
      return undefined;
    case Codes.UnsupportedType.code: {
      const decl = ts.isIdentifier(node) && (ts.isVariableDeclaration(node.parent) || ts.isParameter(node.parent)) ? node.parent : undefined;
      const init = decl && ts.isVariableDeclaration(decl) ? decl.initializer : undefined;
      if (init !== undefined && expressionHint(init) !== undefined) return expressionHint(init);
      if (/Type '(any|unknown)'/.test(message)) return "anyType";
      return undefined;
    }
    case Codes.NonIntegerNumber.code:
      return ts.isNumericLiteral(node) ? "fractionalNumber" : undefined;
    case Codes.UnsupportedMember.code:
    case Codes.UnsupportedCall.code: {
      // The member's name may be what is reported: look at the whole access.
      const access = ts.isIdentifier(node) && node.parent !== undefined && ts.isPropertyAccessExpression(node.parent) ? node.parent : node;
      const hint = expressionHint(access);
      if (hint !== undefined) return hint;
      if (ts.isPropertyAccessExpression(access) && ARRAY_CALLBACKS.has(access.name.text)) return "arrayCallback";
      return undefined;
    }
    case Codes.UnsupportedImport.code:
      return ts.isStringLiteral(node) && isNodeModuleSpecifier(node.text) ? "nodeModule" : undefined;
    default:
      return undefined;
  }
}

/**
 * A diagnostic's message and hint as tsion shows them: the specific hint of
 * the construct at `node` when there is one; TypeScript's advice to install
 * Node's type definitions replaced by what a guest script uses instead.
 */
export function refineDiagnostic(d: { code: string; message: string; hint?: string }, node: ts.Node | undefined): { message: string; hint?: string } {
  if (NODE_TYPES_ADVICE.has(d.code)) {
    const name = /'([^']+)'/.exec(d.message)?.[1] ?? "";
    const isModule = node !== undefined && ts.isStringLiteral(node);
    const message = isModule ? `Cannot find module '${name}'.` : `Cannot find name '${name}'.`;
    const hint = isModule || name === "require" ? ConstructHints.nodeModule : name === "process" ? ConstructHints.nodeProcess : `'${name}' belongs to Node, which a guest script does not run under. ${ConstructHints.nodeModule}`;
    return { message, hint };
  }
  const specific = specificHint(d.code, node, d.message);
  return { message: d.message, hint: specific === undefined ? d.hint : ConstructHints[specific] };
}
