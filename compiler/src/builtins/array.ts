/**
 * Array members: push, includes, indexOf, join, sort(). Loops index the array
 * (`"@a[${i}]"`) instead of iterating `@a` (a lone range-like element would be iterated
 * as a range).
 */
import { Node, type CallExpression, type Expression } from "ts-morph";
import { line } from "../ion/ast.ts";
import { RETURN_VAR } from "../ion/names.ts";
import { lowerOperands } from "../lower/calls.ts";
import { appendEncoded, decodeArray, encodeArray } from "../lower/arrays.ts";
import { type FnContext, type ScalarVal, type Val, varVal } from "../lower/context.ts";
import { concat, envArray, kindOfNode, literal, lowerArray, withArrayTarget, xWord } from "../lower/expressions.ts";
import { isArrayKind } from "../lower/types.ts";
import { atom, boolValue, type Cond } from "../lower/conditions.ts";

const ZERO: Val = { t: "scalar", kind: "number", word: "0", lit: "0" };

export function lowerArrayCall(fx: FnContext, call: CallExpression): Val | undefined {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const recv = callee.getExpression();
  const kind = kindOfNode(fx, recv);
  if (!kind || !isArrayKind(kind)) return undefined;
  const name = callee.getName();
  const args = call.getArguments() as Expression[];
  switch (name) {
    case "push": {
      const vals = lowerOperands(fx, args) as ScalarVal[];
      const env = envArray(fx, recv);
      if (env && Node.isExpressionStatement(call.getParent())) {
        // Its new length unused: append the encoded elements, no decoding.
        for (const v of vals) appendEncoded(fx, env, v.word);
        return ZERO;
      }
      // The new length only when it is used.
      const used = !Node.isExpressionStatement(call.getParent());
      const len = used ? fx.temp() : "";
      withArrayTarget(fx, recv, (arr) => {
        for (const v of vals) fx.emitLine(`let ${arr} ++= ${v.word}`);
        if (used) fx.emitLine(`let ${len} = $len(@${arr})`);
      });
      return used ? { ...varVal("number", len), plainInt: true } : ZERO;
    }
    case "includes":
    case "indexOf": {
      if (args.length !== 1) break;
      if (name === "includes") return boolValue(fx, lowerArrayCond(fx, call)!);
      return varVal("number", indexOf(fx, recv, args[0]));
    }
    case "join": {
      if (args.length > 1) break;
      const arr = lowerArray(fx, recv);
      const sep = args.length === 1 ? (lowerOperands(fx, args)[0] as ScalarVal) : literal(fx, "string", ",");
      const t = fx.temp();
      const i = fx.temp();
      const e = fx.temp();
      fx.emitLine(`let ${t} = ''`);
      // number elements print as JavaScript converts them (-0 as 0)
      const push = arr.kind === "number[]" ? [line(`let ${e} = "@${arr.name}[\${${i}}]"`), line(`let ${t} ++= $((${e} + 0))`)] : [line(`let ${t} ++= "@${arr.name}[\${${i}}]"`)];
      fx.emit({
        kind: "for",
        variable: i,
        words: `0..$len(@${arr.name})`,
        body: [{ kind: "if", branches: [{ cond: `test "\${${i}}" -gt 0`, body: [line(`let ${t} ++= ${sep.word}`)] }] }, ...push],
      });
      return varVal("string", t);
    }
    case "sort": {
      if (args.length !== 0) {
        fx.program.report(call, "UnsupportedMember", "sort() with a comparator is not supported.");
        return ZERO;
      }
      if (!Node.isExpressionStatement(call.getParent())) {
        fx.program.report(call, "ArrayAliasing", "Use sort() as a statement: its result would alias the array.");
      }
      withArrayTarget(fx, recv, (arr) => {
        const enc = encodeArray(fx, arr);
        fx.program.useHelper("f_rt_sort");
        fx.emitLine(`f_rt_sort "\${${enc}}"`);
        decodeArray(fx, `"\${env::${RETURN_VAR}}"`, arr);
      });
      return ZERO;
    }
  }
  fx.program.report(callee.getNameNode(), "UnsupportedMember", `The array member '${name}' is not supported here.`);
  return ZERO;
}

export { concat };

/** `recv.indexOf(x)` into a temporary (-1 when absent): an index loop comparing each element. */
function indexOf(fx: FnContext, recv: Expression, xe: Expression): string {
  const arr = lowerArray(fx, recv);
  const [x] = lowerOperands(fx, [xe]) as ScalarVal[];
  const t = fx.temp();
  const i = fx.temp();
  fx.emitLine(`let ${t} = -1`);
  fx.emit({
    kind: "for",
    variable: i,
    words: `0..$len(@${arr.name})`,
    body: [
      {
        kind: "if",
        branches: [
          {
            // numbers compare with -eq (-0 equals 0), everything else as text
            cond: x.kind === "number" ? `test "@${arr.name}[\${${i}}]" -eq ${x.word}` : `test "x@${arr.name}[\${${i}}]" = ${xWord(fx, x)}`,
            body: [line(`let ${t} = "\${${i}}"`), line("break")],
          },
        ],
      },
    ],
  });
  return t;
}

/** `a.includes(x)` as a condition: the index search, then whether it found one. */
export function lowerArrayCond(fx: FnContext, call: CallExpression): Cond | undefined {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== "includes" || call.getArguments().length !== 1) return undefined;
  const kind = kindOfNode(fx, callee.getExpression());
  if (!kind || !isArrayKind(kind)) return undefined;
  return atom(`not test "\${${indexOf(fx, callee.getExpression(), call.getArguments()[0] as Expression)}}" = -1`);
}
