import { describe, expect, it } from "vitest";
import { requirement } from "../support/requirements.ts";
import { casesMissing, listCases, runCase } from "./harness.ts";

const need = requirement("test/conformance", casesMissing());

describe.skipIf(need.skip)("ion-conformance cases through ion-sim", () => {
  it("finds the recorded cases", () => {
    need.assert();
    expect(listCases().length).toBeGreaterThanOrEqual(193);
  });
  for (const name of listCases()) {
    it(name, () => {
      const r = runCase(name);
      expect({ stdout: r.stdout, status: r.status }).toEqual({ stdout: r.spec.stdout, status: r.spec.status });
      for (const s of r.spec.stderr_contains ?? []) expect(r.stderr).toContain(s);
    });
  }
});
