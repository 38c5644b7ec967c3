import { describe, expect, it } from "vitest";
import { listCases, runCase } from "./harness.ts";

describe("ion-conformance cases through ion-sim", () => {
  for (const name of listCases()) {
    it(name, () => {
      const r = runCase(name);
      expect({ stdout: r.stdout, status: r.status }).toEqual({ stdout: r.spec.stdout, status: r.spec.status });
      for (const s of r.spec.stderr_contains ?? []) expect(r.stderr).toContain(s);
    });
  }
});
