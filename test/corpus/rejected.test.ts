/**
 * Negative corpus: programs outside the subset must be rejected with located,
 * coded diagnostics and no Ion. Each `rejected/NAME.ts` has `NAME.expect.json`:
 *   { "codes": [...codes that must appear], "messages": [...substrings, in order] }
 * and marks the offending line(s) with a trailing `// error` comment; at
 * least one diagnostic must point at a marked line.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REJECTED_DIR } from "./corpus.ts";
import { loadCompiler, showDiagnostics, type CompileResult } from "./toolchain.ts";

interface Expectation {
  codes: string[];
  messages: string[];
}

const cases = fs
  .readdirSync(REJECTED_DIR)
  .filter((f) => f.endsWith(".ts"))
  .sort()
  .map((f) => {
    const entry = path.join(REJECTED_DIR, f);
    const name = f.slice(0, -3);
    const expect = JSON.parse(fs.readFileSync(path.join(REJECTED_DIR, `${name}.expect.json`), "utf8")) as Expectation;
    const source = fs.readFileSync(entry, "utf8");
    const markedLines = source
      .split("\n")
      .map((l, i) => (/\/\/ error\s*$/.test(l) ? i + 1 : 0))
      .filter((n) => n > 0);
    return { name, entry, expect, markedLines };
  });

const compiler = await loadCompiler();

describe("rejected corpus", () => {
  it("every rejected program has an expectation and a marked line", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const c of cases) {
      expect(Array.isArray(c.expect.codes) && Array.isArray(c.expect.messages), c.name).toBe(true);
      expect(c.markedLines.length, `${c.name} marks no line with // error`).toBeGreaterThan(0);
    }
  });

  if (!compiler.ok) {
    it.skip(`compiling rejected programs (skipped: ${compiler.reason})`, () => {});
    console.warn(`[rejected corpus] skipped: ${compiler.reason}`);
    return;
  }
  const results = compiler.value.compileMany(cases.map((c) => c.entry));

  for (const c of cases) {
    it(c.name, () => {
      const r: CompileResult = results.get(c.entry)!;
      const shown = showDiagnostics(r.diagnostics);
      const errors = r.diagnostics.filter((d) => (d.category ?? "error") === "error");
      expect(errors.length, `${c.name} compiled without errors`).toBeGreaterThan(0);
      expect(r.ion, `${c.name} produced Ion despite errors`).toBeUndefined();
      for (const d of r.diagnostics) {
        expect(typeof d.file === "string" && d.file !== "", `diagnostic without file:\n${shown}`).toBe(true);
        expect(Number.isInteger(d.line) && d.line >= 1, `bad line:\n${shown}`).toBe(true);
        expect(Number.isInteger(d.col) && d.col >= 1, `bad col:\n${shown}`).toBe(true);
        expect(d.code, `bad code:\n${shown}`).toMatch(/^TS(ION)?\d+$/);
        expect(d.message.length).toBeGreaterThan(0);
      }
      const inEntry = errors.filter((d) => path.resolve(d.file) === c.entry);
      expect(
        inEntry.some((d) => c.markedLines.includes(d.line)),
        `no error on a line marked // error (${c.markedLines.join(",")}):\n${shown}`,
      ).toBe(true);
      // (a shared project may also report other entries' TS errors: judge this file's own)
      const own = r.diagnostics.filter((d) => path.resolve(d.file) === c.entry);
      const codes = own.map((d) => d.code);
      for (const code of c.expect.codes) expect(codes, shown).toContain(code);
      // Message substrings must appear in order (case-insensitive) across the diagnostics.
      const texts = own.map((d) => `${d.message} ${d.hint ?? ""}`.toLowerCase());
      let at = 0;
      for (const m of c.expect.messages) {
        const i = texts.findIndex((t, k) => k >= at && t.includes(m.toLowerCase()));
        expect(i, `message substring ${JSON.stringify(m)} not found (in order) in:\n${shown}`).toBeGreaterThanOrEqual(0);
        at = i;
      }
    });
  }
});
