/**
 * The quoting rule (compiler/src/ion/quote.ts) property-tested through
 * ion-sim: every generated string must reach Ion intact in the contexts the
 * compiler emits (let, ++= concatenation, function argument, return through
 * the environment, array element, test comparison) and print back exactly.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONTROL_CHAR, needsPiecewise, quote, quotePieces } from "../../compiler/src/ion/quote.ts";
import { PRELUDE } from "../../compiler/src/prelude.ts";
import { runScript } from "../ion-sim/run.ts";

/** Characters Ion treats specially somewhere, plus unicode and control characters. */
const HOSTILE = [..."$@'\"\\`()[]{}#~*?;&|<>!%^-=+,. \t\n\r", "\u00a0", "\u2028", "\u3000", "é", "ß", "日", "😀", "e\u0301", "\u0001", "\u001f", "\u001e", "-n", "-e", "-h", "--help", "..", "1..3", "$(", "${", "@(", "\\c", "\\n"];

const hostileString = fc.oneof(
  fc.array(fc.constantFrom(...HOSTILE), { maxLength: 12 }).map((a) => a.join("")),
  fc.string({ unit: "binary", maxLength: 16 }).map((s) => s.replace(/\0/g, "")),
  fc.string({ unit: "grapheme-ascii", maxLength: 20 }),
);

/** `let NAME = value` as the compiler emits it (piecewise when non-ASCII whitespace requires it). */
function letLiteral(name: string, value: string): string {
  if (!needsPiecewise(value)) return `let ${name} = ${quote(value)}`;
  return quotePieces(value)
    .map((p, i) => `let ${name} ${i === 0 ? "=" : "++="} ${p}`)
    .join("\n");
}

function script(values: string[]): string {
  const lines = [PRELUDE.f_rt_print.text, "fn f_id p_s\n  export TSION_R = \"${p_s}\"\nend", "fn f_main", "  let l_v = ''", "  let l_a = []", "  let l_c = ''", "  let l_w = ''"];
  values.forEach((v, i) => {
    lines.push(letLiteral("l_v", v));
    lines.push('  f_rt_print "${l_v}"');
    // through a function argument and the return register
    lines.push('  f_id "${l_v}"', '  let l_v = "${env::TSION_R}"', '  f_rt_print "${l_v}"');
    // as an array element
    lines.push("  let l_a = []", '  let l_a ++= "${l_v}"', '  f_rt_print "@l_a[0]"');
    // concatenation with ++= (one piece per statement)
    lines.push("  let l_c = '<'", '  let l_c ++= "${l_v}"', "  let l_c ++= '>'", '  f_rt_print "${l_c}"');
    // equality with a second copy of the literal, as the compiler's comparisons emit it
    lines.push(letLiteral("l_w", v));
    lines.push(needsPiecewise(v) ? `  if test "x\${l_v}" = "x\${l_w}"` : `  if test "x\${l_v}" = x${quote(v)}`, `    echo same${i}`, "  end");
  });
  lines.push("end", "f_main", "exit 0");
  return lines.join("\n") + "\n";
}

function expected(values: string[]): string {
  return values.map((v, i) => `${v}\n${v}\n${v}\n<${v}>\nsame${i}\n`).join("");
}

describe("quoting rule", () => {
  it("quotes the documented examples as docs/ion-lowering.md, Quoting, lists them", () => {
    expect(quote("it's $5 (approx)")).toBe(`'it'"'"'s '` + `'$'` + `'5 '"\\("'approx'"\\)"`);
    expect(quote("C:\\tmp")).toBe(`'C:'"\\\\"'tmp'`);
    expect(quote("")).toBe("''");
  });

  it("writes control characters and newlines as ${x::HH} pieces: a literal holds only printable text and tab, on one line", () => {
    expect(quote("a\rb")).toBe(`'a'"\${x::0D}"'b'`);
    expect(quote("\u0001\u001f\u007f\u0085")).toBe(`"\${x::01}""\${x::1F}""\${x::7F}""\${x::85}"`);
    expect(quote("tab\tnl\n")).toBe(`'tab\tnl'"\${x::0A}"`);
    fc.assert(
      fc.property(hostileString, (v) => {
        expect(quotePieces(v).join("")).not.toMatch(CONTROL_CHAR);
        expect(quotePieces(v).join("")).not.toContain("\n");
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it("round-trips at least 1,000 generated strings through ion-sim in every context", () => {
    const samples = fc.sample(hostileString, { numRuns: 1200, seed: 20261122 });
    // batches keep each script small; every sample is checked
    for (let i = 0; i < samples.length; i += 200) {
      const batch = samples.slice(i, i + 200);
      const r = runScript(script(batch));
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      if (r.stdout !== expected(batch)) {
        // find the first failing value for a readable report
        for (const v of batch) {
          const one = runScript(script([v]));
          expect({ value: v, out: one.stdout }).toEqual({ value: v, out: expected([v]) });
        }
      }
    }
  });

  it("builds strings with non-ASCII whitespace piecewise (a multi-piece word would panic ion)", () => {
    const v = "a\u00a0b'c";
    expect(needsPiecewise(v)).toBe(true);
    const r = runScript(script([v]));
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(expected([v]));
    // and the unsplit word really is the hazard ion-sim reproduces
    const bad = runScript(`echo ${quote(v)}\n`);
    expect(bad.status).toBe(134);
  });
});
