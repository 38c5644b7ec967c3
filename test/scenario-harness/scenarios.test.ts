// Runs EVERY scenario under test/scenarios/ in each of its variants (the
// interface naming eras it is not pinned to; docs/scenarios.md) on the Node
// backend and on the Ion backend (compiled Ion in ion-sim), checks its
// [expect] section on each, and checks that both backends agree.
//
// TSION_SCENARIO_VARIANTS=all (and CI=true) adds, for every guest-script scenario, each
// variant again on an image without `sleep` (slow: the runtime's fallback
// delay is made of scheme opens, each one interpreted by ion-sim).
import { describe, expect, it } from "vitest";
import * as path from "node:path";
import {
  BackendUnavailable,
  assertBackendsAgree,
  assertScenario,
  loadIonBackend,
  runScenario,
  scenarioFiles,
  type Backend,
  type Observation,
} from "../../runtime-shims/mock/scenario-runner.ts";
import { loadScenario, REPO_ROOT, variantName, type Scenario, type Variant } from "../../runtime-shims/mock/scenario.ts";

const CI = process.env.CI === "true";
const ALL_VARIANTS = process.env.TSION_SCENARIO_VARIANTS === "all" || CI;
const files = scenarioFiles();
/** A run without sleep interprets tens of thousands of scheme opens per simulated second. */
const TIMEOUT_MS = 180_000;

/** Why the ion backend cannot run, or null when it can. */
const ionUnavailable: Promise<string | null> = loadIonBackend().then(
  () => null,
  (e) => (e instanceof BackendUnavailable ? e.message : `ion backend failed to load: ${(e as Error).message}`),
);

const observations = new Map<string, Promise<Observation>>();
function observe(sc: Scenario, backend: Backend): Promise<Observation> {
  const key = `${backend}:${sc.file}:${variantName(sc.variant)}`;
  if (!observations.has(key)) observations.set(key, runScenario(sc, backend));
  return observations.get(key)!;
}

/** The variants a scenario runs in here. */
function variantsOf(sc: Scenario): Variant[] {
  const vs = [...sc.variants];
  const guest = path.dirname(path.relative(REPO_ROOT, sc.run.script)) === "guest-scripts";
  if (ALL_VARIANTS && guest)
    for (const v of sc.variants) if (!v.missing.includes("sleep")) vs.push({ era: v.era, missing: [...v.missing, "sleep"] });
  return vs;
}

it("finds the scenario files", () => {
  expect(files.length).toBeGreaterThan(0);
});

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
  for (const variant of variantsOf(base)) {
    const sc = loadScenario(file, variant);
    describe(`${name} [${variantName(variant)}]`, () => {
      it.skipIf(!sc.run.backends.includes("node"))(
        "node backend meets the expectations",
        async () => {
          assertScenario(await observe(sc, "node"), sc.expect);
        },
        TIMEOUT_MS,
      );

      it.skipIf(!sc.run.backends.includes("ion"))(
        "ion backend meets the expectations",
        async (ctx) => {
          const why = await ionUnavailable;
          if (why) {
            if (CI) throw new Error(why);
            ctx.skip(why);
          }
          assertScenario(await observe(sc, "ion"), sc.expect);
        },
        TIMEOUT_MS,
      );

      it.skipIf(sc.run.backends.length < 2)(
        "node and ion backends agree",
        async (ctx) => {
          const why = await ionUnavailable;
          if (why) {
            if (CI) throw new Error(why);
            ctx.skip(why);
          }
          assertBackendsAgree(await observe(sc, "node"), await observe(sc, "ion"));
        },
        TIMEOUT_MS,
      );
    });
  }
}
