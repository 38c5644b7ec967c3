/**
 * Built-ins grouped per receiver, as in TypeScriptToLua: console, Math and
 * the global conversions, string members, array members. Each returns
 * undefined when the call is not one of its own.
 */
import type { CallExpression } from "ts-morph";
import type { FnContext, Val } from "../lower/context.ts";
import { lowerArrayCall, lowerArrayCond } from "./array.ts";
import { lowerConsoleCall } from "./console.ts";
import { lowerGlobalCall } from "./globals.ts";
import { lowerStringCall, lowerStringCond } from "./string.ts";
import type { Cond } from "../lower/conditions.ts";

export function lowerBuiltinCall(fx: FnContext, call: CallExpression): Val | undefined {
  return lowerConsoleCall(fx, call) ?? lowerGlobalCall(fx, call) ?? lowerStringCall(fx, call) ?? lowerArrayCall(fx, call);
}

/** A built-in call with a boolean result (`s.startsWith(x)`, `a.includes(x)`) as a condition; undefined otherwise. */
export function lowerBuiltinCond(fx: FnContext, call: CallExpression): Cond | undefined {
  return lowerStringCond(fx, call) ?? lowerArrayCond(fx, call);
}
