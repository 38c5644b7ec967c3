// Runs EVERY scenario under test/scenarios/ on the Node backend and (when the
// compiler and ion-sim exist) on the Ion backend, checks its [expect] section
// on each, and checks that both backends agree.
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
import { loadScenario, type Scenario } from "../../runtime-shims/mock/scenario.ts";

const CI = process.env.CI === "true";
const files = scenarioFiles();

/** Why the ion backend cannot run, or null when it can. */
const ionUnavailable: Promise<string | null> = loadIonBackend().then(
  () => null,
  (e) => (e instanceof BackendUnavailable ? e.message : `ion backend failed to load: ${(e as Error).message}`),
);

const observations = new Map<string, Promise<Observation>>();
function observe(file: string, backend: Backend): Promise<Observation> {
  const key = `${backend}:${file}`;
  if (!observations.has(key)) observations.set(key, runScenario(file, backend));
  return observations.get(key)!;
}

it("finds the scenario files", () => {
  expect(files.length).toBeGreaterThan(0);
});

for (const file of files) {
  const name = path.basename(file);
  let sc: Scenario;
  try {
    sc = loadScenario(file);
  } catch (e) {
    // A broken scenario file is one failing test, not a broken suite.
    it(`${name} parses`, () => {
      throw e;
    });
    continue;
  }
  describe(name, () => {

    it.skipIf(!sc.run.backends.includes("node"))("node backend meets the expectations", async () => {
      assertScenario(await observe(file, "node"), sc.expect);
    });

    it.skipIf(!sc.run.backends.includes("ion"))("ion backend meets the expectations", async (ctx) => {
      const why = await ionUnavailable;
      if (why) {
        if (CI) throw new Error(why);
        ctx.skip(why);
      }
      assertScenario(await observe(file, "ion"), sc.expect);
    });

    it.skipIf(sc.run.backends.length < 2)("node and ion backends agree", async (ctx) => {
      const why = await ionUnavailable;
      if (why) {
        if (CI) throw new Error(why);
        ctx.skip(why);
      }
      assertBackendsAgree(await observe(file, "node"), await observe(file, "ion"));
    });
  });
}
