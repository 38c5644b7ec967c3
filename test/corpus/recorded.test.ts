/**
 * Proves the recordings are current: every corpus program is run again under
 * Node and must reproduce its `*.expected.json` exactly. A failure means the
 * program changed without `npx tsx test/corpus/record.ts NAME`.
 */
import { describe, expect, it } from "vitest";
import { listCorpus, readRecorded } from "./corpus.ts";
import { runOnNode } from "./node-runner.ts";

const programs = listCorpus();

describe("corpus recordings are current (Node)", () => {
  it("has 40-80 hand-written programs (plus fuzz regressions), each recorded", () => {
    const handWritten = programs.filter((p) => !p.name.startsWith("fuzz-regress-"));
    expect(handWritten.length).toBeGreaterThanOrEqual(40);
    expect(handWritten.length).toBeLessThanOrEqual(80);
    const missing = programs.filter((p) => readRecorded(p) === undefined).map((p) => p.name);
    expect(missing).toEqual([]);
  });

  for (const p of programs) {
    it.concurrent(p.name, async () => {
      const recorded = readRecorded(p);
      expect(recorded, `${p.name} has no recording; run: npx tsx test/corpus/record.ts ${p.name}`).toBeDefined();
      const now = await runOnNode(p.entry, p.args);
      expect({ stdout: now.stdout, stderr: now.stderr, status: now.status }).toEqual(recorded);
    });
  }
});
