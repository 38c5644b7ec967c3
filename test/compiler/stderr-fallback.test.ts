/**
 * console.error and fatal runtime errors write to /dev/stderr, the only way
 * Ion has to reach fd 2; on a system without /dev/stderr (Redox images may
 * ship none) they go to stdout instead of killing the script with an
 * unopenable redirection (fatal in Ion). Both backends follow the same rule. (The
 * temporary directory has no package.json, so the failure names the file by
 * its absolute path.)
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/src/compile.ts";
import { RealHost } from "../../runtime-shims/host/real-host.ts";
import type { StatInfo } from "../../runtime-shims/host/types.ts";
import { runIon } from "../../runtime-shims/ion-sim/index.ts";
import { runGuestOnNode } from "../../runtime-shims/node-runner/index.ts";

/** The real machine, but without /dev/stderr. */
class NoDevStderr extends RealHost {
  override stat(p: string): StatInfo | null {
    return p === "/dev/stderr" ? null : super.stat(p);
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-stderr-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const entry = path.join(dir, "prog.ts");
fs.writeFileSync(
  entry,
  `import { readFile } from "tsion/runtime";
console.error("warning:", 1, true);
console.log("ok");
readFile("missing-file");
`,
);
const compiled = compileFile(entry);

function run(backend: "ion" | "node", hostClass: typeof RealHost) {
  let stdout = "";
  let stderr = "";
  const host = new hostClass((s) => (stdout += s), (s) => (stderr += s), dir);
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8" };
  const status = backend === "ion" ? runIon(compiled.ion!, { fileName: "prog.ion", env, host }).status : runGuestOnNode(entry, { host, env, args: [] }).status;
  return { stdout, stderr, status };
}

describe("stderr without /dev/stderr", () => {
  it("compiles", () => expect(compiled.diagnostics).toEqual([]));
  for (const backend of ["ion", "node"] as const) {
    it(`${backend}: with /dev/stderr, errors go to stderr`, () => {
      const r = run(backend, RealHost);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe("ok\n");
      expect(r.stderr).toContain("warning: 1 true\n");
      expect(r.stderr).toContain(`tsion: ${entry}:4: readFile: cannot read 'missing-file'\n`);
    });
    it(`${backend}: without /dev/stderr, errors go to stdout and the script is not killed by the redirection`, () => {
      const r = run(backend, NoDevStderr);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe(`warning: 1 true\nok\ntsion: ${entry}:4: readFile: cannot read 'missing-file'\n`);
      expect(r.stderr).toBe("");
    });
  }
});
