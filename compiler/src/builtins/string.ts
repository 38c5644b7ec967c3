/**
 * String members. Ion's own string methods count graphemes or bytes and
 * C-unescape their arguments, so anything index-based goes
 * through prelude helpers that count UTF-16 code units like JavaScript.
 */
import { Node, type CallExpression, type Expression } from "ts-morph";
import { line } from "../ion/ast.ts";
import { lowerOperands } from "../lower/calls.ts";
import { type FnContext, type ScalarVal, type Val, varVal } from "../lower/context.ts";
import { helperCall, kindOfNode, locationWord, spliceable } from "../lower/expressions.ts";
import { RETURN_VAR } from "../ion/names.ts";
import { quote } from "../ion/quote.ts";
import { isPlainMethodLiteral } from "../ion/check.ts";
import { atom, boolValue, type Cond } from "../lower/conditions.ts";

const ZERO: Val = { t: "scalar", kind: "number", word: "0", lit: "0" };

const ARITY: Record<string, [number, number]> = {
  includes: [1, 1],
  startsWith: [1, 1],
  endsWith: [1, 1],
  indexOf: [1, 2],
  slice: [0, 2],
  trim: [0, 0],
  split: [1, 1],
  replace: [2, 2],
  replaceAll: [2, 2],
  toLowerCase: [0, 0],
  toUpperCase: [0, 0],
};

export function lowerStringCall(fx: FnContext, call: CallExpression): Val | undefined {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const recv = callee.getExpression();
  if (kindOfNode(fx, recv) !== "string") return undefined;
  const name = callee.getName();
  const args = call.getArguments() as Expression[];
  const arity = ARITY[name];
  if (!arity) {
    fx.program.report(callee.getNameNode(), "UnsupportedMember", `The string member '${name}' is not supported.`);
    return ZERO;
  }
  if (args.length < arity[0] || args.length > arity[1]) {
    fx.program.report(call, "UnsupportedMember", `'${name}' is supported with ${arity[0] === arity[1] ? arity[0] : `${arity[0]} to ${arity[1]}`} argument(s) only.`);
    return ZERO;
  }
  const [s, ...a] = lowerOperands(fx, [recv, ...args]) as ScalarVal[];
  switch (name) {
    case "includes":
    case "startsWith":
    case "endsWith":
      return boolValue(fx, stringCond(fx, name, s, a[0]));
    case "indexOf":
      if (a.length === 2) return helperCall(fx, "f_rt_find_from", [s.word, a[0].word, a[1].word], "number");
      return helperCall(fx, "f_rt_find", [s.word, a[0].word], "number");
    case "slice":
      return helperCall(fx, "f_rt_slice", [s.word, a[0]?.word ?? "0", a[1]?.word ?? "''"], "string");
    case "trim":
    case "toLowerCase":
    case "toUpperCase": {
      const method = { trim: "trim", toLowerCase: "to_lowercase", toUpperCase: "to_uppercase" }[name];
      const v = fx.toVar(s);
      const t = fx.temp();
      fx.emitLine(`let ${t} = $${method}($${v})`);
      return varVal("string", t);
    }
    case "replace":
    case "replaceAll":
      return helperCall(fx, "f_rt_replace", [s.word, a[0].word, a[1].word, name === "replace" ? "1" : "all", locationWord(fx, call)], "string");
    case "split":
      return split(fx, s, a[0]);
  }
  return ZERO;
}

/**
 * startsWith / endsWith as one command. A `.` on the outer side keeps either
 * word from being exactly -h/--help (a builtin's manual); after a runtime value it is the
 * variable K_DOT, since a literal there could panic ion (ion/quote.ts).
 */
function affixCond(fx: FnContext, name: "startsWith" | "endsWith", s: ScalarVal, x: ScalarVal): Cond {
  const pad = (v: ScalarVal): string => {
    if (v.lit !== undefined && !v.varName) return quote(name === "startsWith" ? `.${v.lit}` : `${v.lit}.`);
    if (name === "startsWith") return `".${spliceable(fx, v)}"`;
    fx.program.useHelper("K_text");
    return `"${spliceable(fx, v)}\${K_DOT}"`;
  };
  const [a, b] = [pad(s), pad(x)];
  return atom(`${name === "startsWith" ? "starts-with" : "ends-with"} ${a} ${b}`);
}

/** `s.includes(x)` (f_rt_includes's status), `s.startsWith(x)`, `s.endsWith(x)` as one command. */
function stringCond(fx: FnContext, name: "includes" | "startsWith" | "endsWith", s: ScalarVal, x: ScalarVal): Cond {
  if (name !== "includes") return affixCond(fx, name, s, x);
  fx.program.useHelper("f_rt_includes");
  return atom(`f_rt_includes ${s.word} ${x.word}`);
}

/** `s.includes(x)`, `s.startsWith(x)`, `s.endsWith(x)` used as a condition: the command itself, no boolean. */
export function lowerStringCond(fx: FnContext, call: CallExpression): Cond | undefined {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const name = callee.getName();
  if (name !== "startsWith" && name !== "endsWith" && name !== "includes") return undefined;
  if (kindOfNode(fx, callee.getExpression()) !== "string" || call.getArguments().length !== 1) return undefined;
  const [s, x] = lowerOperands(fx, [callee.getExpression(), call.getArguments()[0] as Expression]) as ScalarVal[];
  return stringCond(fx, name, s, x);
}

/**
 * s.split(sep): `@split` keeps empty pieces like JavaScript; the pieces are
 * pushed one by one (never `[@split(...)]`, which re-expands them), and a sentinel word keeps
 * a single piece such as `1..3` from being read as a range.
 * split("") splits into code points with `@chars`.
 */
function split(fx: FnContext, s: ScalarVal, sep: ScalarVal): Val {
  const arr = fx.newArray();
  const sv = fx.toVar(s);
  const e = fx.temp();
  const chars = { kind: "for" as const, variable: e, words: `@chars($${sv})`, body: [line(`let ${arr} ++= "\${${e}}"`)] };
  if (sep.lit === "") {
    fx.emit(chars);
    return { t: "array", kind: "string[]", name: arr, fresh: true };
  }
  // The separator as a method argument: a plain literal as is (ion/check.ts);
  // otherwise a variable, with backslashes doubled (method arguments are C-unescaped).
  let p: string;
  if (sep.lit !== undefined && isPlainMethodLiteral(sep.lit)) p = quote(sep.lit);
  else if (sep.lit !== undefined && !sep.lit.includes("\\")) p = "$" + fx.toVar(sep);
  else {
    fx.program.useHelper("f_rt_esc");
    fx.emitLine(`f_rt_esc ${sep.word}`);
    const t = fx.temp();
    fx.emitLine(`let ${t} = "\${env::${RETURN_VAR}}"`);
    p = "$" + t;
  }
  if (sep.lit === undefined) {
    // A runtime separator may be empty too.
    const pieces = fx.block(() => splitPieces(fx, sv, p, arr, e));
    fx.emit({ kind: "if", branches: [{ cond: `test "x\${${p.slice(1)}}" = x`, body: [chars] }], otherwise: pieces });
  } else splitPieces(fx, sv, p, arr, e);
  return { t: "array", kind: "string[]", name: arr, fresh: true };
}

/**
 * Push the pieces of `@split`, then drop the sentinel: the separator itself
 * follows the pieces as one more word, so `for` always sees several words
 * (a lone `1..3` piece is never read as a range), and no piece can
 * equal the separator, so `\\=` removes exactly the sentinel
 * (extra/split_sentinel_remove).
 */
function splitPieces(fx: FnContext, sv: string, p: string, arr: string, e: string): void {
  const sentinel = p.startsWith("$") ? `"\${${p.slice(1)}}"` : p;
  fx.emit({ kind: "for", variable: e, words: `@split($${sv} ${p}) ${sentinel}`, body: [line(`let ${arr} ++= "\${${e}}"`)] });
  fx.emitLine(`let ${arr} \\\\= ${sentinel}`);
}
