/**
 * Arrays cross Ion function boundaries (arguments, return values, module
 * state in the environment) as one encoded string, because Ion passes arrays
 * to functions only as re-expanded `[str]` literals (§5.3, §9.3).
 *
 * Encoding: each element is followed by K_AS (U+001F); inside elements, K_AE
 * (U+001E) is written K_AE `e` and K_AS is written K_AE `s`. Only control
 * characters appear in the method arguments, so their C-unescaping (§6.5) is
 * harmless, and the terminator guarantees `@split` yields at least two words,
 * so `for` never mistakes a lone `1..3` element for a range (§5.2).
 */
import { line } from "../ion/ast.ts";
import type { FnContext } from "./context.ts";

/** The encoding's constants (written `"${x::1F}"` and so on: see ion/quote.ts). */
export const ARRAY_CONSTANTS: Record<string, string> = {
  K_AS: "\u001f",
  K_AE: "\u001e",
  K_AEE: "\u001ee",
  K_AES: "\u001es",
};

/** Emit code encoding array variable `arr` into a new temporary; returns its name. */
export function encodeArray(fx: FnContext, arr: string): string {
  fx.program.useHelper("K_array");
  const out = fx.temp();
  const i = fx.temp();
  const e = fx.temp();
  fx.emitLine(`let ${out} = ''`);
  fx.emit({
    kind: "for",
    variable: i,
    words: `0..$len(@${arr})`,
    body: [
      line(`let ${e} = "@${arr}[\${${i}}]"`),
      line(`let ${e} = $replace($${e} $K_AE $K_AEE)`),
      line(`let ${e} = $replace($${e} $K_AS $K_AES)`),
      line(`let ${out} ++= "\${${e}}"`),
      line(`let ${out} ++= "\${K_AS}"`),
    ],
  });
  return out;
}

/** Emit code decoding the encoded word `enc` into array variable `arr` (reset first). */
export function decodeArray(fx: FnContext, enc: string, arr: string): void {
  fx.program.useHelper("K_array");
  const s = fx.temp();
  const n = fx.temp();
  const k = fx.temp();
  const e = fx.temp();
  fx.emitLine(`let ${s} = ${enc}`);
  fx.emitLine(`let ${arr} = []`);
  fx.emitLine(`let ${n} = $len(@split($${s} $K_AS))`);
  fx.emitLine(`let ${k} = 1`);
  fx.emit({
    kind: "for",
    variable: e,
    words: `@split($${s} $K_AS) x`,
    body: [
      {
        kind: "if",
        branches: [
          {
            cond: `test "\${${k}}" -lt "\${${n}}"`,
            body: [
              line(`let ${e} = $replace($${e} $K_AES $K_AS)`),
              line(`let ${e} = $replace($${e} $K_AEE $K_AE)`),
              line(`let ${arr} ++= "\${${e}}"`),
            ],
          },
        ],
      },
      line(`let ${k} += 1`),
    ],
  });
}
