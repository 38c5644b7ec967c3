/**
 * `npm run bench`: how fast tsion is, printed as tables. Never run as a test.
 *
 *  1. Cold `tsion build` of every guest script vs `tsc --noEmit` over the same
 *     files (guest-scripts + runtime-shims/runtime), alternated BENCH_RUNS
 *     times (default 5) so machine noise hits both equally; medians and ratio.
 *     Target: tsion ≤ 1.3× tsc (it type-checks the same files, then lowers).
 *  2. Optional hooks, each skipped with a note when absent:
 *     - benchScenarios() from runtime-shims/node-runner/bench.ts
 *       (per scenario: wall time vs simulated time),
 *     - wall time of `vitest run test/conformance`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { execa } from "execa";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runs = Math.max(1, Number.parseInt(process.env.BENCH_RUNS ?? "5", 10) || 5);
const TARGET_RATIO = 1.3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function ms(n: number): string {
  return `${n.toFixed(0)} ms`;
}

/** A plain text table; numbers right-aligned. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,]+\s*\S*$/.test(r[i] ?? "")));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

async function timed(cmd: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ ms: number; ok: boolean; output: string }> {
  const start = process.hrtime.bigint();
  const r = await execa(cmd, args, { cwd: options.cwd ?? root, reject: false, all: true, env: options.env });
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, ok: r.exitCode === 0, output: String(r.all ?? "") };
}

function firstLines(text: string, n = 15): string {
  return text.split("\n").slice(0, n).join("\n");
}

async function benchBuildVsTsc(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-bench-"));
  // Extends the repo's tsconfig (same options, same strictness) but includes only
  // what tsion's build checks; typeRoots because the file lives outside the repo.
  const tsconfig = path.join(tmp, "tsconfig.json");
  fs.writeFileSync(
    tsconfig,
    JSON.stringify(
      {
        extends: path.join(root, "tsconfig.json"),
        compilerOptions: { noEmit: true, typeRoots: [path.join(root, "node_modules", "@types")] },
        include: [path.join(root, "guest-scripts"), path.join(root, "runtime-shims", "runtime")],
        exclude: [],
      },
      null,
      2,
    ),
  );
  const tsc = path.join(root, "node_modules", ".bin", "tsc");
  const tsion = path.join(root, "bin", "tsion.mjs");
  const tsionTimes: number[] = [];
  const tscTimes: number[] = [];
  const failures: string[] = [];
  try {
    console.log(`1. cold build vs tsc --noEmit (${runs} alternating runs each)`);
    console.log("   tsc: the repo's compiler options (with @types/node), over guest-scripts/ and runtime-shims/runtime/\n");
    for (let i = 0; i < runs; i++) {
      const outDir = path.join(tmp, `out-${i}`);
      const a = await timed("node", [tsion, "build", "--out-dir", outDir]);
      tsionTimes.push(a.ms);
      if (!a.ok) failures.push(`tsion build failed:\n${firstLines(a.output)}`);
      const b = await timed(tsc, ["--noEmit", "-p", tsconfig]);
      tscTimes.push(b.ms);
      if (!b.ok) failures.push(`tsc --noEmit failed:\n${firstLines(b.output)}`);
      process.stdout.write(`   run ${i + 1}: tsion build ${ms(a.ms)}, tsc ${ms(b.ms)}\n`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const mTsion = median(tsionTimes);
  const mTsc = median(tscTimes);
  const ratio = mTsion / mTsc;
  console.log();
  console.log(
    table(
      ["command", "median", "min", "max"],
      [
        ["tsion build (all guest scripts)", ms(mTsion), ms(Math.min(...tsionTimes)), ms(Math.max(...tsionTimes))],
        ["tsc --noEmit (same files)", ms(mTsc), ms(Math.min(...tscTimes)), ms(Math.max(...tscTimes))],
      ],
    ),
  );
  if (failures.length > 0) {
    // A failed command's time says nothing about speed; show why, once each.
    console.log("\n   ratio tsion/tsc: not meaningful, a command failed:");
    for (const f of [...new Set(failures)]) console.log(`\n${f.replace(/^/gm, "   | ")}`);
  } else {
    console.log(`\n   ratio tsion/tsc: ${ratio.toFixed(2)}x  (target <= ${TARGET_RATIO}x: ${ratio <= TARGET_RATIO ? "met" : "NOT met"})`);
  }
}

type Row = Record<string, unknown>;

function printRows(rows: unknown): void {
  if (Array.isArray(rows) && rows.length > 0 && rows.every((r) => typeof r === "object" && r !== null)) {
    const headers = [...new Set((rows as Row[]).flatMap((r) => Object.keys(r)))];
    const cell = (v: unknown): string => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v ?? ""));
    console.log(table(headers, (rows as Row[]).map((r) => headers.map((h) => cell(r[h])))));
  } else {
    console.log(typeof rows === "string" ? rows : JSON.stringify(rows, null, 2));
  }
}

async function benchScenariosHook(): Promise<void> {
  console.log("\n2. scenarios: wall time vs simulated time\n");
  const hook = path.join(root, "runtime-shims", "node-runner", "bench.ts");
  if (!fs.existsSync(hook)) {
    console.log("   skipped: runtime-shims/node-runner/bench.ts does not exist");
    return;
  }
  const mod = (await import(pathToFileURL(hook).href)) as { benchScenarios?: () => unknown };
  if (typeof mod.benchScenarios !== "function") {
    console.log("   skipped: runtime-shims/node-runner/bench.ts exports no benchScenarios()");
    return;
  }
  printRows(await mod.benchScenarios());
}

async function benchConformance(): Promise<void> {
  console.log("\n3. conformance suite\n");
  if (!fs.existsSync(path.join(root, "test", "conformance"))) {
    console.log("   skipped: test/conformance does not exist");
    return;
  }
  const vitest = path.join(root, "node_modules", ".bin", "vitest");
  const r = await timed(vitest, ["run", "test/conformance"], { env: { NO_COLOR: "1" } });
  const tests = /Tests\s+(.+?)\s*(?:\(|$)/m.exec(r.output)?.[1] ?? "?";
  console.log(table(["suite", "wall", "tests", "status"], [["vitest run test/conformance", ms(r.ms), tests, r.ok ? "ok" : "FAILED"]]));
}

console.log(`tsion bench  (node ${process.version}, ${os.cpus().length} CPUs, BENCH_RUNS=${runs})\n`);
await benchBuildVsTsc();
await benchScenariosHook();
await benchConformance();
