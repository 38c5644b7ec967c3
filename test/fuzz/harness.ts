/**
 * The fuzzer's machinery, shared by programs.test.ts and by hand runs:
 * batching generated programs into compile units, comparing Node (in-process)
 * with the compiled Ion in ion-sim, locating the program at fault, shrinking
 * it and saving it as a corpus regression with a real Node recording.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ann, generateProgram, printProgram, type Program } from "./generate.ts";
import { runJsOnNode } from "./node-oracle.ts";
import { shrink } from "./shrink.ts";
import { PROGRAMS_DIR } from "../corpus/corpus.ts";
import { runOnNode } from "../corpus/node-runner.ts";
import type { CompileResult, Compiler, IonSim } from "../corpus/toolchain.ts";
import { runInIonSim } from "../differential/run-ion.ts";
import { emittedIonProblems } from "../compiler/emitted-ion.ts";

export interface Case {
  index: number;
  seed: number;
  prefix: string;
  program: Program;
  expected: string;
}

/** Per-program seed: spread so neighbouring indices are unrelated. */
export function caseSeed(base: number, index: number): number {
  return (Math.imul(base ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

/** Generates `count` programs usable as references (Node ran them without throwing). */
export function generateCases(base: number, count: number): { cases: Case[]; discarded: Map<string, number> } {
  const cases: Case[] = [];
  const discarded = new Map<string, number>();
  for (let i = 0; cases.length < count; i++) {
    if (i > count * 3) throw new Error("generator discards too many programs");
    const seed = caseSeed(base, i);
    const prefix = `q${i}_`;
    const program = generateProgram(seed, prefix);
    const r = runJsOnNode(printProgram(program, "js"));
    if (!r.ok) {
      discarded.set(r.reason, (discarded.get(r.reason) ?? 0) + 1);
      continue;
    }
    cases.push({ index: i, seed, prefix, program, expected: r.stdout });
  }
  return { cases, discarded };
}

const marker = (c: { prefix: string }) => `=== ${c.prefix}`;

/** The program with its top-level code moved into `PREFIXmain()`, so many fit in one module. */
export function wrapped(c: { prefix: string; program: Program }): Program {
  const p = c.program;
  return {
    globals: p.globals,
    functions: [...p.functions, { name: `${c.prefix}main`, head: `function ${c.prefix}main()${ann("void")}`, body: p.main }],
    main: [{ k: "line", parts: [`${c.prefix}main();`], essential: true }],
  };
}

export interface Batch {
  cases: Case[];
  ts: string;
  js: string;
  /** 1-based first line of each case's declarations in `ts` */
  firstLine: number[];
  expected: string;
}

export function makeBatch(cases: Case[]): Batch {
  let ts = "";
  let js = "";
  const firstLine: number[] = [];
  let calls = "";
  for (const c of cases) {
    firstLine.push(ts.split("\n").length);
    const w = { ...wrapped(c), main: [] };
    ts += printProgram(w);
    js += printProgram(w, "js");
    calls += `console.log(${JSON.stringify(marker(c))});\n${c.prefix}main();\n`;
  }
  ts += calls;
  js += calls;
  return { cases, ts, js, firstLine, expected: cases.map((c) => `${marker(c)}\n${c.expected}`).join("") };
}

/** Writes sources to a fresh temp dir and compiles them in one project. */
export function compileSources(compiler: Compiler, sources: string[], dir: string): CompileResult[] {
  const files = sources.map((src, i) => {
    const f = path.join(dir, `p${i}.ts`);
    fs.writeFileSync(f, src);
    return f;
  });
  const results = compiler.compileMany(files);
  return files.map((f) => results.get(f)!);
}

export type Verdict =
  | { ok: true }
  | { ok: false; kind: "diagnostics"; codes: string[]; detail: string }
  | { ok: false; kind: "compile-crash" | "sim-crash"; detail: string }
  | { ok: false; kind: "mismatch"; detail: string; got: string; status: number };

export function judge(sim: IonSim, r: CompileResult | Error, expected: string): Verdict {
  if (r instanceof Error) return { ok: false, kind: "compile-crash", detail: r.message.split("\n")[0]! };
  if (r.diagnostics.length > 0 || r.ion === undefined) {
    const codes = [...new Set(r.diagnostics.map((d) => d.code))];
    const detail = r.diagnostics.map((d) => `(${d.line},${d.col}) ${d.code}: ${d.message}`).join("\n");
    return { ok: false, kind: "diagnostics", codes, detail };
  }
  const problems = emittedIonProblems(r.ion);
  if (problems !== "") return { ok: false, kind: "diagnostics", codes: ["emitted-script check"], detail: problems };
  let got;
  try {
    got = runInIonSim(sim, r.ion, "fuzz.ion");
  } catch (e) {
    return { ok: false, kind: "sim-crash", detail: String(e).split("\n")[0]! };
  }
  if (got.stdout === expected && got.status === 0) return { ok: true };
  return { ok: false, kind: "mismatch", detail: `status ${got.status}; stderr: ${got.stderr.slice(0, 500)}`, got: got.stdout, status: got.status };
}

/** The case whose declarations contain `line` of the batch module. */
export function culpritByLine(batch: Batch, line: number): Case {
  let k = 0;
  for (let i = 0; i < batch.firstLine.length; i++) if (batch.firstLine[i]! <= line) k = i;
  return batch.cases[k]!;
}

/** Which case of a failing batch is at fault: first differing output segment, or the diagnostic's line. */
export function culprit(batch: Batch, v: Verdict & { ok: false }, diagLines: number[]): Case {
  if (v.kind === "diagnostics" && diagLines.length > 0) {
    const line = Math.min(...diagLines);
    let k = 0;
    for (let i = 0; i < batch.firstLine.length; i++) if (batch.firstLine[i]! <= line) k = i;
    return batch.cases[k]!;
  }
  if (v.kind === "mismatch") {
    for (const c of batch.cases) {
      const want = `${marker(c)}\n${c.expected}`;
      const at = v.got.indexOf(`${marker(c)}\n`);
      if (at < 0) return c;
      const next = batch.cases[batch.cases.indexOf(c) + 1];
      const end = next ? v.got.indexOf(`${marker(next)}\n`) : v.got.length;
      if (v.got.slice(at, end < 0 ? v.got.length : end) !== want) return c;
    }
  }
  return batch.cases[0]!;
}

/** Same failure class as the original (a shrink must not wander to another bug or an invalid program). */
export function sameFailure(orig: Verdict & { ok: false }, v: Verdict): boolean {
  if (v.ok || v.kind !== orig.kind) return false;
  if (v.kind === "diagnostics" && orig.kind === "diagnostics") {
    // TS errors mean the shrink broke the program, not that it kept the bug
    if (v.codes.some((c) => /^TS\d/.test(c))) return false;
    return orig.codes.some((c) => v.codes.includes(c));
  }
  return true;
}

export interface Finding {
  kase: Case;
  verdict: Verdict & { ok: false };
  minimal: string;
  savedAs?: string;
  shrinkSteps: number;
}

/** Shrinks a failing case (standalone if that reproduces, else in wrapped form) and saves it. */
export async function minimiseAndSave(
  compiler: Compiler,
  sim: IonSim,
  kase: Case,
  verdict: Verdict & { ok: false },
  opts: { save: boolean; fuzzSeed: number; shrinkMs: number },
): Promise<Finding> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-fuzz-shrink-"));
  try {
    const evaluate = (ps: Program[]): Verdict[] => {
      const valid = ps.map((p) => runJsOnNode(printProgram(p, "js")));
      const sources = ps.map((p) => printProgram(p));
      let results: (CompileResult | Error)[];
      try {
        results = compileSources(compiler, sources, dir);
      } catch (e) {
        results = ps.map(() => e as Error);
      }
      return ps.map((_, i) => {
        const o = valid[i]!;
        if (!o.ok) return { ok: true } as Verdict; // not a valid reference program: treat as "does not fail"
        return judge(sim, results[i]!, o.stdout);
      });
    };
    const standalone = kase.program;
    const inWrapper = wrapped(kase);
    const [vs, vw] = evaluate([standalone, inWrapper]);
    const start = sameFailure(verdict, vs!) ? standalone : sameFailure(verdict, vw!) ? inWrapper : standalone;
    const original = sameFailure(verdict, vs!) ? (vs as Verdict & { ok: false }) : verdict;
    const result = shrink(start, (ps) => evaluate(ps).map((v) => sameFailure(original, v)), {
      evaluations: 3000,
      ms: opts.shrinkMs,
      chunk: 60,
    });
    const minimal = printProgram(result.program);
    const finding: Finding = { kase, verdict: original, minimal, shrinkSteps: result.steps };
    if (opts.save) finding.savedAs = await saveRegression(minimal, kase, original, opts.fuzzSeed);
    return finding;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function saveRegression(source: string, kase: Case, v: Verdict & { ok: false }, fuzzSeed: number): Promise<string> {
  const name = `fuzz-regress-${fuzzSeed}-${kase.index}`;
  const file = path.join(PROGRAMS_DIR, `${name}.ts`);
  const header =
    `// Found by the fuzzer (FUZZ_SEED=${fuzzSeed}, program ${kase.index}, seed ${kase.seed}), shrunk.\n` +
    `// Failure: ${v.kind}: ${v.detail.split("\n")[0]!.slice(0, 200)}\n`;
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, header + source);
    const rec = await runOnNode(file, []);
    fs.writeFileSync(file.replace(/\.ts$/, ".expected.json"), JSON.stringify({ stdout: rec.stdout, status: rec.status }, null, 2) + "\n");
  }
  return path.relative(path.resolve(PROGRAMS_DIR, "../../.."), file);
}
