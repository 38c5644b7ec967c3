/**
 * Math and the global conversions: Math.trunc / Math.floor of a quotient
 * (the only division in the subset), Math.abs / min / max, String(x),
 * Number(s) and parseInt(s, 10) on decimal integer strings.
 */
import { Node, SyntaxKind, type CallExpression, type Expression } from "ts-morph";
import { line } from "../ion/ast.ts";
import { lowerOperands } from "../lower/calls.ts";
import { type FnContext, retype, type ScalarVal, type Val, varVal } from "../lower/context.ts";
import { arith, guard, helperCall, location, locationWord, lowerScalar, nonZeroLiteral, numText } from "../lower/expressions.ts";
import { negZero, signObserved } from "../lower/negative-zero.ts";
import { atom } from "../lower/conditions.ts";

const ZERO: Val = { t: "scalar", kind: "number", word: "0", lit: "0" };

export function lowerGlobalCall(fx: FnContext, call: CallExpression): Val | undefined {
  const callee = call.getExpression();
  const args = call.getArguments() as Expression[];
  if (Node.isIdentifier(callee)) {
    switch (callee.getText()) {
      case "String":
        return convert(fx, call, args, "string");
      case "Number":
        return convert(fx, call, args, "number");
      case "parseInt": {
        if (args.length !== 2 || args[1].getText() !== "10") {
          fx.program.report(call, "UnsupportedCall", "Write parseInt(s, 10): only decimal parsing is supported.");
          return ZERO;
        }
        const s = lowerScalar(fx, args[0]);
        if (s.kind !== "string") return s;
        return helperCall(fx, "f_rt_num", [s.word, "i", locationWord(fx, call)], "number");
      }
    }
    return undefined;
  }
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const obj = callee.getExpression();
  if (!Node.isIdentifier(obj) || obj.getText() !== "Math") return undefined;
  const name = callee.getName();
  switch (name) {
    case "trunc":
    case "floor":
      return divide(fx, call, args, name);
    case "abs": {
      const [v] = lowerOperands(fx, args) as ScalarVal[];
      const t = fx.toVarAlways(v);
      // $((t + 0)) also turns -0 into 0, as Math.abs does.
      fx.emit({ kind: "if", branches: [{ cond: `test "\${${t}}" -lt 0`, body: [line(`let ${t} = $((0 - ${t}))`)] }], otherwise: [line(`let ${t} = $((${t} + 0))`)] });
      return varVal("number", t);
    }
    case "min":
    case "max": {
      if (args.length === 0) {
        fx.program.report(call, "UnsupportedCall", `Math.${name}() needs at least one argument.`);
        return ZERO;
      }
      const vals = lowerOperands(fx, args) as ScalarVal[];
      const t = fx.toVarAlways(vals[0]);
      for (const v of vals.slice(1)) {
        fx.emit({ kind: "if", branches: [{ cond: `test ${v.word} ${name === "min" ? "-lt" : "-gt"} "\${${t}}"`, body: [line(`let ${t} = ${v.word}`)] }] });
      }
      return varVal("number", t);
    }
  }
  fx.program.report(call, "UnsupportedCall", `Math.${name} is not supported.`);
  return ZERO;
}

function convert(fx: FnContext, call: CallExpression, args: Expression[], to: "string" | "number"): Val {
  if (args.length !== 1) {
    fx.program.report(call, "UnsupportedCall", `${to === "string" ? "String" : "Number"}() takes exactly one argument here.`);
    return ZERO;
  }
  const v = lowerScalar(fx, args[0]);
  if (to === "string") return v.kind === "number" ? numText(fx, v) : retype(v, "string");
  if (v.kind === "number") return v;
  if (v.kind === "boolean") {
    const t = fx.temp();
    fx.emit({ kind: "if", branches: [{ cond: `test ${v.word} = true`, body: [line(`let ${t} = 1`)] }], otherwise: [line(`let ${t} = 0`)] });
    return varVal("number", t);
  }
  return helperCall(fx, "f_rt_num", [v.word, "n", locationWord(fx, call)], "number");
}

/** Math.trunc(a / b) with `//=` (truncates toward zero); floor adjusts when signs differ. */
function divide(fx: FnContext, call: CallExpression, args: Expression[], mode: "trunc" | "floor"): Val {
  let e = args[0];
  while (e && Node.isParenthesizedExpression(e)) e = e.getExpression();
  if (args.length !== 1) {
    fx.program.report(call, "UnsupportedCall", `Math.${mode}() takes one argument.`);
    return ZERO;
  }
  if (!Node.isBinaryExpression(e) || e.getOperatorToken().getKind() !== SyntaxKind.SlashToken) {
    // Numbers are integers already: trunc/floor of an integer is itself.
    return lowerScalar(fx, args[0]);
  }
  const [a, b] = lowerOperands(fx, [e.getLeft(), e.getRight()]) as ScalarVal[];
  if (a.kind !== "number" || b.kind !== "number") {
    fx.program.report(e, "UnsupportedSyntax", "Division needs two numbers.");
    return ZERO;
  }
  // A non-zero literal divisor needs no check, and its sign is known.
  const known = nonZeroLiteral(b) ? Number(b.lit) : undefined;
  const bv = known !== undefined ? b.lit! : fx.toVar(b);
  const bw = known !== undefined ? bv : `"\${${bv}}"`;
  if (known === undefined) guard(fx, atom(`test ${bw} -ne 0`), `${location(fx, call)}: division by zero`);
  const av = fx.toVar(a);
  const q = fx.temp();
  fx.emitLine(`let ${q} = "\${${av}}"`);
  fx.emitLine(`let ${q} //= ${bw}`);
  const observed = signObserved(call);
  if (mode === "trunc" && observed) negZero(fx, q, "div", av, bv);
  if (mode === "floor") {
    // Only the remainder's sign matters here, never a -0.
    const r = arith(fx, varVal("number", av), "%", known !== undefined ? b : varVal("number", bv), null);
    const dec = line(`let ${q} -= 1`);
    if (known !== undefined) {
      fx.emit({ kind: "if", branches: [{ cond: `test ${r.word} ${known > 0 ? "-lt" : "-gt"} 0`, body: [dec] }] });
    } else {
      const rr = `"\${${fx.toVar(r)}}"`;
      fx.emit({
        kind: "if",
        branches: [
          { cond: `test ${rr} -lt 0 && test ${bw} -gt 0`, body: [dec] },
          { cond: `test ${rr} -gt 0 && test ${bw} -lt 0`, body: [dec] },
        ],
      });
    }
    if (observed) negZero(fx, q, "floor", av, bv);
  }
  return varVal("number", q);
}
