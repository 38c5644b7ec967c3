// benchScenarios reports wall and simulated time per scenario.
import { expect, it } from "vitest";
import * as path from "node:path";
import { benchScenarios } from "../../runtime-shims/node-runner/bench.ts";
import { REPO_ROOT } from "../../runtime-shims/mock/scenario.ts";

it("reports wall time and simulated time per scenario", async () => {
  const files = ["example-static-fallback", "example-no-adapter"].map((n) => path.join(REPO_ROOT, "test/scenarios", `${n}.toml`));
  const r = await benchScenarios({ backends: ["node"], files });
  expect(r.map((x) => [x.scenario, x.backend, Math.round(x.simSeconds * 1000) / 1000, x.ok])).toEqual([
    ["example-static-fallback", "node", 30, true], // plus a few scheme opens of 25 µs each
    ["example-no-adapter", "node", 3, true],
  ]);
  for (const x of r) expect(x.wallMs).toBeGreaterThan(0);
});
