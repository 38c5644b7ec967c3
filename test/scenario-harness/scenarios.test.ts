// Runs EVERY scenario under test/scenarios/ in each of its variants (the
// interface naming eras it is not pinned to; docs/scenarios.md) with the same
// runner as `tsion test` (checkScenario): the Node backend and the Ion backend
// (compiled Ion in ion-sim) each meet its [expect] section, and they agree.
// A failure shows what `tsion test` prints: every mismatch, with diffs.
//
// TSION_SCENARIO_VARIANTS=all (and CI=true) adds, for every guest-script scenario, each
// variant again on an image without `sleep` (slow: the runtime's fallback
// delay is made of scheme opens, each one interpreted by ion-sim).
import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { checkScenario, scenarioFiles, scenarioVariants } from "../../runtime-shims/mock/scenario-runner.ts";
import { loadScenario, REPO_ROOT, variantName, type Scenario } from "../../runtime-shims/mock/scenario.ts";
import { formatResult } from "../../compiler/src/cli/test-report.ts";

const ALL_VARIANTS = process.env.TSION_SCENARIO_VARIANTS === "all" || process.env.CI === "true";
const files = scenarioFiles();
/** A run without sleep interprets tens of thousands of scheme opens per simulated second. */
const TIMEOUT_MS = 180_000;

it("finds the scenario files", () => {
  expect(files.length).toBeGreaterThan(0);
});

/** Guest-script scenarios also run without sleep (the fixtures' guests call sleep themselves). */
function isGuestScenario(sc: Scenario): boolean {
  return path.dirname(path.relative(REPO_ROOT, sc.run.script)) === "guest-scripts";
}

for (const file of files) {
  const name = path.basename(file);
  let base: Scenario;
  try {
    base = loadScenario(file);
  } catch (e) {
    // A broken scenario file is one failing test, not a broken suite.
    it(`${name} parses`, () => {
      throw e;
    });
    continue;
  }
  describe(name, () => {
    for (const variant of scenarioVariants(base, { withoutSleep: ALL_VARIANTS && isGuestScenario(base) })) {
      const sc = loadScenario(file, variant);
      it(
        `[${variantName(variant)}] meets [expect] on ${sc.run.backends.join(" and ")}${sc.run.backends.length > 1 ? ", which agree" : ""}`,
        async () => {
          const result = await checkScenario(sc);
          if (!result.passed) throw new Error(`\n${formatResult(result)}`);
          expect(result.runs.map((r) => r.backend)).toEqual(sc.run.backends);
        },
        TIMEOUT_MS,
      );
    }
  });
}
