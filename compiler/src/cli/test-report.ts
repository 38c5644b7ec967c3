/**
 * How `tsion test` (and the repository's scenario suite) shows a scenario
 * result: one PASS/FAIL line per scenario variant, and for a failure every
 * mismatch, with a unified diff where the values span lines (stdout, files,
 * netcfg state, command log, timeline).
 */
import { structuredPatch } from "diff";
import type { BackendRun, Mismatch, ScenarioResult } from "../../../runtime-shims/mock/scenario-runner.ts";
import type { ObservedBackend } from "../../../runtime-shims/mock/scenario-runner.ts";
import { variantName } from "../../../runtime-shims/mock/scenario.ts";

/** How a backend is named in reports. */
export function backendLabel(b: ObservedBackend): string {
  return b === "ion" ? "ion-sim" : b === "real-ion" ? "real ion" : b;
}

/** Lines of a unified diff from `a` to `b` (no file header), or [] when equal. */
export function unifiedDiff(aLabel: string, a: string, bLabel: string, b: string): string[] {
  const patch = structuredPatch(aLabel, bLabel, a, b, "", "", { context: 3 });
  if (patch.hunks.length === 0) return [];
  const out = [`--- ${aLabel}`, `+++ ${bLabel}`];
  for (const h of patch.hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    for (const l of h.lines) out.push(l === "\\ No newline at end of file" ? "\\ (no newline at end)" : l);
  }
  return out;
}

/** Diff lines shown per mismatch; the rest is counted (--json has every value in full). */
export const MAX_DIFF_LINES = 40;

/** One mismatch: its message, then a diff when both sides are text that spans lines. */
function mismatchLines(m: Mismatch, aLabel: string, bLabel: string): string[] {
  const multiline = m.expected !== undefined && m.actual !== undefined && (m.expected.includes("\n") || m.actual.includes("\n"));
  if (!multiline) return [`- ${m.message}`];
  const diff = unifiedDiff(aLabel, m.expected!, bLabel, m.actual!);
  const shown = diff.length > MAX_DIFF_LINES ? [...diff.slice(0, MAX_DIFF_LINES), `... ${diff.length - MAX_DIFF_LINES} more diff lines`] : diff;
  return [`- ${m.what} differs:`, ...shown.map((l) => `    ${l}`)];
}

const sameMismatches = (a: readonly Mismatch[], b: readonly Mismatch[]) => JSON.stringify(a) === JSON.stringify(b);

/** Failed [expect] checks of one run, one per line (diffs indented below their line). */
export function formatMismatches(mismatches: readonly Mismatch[], label: string): string {
  return mismatches.flatMap((m) => mismatchLines(m, "expected", label)).map((l) => `  ${l}\n`).join("");
}

function indent(lines: string[], by: string): string[] {
  return lines.map((l) => (l === "" ? l : `${by}${l}`));
}

/** The tail of a failed run's stderr, to show what the guest said. */
function stderrTail(run: BackendRun): string[] {
  const text = run.observation?.stderr ?? "";
  if (text === "") return [];
  const lines = text.replace(/\n$/, "").split("\n");
  const shown = lines.slice(-10);
  return [`stderr of ${backendLabel(run.backend)}${lines.length > shown.length ? ` (last ${shown.length} of ${lines.length} lines)` : ""}:`, ...indent(shown, "  | ")];
}

/** `PASS  scenarios/x.toml [eth0]  node, ion-sim` (and, on failure, what failed). */
export function formatResult(r: ScenarioResult): string {
  const backends = r.runs.map((run) => backendLabel(run.backend)).join(", ");
  const head = `${r.passed ? "PASS" : "FAIL"}  ${r.file} [${variantName(r.variant)}]  ${backends}`;
  if (r.passed) return `${head}\n`;
  const body: string[] = [];
  for (const [i, run] of r.runs.entries()) {
    const label = backendLabel(run.backend);
    if (run.error !== undefined) {
      body.push(`${label} could not run:`, ...indent(run.error.split("\n"), "  "));
      continue;
    }
    if (run.mismatches.length === 0) continue;
    // Backends that agree fail the same way: say it once.
    const same = r.runs.slice(0, i).find((o) => o.error === undefined && o.mismatches.length > 0 && sameMismatches(o.mismatches, run.mismatches));
    if (same !== undefined) {
      body.push(`${label}: [expect] not met, the same way as ${backendLabel(same.backend)}`);
      continue;
    }
    body.push(`${label}: [expect] not met:`);
    for (const m of run.mismatches) body.push(...indent(mismatchLines(m, "expected", label), "  "));
    body.push(...indent(stderrTail(run), "  "));
  }
  for (const d of r.disagreements) {
    const a = backendLabel(d.a);
    const b = backendLabel(d.b);
    body.push(`${a} and ${b} disagree:`);
    for (const m of d.differences) body.push(...indent(mismatchLines(m, a, b), "  "));
  }
  return `${head}\n${indent(body, "    ").join("\n")}\n`;
}

/** The JSON form of a result (`tsion test --json`): no observations, only what was checked and what failed. */
export function resultJson(r: ScenarioResult): object {
  return {
    scenario: r.file,
    description: r.description,
    variant: variantName(r.variant),
    passed: r.passed,
    backends: r.runs.map((run) => ({
      backend: backendLabel(run.backend),
      ...(run.error !== undefined ? { error: run.error } : {}),
      ...(run.observation ? { statuses: run.observation.statuses, simTime: run.observation.simTime } : {}),
      mismatches: run.mismatches,
    })),
    disagreements: r.disagreements.map((d) => ({ between: [backendLabel(d.a), backendLabel(d.b)], differences: d.differences })),
  };
}
