/**
 * Maps TypeScript types onto the value kinds Ion code can represent:
 *   string  → Ion string
 *   number  → decimal integer text
 *   boolean → the words `true` / `false`
 *   T[]     → an Ion array (inside a function) or an encoded string (across
 *             calls and in module state; see prelude f_rt_arr_*)
 */
import { ts, type Type } from "ts-morph";

export type ScalarKind = "string" | "number" | "boolean";
export type ValueKind = ScalarKind | "string[]" | "number[]" | "boolean[]" | "void" | "never";

export function isArrayKind(k: ValueKind): k is "string[]" | "number[]" | "boolean[]" {
  return k.endsWith("[]");
}

export function elementKind(k: "string[]" | "number[]" | "boolean[]"): ScalarKind {
  return k.slice(0, -2) as ScalarKind;
}

function scalarOf(t: Type): ScalarKind | undefined {
  const f = t.getFlags();
  if (f & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral | ts.TypeFlags.TemplateLiteral)) return "string";
  if (f & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) return "number";
  if (f & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return "boolean";
  if (f & ts.TypeFlags.EnumLiteral) return undefined;
  if (t.isUnion()) {
    const kinds = new Set(t.getUnionTypes().map(scalarOf));
    if (kinds.size === 1) {
      const [k] = kinds;
      return k;
    }
  }
  return undefined;
}

/** The value kind of a type, or undefined when it is outside the subset. */
export function kindOf(t: Type): ValueKind | undefined {
  const f = t.getFlags();
  if (f & ts.TypeFlags.Void) return "void";
  if (f & ts.TypeFlags.Never) return "never";
  const s = scalarOf(t);
  if (s) return s;
  if (t.isArray()) {
    const e = t.getArrayElementType();
    // `[]` alone is never[]: its elements' kind is irrelevant.
    if (e && e.getFlags() & ts.TypeFlags.Never) return "string[]";
    const ek = e && scalarOf(e);
    if (ek) return `${ek}[]`;
  }
  return undefined;
}
