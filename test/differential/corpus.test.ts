/**
 * Differential suite: every corpus program must compile without diagnostics,
 * its Ion is snapshotted under test/snapshots/corpus/, and running that Ion
 * (in ion-sim, and on a real ion binary when ION_BIN is set or `ion` is on
 * PATH) must give exactly the stdout, stderr and status recorded under Node.
 */
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listCorpus, readRecorded } from "../corpus/corpus.ts";
import { findIonBinary, loadCompiler, loadIonSim, showDiagnostics, type CompileResult } from "../corpus/toolchain.ts";
import { runInIonSim, runOnRealIon } from "./run-ion.ts";
import { assertCleanIon } from "../compiler/emitted-ion.ts";

const programs = listCorpus();
const compiler = await loadCompiler();
const sim = await loadIonSim();
const ionBin = findIonBinary();

if (!compiler.ok) console.warn(`[differential] compile + ion-sim checks skipped: ${compiler.reason}`);
else if (!sim.ok) console.warn(`[differential] ion-sim checks skipped: ${sim.reason}`);
if (!ionBin) console.warn("[differential] real-ion checks skipped: set ION_BIN or put `ion` on PATH");

let compiled = new Map<string, CompileResult>();

describe("differential: corpus programs, Node vs Ion", () => {
  beforeAll(() => {
    if (compiler.ok) compiled = compiler.value.compileMany(programs.map((p) => p.entry));
  }, 300_000);

  for (const p of programs) {
    describe(p.name, () => {
      const ionOf = (): string => {
        const r = compiled.get(p.entry);
        expect(r, "no compile result").toBeDefined();
        expect(r!.diagnostics, showDiagnostics(r!.diagnostics)).toEqual([]);
        expect(typeof r!.ion).toBe("string");
        return r!.ion!;
      };

      if (!compiler.ok) {
        it.skip(`compile (skipped: ${compiler.reason})`, () => {});
        return;
      }
      it("compiles without diagnostics; Ion matches snapshot and passes the emitted-script check", async () => {
        const ion = ionOf();
        assertCleanIon(ion, p.name);
        await expect(ion).toMatchFileSnapshot(path.join("..", "snapshots", "corpus", `${p.name}.ion`));
      });

      if (!sim.ok) it.skip(`ion-sim (skipped: ${sim.reason})`, () => {});
      else
        it("ion-sim output and status equal Node's", () => {
          const ion = ionOf();
          const want = readRecorded(p);
          const got = runInIonSim(sim.value, ion, `${p.name}.ion`, p.args);
          expect({ stdout: got.stdout, stderr: got.stderr, status: got.status }).toEqual(want);
        });

      if (!ionBin) it.skip("real ion (skipped: no ION_BIN and no ion on PATH)", () => {});
      else
        it(`real ion (${ionBin}) output and status equal Node's`, async () => {
          const ion = ionOf();
          const want = readRecorded(p);
          const got = await runOnRealIon(ionBin, ion, `${p.name}.ion`, p.args);
          expect({ stdout: got.stdout, stderr: got.stderr, status: got.status }).toEqual(want);
        });
    });
  }
});
