/**
 * console.log / console.error: the line Node prints (util.format semantics
 * for strings, integers and booleans), written by a flag-proof printer (f_rt_print in prelude.ts).
 */
import { Node, type CallExpression, type Expression } from "ts-morph";
import { line } from "../ion/ast.ts";
import { lowerOperands } from "../lower/calls.ts";
import { type FnContext, type ScalarVal, type Val } from "../lower/context.ts";
import { concat, helperCall, literal, locationWord, numText } from "../lower/expressions.ts";
import { encodeArray } from "../lower/arrays.ts";
import { quote } from "../ion/quote.ts";

const FLAG_LIKE = /^(-[ens]*|--(escape|no-newline|no-spaces|help)|-h)$/;

export function lowerConsoleCall(fx: FnContext, call: CallExpression): Val | undefined {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const obj = callee.getExpression();
  if (!Node.isIdentifier(obj) || obj.getText() !== "console") return undefined;
  const method = callee.getName();
  if (method !== "log" && method !== "error") {
    fx.program.report(call, "UnsupportedCall", `console.${method} is not supported; use console.log or console.error.`);
    return { t: "scalar", kind: "number", word: "0", lit: "0" };
  }
  const args = call.getArguments() as Expression[];
  const vals = lowerOperands(fx, args);
  const scalars: ScalarVal[] = [];
  vals.forEach((v, i) => {
    if (v.t === "array") fx.program.report(args[i], "UnsupportedType", "Print arrays with join(), e.g. console.log(a.join(\",\")).");
    else scalars.push(v);
  });
  const text = formatLine(fx, call, args, scalars);
  printLine(fx, text, method === "error");
  return { t: "scalar", kind: "number", word: "0", lit: "0" };
}

/** A string whose type is a union of literals none of which contains `%`: never a format. */
function percentFree(e: Expression): boolean {
  const t = e.getType();
  const members = t.isUnion() ? t.getUnionTypes() : [t];
  return members.every((m) => m.isStringLiteral() && !String(m.getLiteralValue()).includes("%"));
}

/** The text util.format would produce for these arguments. */
function formatLine(fx: FnContext, call: CallExpression, args: Expression[], vals: ScalarVal[]): ScalarVal {
  if (vals.length === 0) return literal(fx, "string", "");
  const [first, ...rest] = vals;
  const sep = literal(fx, "string", " ");
  const joinAll = (vs: ScalarVal[]) => concat(fx, vs.flatMap((v, i) => (i === 0 ? [v] : [sep, v])), true);
  if (first.kind !== "string" || rest.length === 0) return joinAll(vals);
  if (first.lit === undefined && !percentFree(args[0])) {
    // A format string known only at run time: util.format in the prelude.
    const arr = fx.newArray();
    for (const v of rest) fx.emitLine(`let ${arr} ++= ${v.word}`);
    const enc = encodeArray(fx, arr);
    const kinds = rest.map((v) => v.kind[0]).join("");
    return helperCall(fx, "f_rt_format", [first.word, quote(kinds), `"\${${enc}}"`, locationWord(fx, call)], "string");
  }
  if (first.lit === undefined) return joinAll(vals);
  // Compile-time util.format of a literal format string.
  const fmt = first.lit;
  const pieces: ScalarVal[] = [];
  let a = 0;
  let lastPos = 0;
  let acc = "";
  for (let i = 0; i < fmt.length - 1; i++) {
    if (fmt.charCodeAt(i) !== 37) continue;
    const next = fmt[++i];
    if (a < rest.length) {
      if (next === "s" || next === "d" || next === "i" || next === "c") {
        const arg = rest[a];
        if ((next === "d" || next === "i") && arg.kind !== "number") {
          fx.program.report(args[a + 1], "ConsoleFormat", `%${next} with a ${arg.kind} argument is not supported.`);
        }
        acc += fmt.slice(lastPos, i - 1);
        if (acc !== "") pieces.push(literal(fx, "string", acc));
        acc = "";
        // %i is parseInt(String(x)): -0 prints as 0; %s and %d keep -0
        if (next === "i") pieces.push(numText(fx, arg));
        else if (next !== "c") pieces.push(arg);
        a++;
        lastPos = i + 1;
      } else if (next === "%") {
        acc += fmt.slice(lastPos, i);
        lastPos = i + 1;
      } else if ("jfoO".includes(next)) {
        fx.program.report(args[0], "ConsoleFormat", `The format specifier %${next} is not supported.`);
      }
    } else if (next === "%") {
      acc += fmt.slice(lastPos, i);
      lastPos = i + 1;
    }
  }
  acc += fmt.slice(lastPos);
  if (acc !== "") pieces.push(literal(fx, "string", acc));
  const remaining = rest.slice(a);
  const all = [concat(fx, pieces, true), ...remaining];
  return joinAll(all);
}

function printLine(fx: FnContext, text: ScalarVal, toStderr: boolean): void {
  if (!toStderr && text.lit !== undefined && !text.varName && !FLAG_LIKE.test(text.lit)) {
    fx.emit(line(`echo ${quote(text.lit)}`));
    return;
  }
  const h = fx.program.useHelper(toStderr ? "f_rt_eprint" : "f_rt_print");
  fx.emit(line(`${h} ${text.word}`));
}
