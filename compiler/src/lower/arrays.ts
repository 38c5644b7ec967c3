/**
 * Arrays cross Ion function boundaries (arguments, return values, module
 * state in the environment) as one encoded string, because Ion passes arrays
 * to functions only as `[str]` literals, whose elements Ion expands again as
 * source (docs/ion-lowering.md, Arrays across calls).
 *
 * Encoding: each element is followed by K_AS (U+001F); inside elements, K_AE
 * (U+001E) is written K_AE `e` and K_AS is written K_AE `s`. Only control
 * characters appear in the method arguments, so their C-unescaping is
 * harmless, and the terminator guarantees `@split` yields at least two words,
 * so `for` never mistakes a lone `1..3` element for a range.
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

/** The encoded form of array elements known at compile time. */
export function encodeLiteral(elements: string[]): string {
  const AE = ARRAY_CONSTANTS.K_AE;
  const AS = ARRAY_CONSTANTS.K_AS;
  return elements.map((e) => e.split(AE).join(AE + "e").split(AS).join(AE + "s") + AS).join("");
}

/** One element's encoded form, without its terminator: `let e = $replace(...)` twice on variable `e`. */
export function escapeElement(e: string): ReturnType<typeof line>[] {
  return [line(`let ${e} = $replace($${e} $K_AE $K_AEE)`), line(`let ${e} = $replace($${e} $K_AS $K_AES)`)];
}

/**
 * Emit code encoding array variable `arr` into a new temporary; returns its
 * name. Elements of a number or boolean array (`plain`) never hold the
 * encoding's characters, so they are not escaped.
 */
export function encodeArray(fx: FnContext, arr: string, plain = false): string {
  fx.program.useHelper("K_array");
  const out = fx.temp();
  const i = fx.temp();
  fx.emitLine(`let ${out} = ''`);
  if (plain) {
    fx.emit({ kind: "for", variable: i, words: `0..$len(@${arr})`, body: [line(`let ${out} ++= "@${arr}[\${${i}}]\${K_AS}"`)] });
    return out;
  }
  const e = fx.temp();
  fx.emit({
    kind: "for",
    variable: i,
    words: `0..$len(@${arr})`,
    body: [line(`let ${e} = "@${arr}[\${${i}}]"`), ...escapeElement(e), line(`let ${out} ++= "\${${e}}\${K_AS}"`)],
  });
  return out;
}

/** Emit code appending the encoded form of one element (word `w`) to environment variable `env`. */
export function appendEncoded(fx: FnContext, env: string, w: string): void {
  fx.program.useHelper("K_array");
  const e = fx.temp();
  fx.emitLine(`let ${e} = ${w}`);
  for (const l of escapeElement(e)) fx.emit(l);
  fx.emitLine(`export ${env} = "\${env::${env}}\${${e}}\${K_AS}"`);
}

/** The encoded word `enc` as a variable name (a method's first argument may not be `"${env::X}"`, ion/check.ts). */
function encodedVariable(fx: FnContext, enc: string): string {
  const m = /^"\$\{([A-Za-z_][A-Za-z0-9_]*)\}"$/.exec(enc);
  if (m) return m[1];
  const s = fx.temp();
  fx.emitLine(`let ${s} = ${enc}`);
  return s;
}

/** Emit code counting the elements of encoded word `enc` (its terminators); returns a temporary holding the count. */
export function encodedLength(fx: FnContext, enc: string): string {
  fx.program.useHelper("K_array");
  const s = encodedVariable(fx, enc);
  const n = fx.temp();
  fx.emitLine(`let ${n} = $len(@split($${s} $K_AS))`);
  fx.emitLine(`let ${n} -= 1`);
  return n;
}

/** Emit code decoding the encoded word `enc` into array variable `arr` (reset first). */
export function decodeArray(fx: FnContext, enc: string, arr: string): void {
  fx.program.useHelper("K_array");
  const s = encodedVariable(fx, enc);
  const n = fx.temp();
  const e = fx.temp();
  fx.emitLine(`let ${arr} = []`);
  fx.emitLine(`let ${n} = $len(@split($${s} $K_AS))`);
  // Every piece but the last (empty, after the final terminator) and the sentinel.
  fx.emit({
    kind: "for",
    variable: e,
    words: `@split($${s} $K_AS) x`,
    body: [
      {
        kind: "if",
        branches: [
          {
            cond: `test "\${${n}}" -gt 1`,
            body: [line(`let ${e} = $replace($${e} $K_AES $K_AS)`), line(`let ${e} = $replace($${e} $K_AEE $K_AE)`), line(`let ${arr} ++= "\${${e}}"`)],
          },
        ],
      },
      line(`let ${n} -= 1`),
    ],
  });
}
