/**
 * Differential fuzzer: random programs inside the subset run under Node
 * (in-process) and, compiled, in ion-sim; stdout and status must agree.
 *
 *   FUZZ_RUNS  number of programs (default 500)
 *   FUZZ_SEED  base seed (default fixed, so CI is reproducible)
 *   FUZZ_BATCH programs per compile unit (default 25)
 *   FUZZ_SHRINK_MS  time budget to shrink one failure (default 120000)
 *
 * A disagreement is shrunk and saved as test/corpus/programs/fuzz-regress-*.ts
 * with its Node recording, and this test fails naming it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCompiler, loadIonSim } from "../corpus/toolchain.ts";
import { generateProgram, printProgram } from "./generate.ts";
import { runJsOnNode, runTsOnNode } from "./node-oracle.ts";
import { compileSources, culprit, culpritByLine, generateCases, judge, makeBatch, minimiseAndSave, type Finding } from "./harness.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const SEED = Number(process.env.FUZZ_SEED ?? 20250601);
const BATCH = Number(process.env.FUZZ_BATCH ?? 25);
const SHRINK_MS = Number(process.env.FUZZ_SHRINK_MS ?? 120_000);
/** At most this many failures are shrunk and saved per run (each costs up to SHRINK_MS). */
const MAX_FINDINGS = 2;

const compiler = await loadCompiler();
const sim = await loadIonSim();

describe("fuzz: generated programs", () => {
  it("the generator is deterministic and its JS equals the transpiled TS under Node", () => {
    for (let i = 0; i < 15; i++) {
      const a = printProgram(generateProgram(SEED + i));
      expect(printProgram(generateProgram(SEED + i))).toBe(a);
      const js = runJsOnNode(printProgram(generateProgram(SEED + i), "js"));
      const ts = runTsOnNode(a);
      expect(js).toEqual(ts);
    }
  });

  if (!compiler.ok || !sim.ok) {
    const reason = !compiler.ok ? compiler.reason : !sim.ok ? sim.reason : "";
    console.warn(`[fuzz] skipped: ${reason}`);
    it.skip(`Node vs ion-sim on ${RUNS} programs (skipped: ${reason})`, () => {});
    return;
  }

  it(`Node vs ion-sim agree on ${RUNS} programs (FUZZ_SEED=${SEED})`, async () => {
    const t0 = Date.now();
    const { cases, discarded } = generateCases(SEED, RUNS);
    const batches: ReturnType<typeof makeBatch>[] = [];
    for (let i = 0; i < cases.length; i += BATCH) batches.push(makeBatch(cases.slice(i, i + BATCH)));
    for (const b of batches) {
      // the batched module itself must reproduce the per-program references
      const whole = runJsOnNode(b.js, 20_000);
      expect(whole).toEqual({ ok: true, stdout: b.expected, status: 0 });
    }
    const tGen = Date.now();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-fuzz-"));
    let results;
    try {
      results = compileSources(compiler.value, batches.map((b) => b.ts), dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // TypeScript errors (e.g. TS7027 unreachable code after a constant-typed
    // condition) mean the generator made an invalid program, not a compiler
    // bug: drop those programs and recompile their batches once.
    let tsRejected = 0;
    const redo: number[] = [];
    batches.forEach((b, i) => {
      const ds = results[i]!.diagnostics;
      if (ds.length === 0 || !ds.every((d) => /^TS\d/.test(d.code))) return;
      const bad = new Set(ds.map((d) => culpritByLine(b, d.line)));
      tsRejected += bad.size;
      batches[i] = makeBatch(b.cases.filter((c) => !bad.has(c)));
      redo.push(i);
    });
    if (redo.length > 0) {
      const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-fuzz-"));
      try {
        const again = compileSources(compiler.value, redo.map((i) => batches[i]!.ts), dir2);
        redo.forEach((i, k) => (results[i] = again[k]!));
      } finally {
        fs.rmSync(dir2, { recursive: true, force: true });
      }
    }
    if (tsRejected > 0) discarded.set("TypeScript error (generator)", tsRejected);
    const tCompile = Date.now();
    const failures: { batch: (typeof batches)[number]; verdict: ReturnType<typeof judge> & { ok: false }; lines: number[] }[] = [];
    batches.forEach((b, i) => {
      const v = judge(sim.value, results[i]!, b.expected);
      if (!v.ok) failures.push({ batch: b, verdict: v, lines: results[i]!.diagnostics.map((d) => d.line) });
    });
    const tSim = Date.now();
    console.log(
      `[fuzz] ${cases.length} programs (seed ${SEED}; discarded: ${JSON.stringify(Object.fromEntries(discarded))}) ` +
        `generate+Node ${tGen - t0} ms, compile ${tCompile - tGen} ms, ion-sim ${tSim - tCompile} ms; failing batches: ${failures.length}`,
    );
    const findings: Finding[] = [];
    for (const f of failures.slice(0, MAX_FINDINGS)) {
      const kase = culprit(f.batch, f.verdict, f.lines);
      findings.push(
        await minimiseAndSave(compiler.value, sim.value, kase, f.verdict, { save: true, fuzzSeed: SEED, shrinkMs: SHRINK_MS }),
      );
    }
    const report = findings
      .map((f) => `${f.savedAs ?? "(not saved)"} (${f.shrinkSteps} shrink steps): ${f.verdict.kind}: ${f.verdict.detail.slice(0, 300)}\n${f.minimal}`)
      .join("\n\n");
    expect(failures.length, `fuzz disagreements (first ${findings.length} shrunk and saved):\n${report}`).toBe(0);
  }, 900_000);
});
