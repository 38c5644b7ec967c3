/**
 * Every runtime failure names the TypeScript file and line of the call that
 * failed, `tsion: FILE:LINE: MESSAGE`, with FILE relative to the project
 * root (the nearest package.json). Failures both backends have (readFile,
 * listDir, a missing command for run/capture) print the same text on Node
 * (the in-process runner, whose transpiled lines are mapped back) and in
 * ion-sim, and on real ion when ION_BIN is set; failures only the compiled
 * script has (Number of a non-integer, division or remainder by zero, an
 * index out of range, unsupported replace patterns and formats) name the
 * same place.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/src/compile.ts";
import { RealHost } from "../../runtime-shims/host/real-host.ts";
import { runIon } from "../../runtime-shims/ion-sim/index.ts";
import { runGuestOnNode } from "../../runtime-shims/node-runner/index.ts";
import { sourceLabel } from "../../runtime-shims/runtime/location.ts";
import { findIonBinary } from "../corpus/toolchain.ts";
import { runOnRealIon } from "../differential/run-ion.ts";

const project = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-locations-"));
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));
fs.writeFileSync(path.join(project, "package.json"), '{ "name": "guest", "private": true }\n');
fs.mkdirSync(path.join(project, "src", "lib"), { recursive: true });

// Each failing call is on a line marked `// FAIL:name`; type-only lines before
// them shift the transpiled code, so Node's line numbers must be mapped back.
const LIB = `import { capture, listDir, readFile, run } from "tsion/runtime";

export interface Options {
  verbose: boolean;
}

export type Mode = "a" | "b";

export function fail(which: string, n: number): void {
  const parts: string[] = ["x"];
  const computed = which + "-tsion-no-such-program";
  if (which === "read") console.log(readFile("no-such-file")); // FAIL:read
  if (which === "list") console.log(listDir("no-such-dir").length); // FAIL:list
  if (which === "run") run("tsion-no-such-program", "-x"); // FAIL:run
  if (which === "capture") console.log(capture("tsion-no-such-program")); // FAIL:capture
  if (which === "computed") run(computed); // FAIL:computed
  if (which === "number") console.log(Number("abc") + 1); // FAIL:number
  if (which === "divide") console.log(Math.trunc(10 / n)); // FAIL:divide
  if (which === "remainder") console.log(10 % n); // FAIL:remainder
  if (which === "index") console.log(parts[n + 3]); // FAIL:index
  if (which === "replace") console.log("abc".replace("b", "$\`")); // FAIL:replace
}
`;
const MAIN = `import { args } from "tsion/runtime";
import { fail } from "./lib/fail.ts";

console.log("start");
fail(args()[0], 0);
console.log("not reached");
`;
const libFile = path.join(project, "src", "lib", "fail.ts");
const mainFile = path.join(project, "src", "main.ts");
fs.writeFileSync(libFile, LIB);
fs.writeFileSync(mainFile, MAIN);
const compiled = compileFile(mainFile, { cwd: project });

function expected(which: string, message: string): string {
  const line = LIB.split("\n").findIndex((l) => l.includes(`// FAIL:${which}`)) + 1;
  return `tsion: src/lib/fail.ts:${line}: ${message}\n`;
}

function onHost(backend: "node" | "ion", which: string) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-locations-run-"));
  try {
    let stdout = "";
    let stderr = "";
    const host = new RealHost((s) => (stdout += s), (s) => (stderr += s), cwd);
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8" };
    const status = backend === "ion" ? runIon(compiled.ion!, { fileName: "main.ion", env, host, args: [which] }).status : runGuestOnNode(mainFile, { host, env, args: [which] }).status;
    return { stdout, stderr, status };
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

const ionBin = findIonBinary();

describe("runtime failures name the TypeScript file and line", () => {
  it("compiles, and labels files from the project root", () => {
    expect(compiled.diagnostics).toEqual([]);
    expect(sourceLabel(libFile)).toBe("src/lib/fail.ts");
    expect(sourceLabel("/no-project-here/x.ts")).toBe("/no-project-here/x.ts");
  });

  const shared: [string, string][] = [
    ["read", "readFile: cannot read 'no-such-file'"],
    ["list", "listDir: cannot list 'no-such-dir'"],
    ["run", "command not found: tsion-no-such-program"],
    ["capture", "command not found: tsion-no-such-program"],
    ["computed", "command not found: computed-tsion-no-such-program"],
  ];
  for (const [which, message] of shared) {
    it(`${which}: Node and ion-sim print the same located message${ionBin ? ", and so does real ion" : ""}`, async () => {
      const want = { stdout: "start\n", stderr: expected(which, message), status: 1 };
      expect(onHost("node", which)).toEqual(want);
      expect(onHost("ion", which)).toEqual(want);
      if (ionBin) expect(await runOnRealIon(ionBin, compiled.ion!, "main.ion", [which])).toEqual(want);
    });
  }

  const ionOnly: [string, string][] = [
    ["number", "not a decimal integer: 'abc'"],
    ["divide", "division by zero"],
    ["remainder", "remainder by zero"],
    ["index", "index out of range"],
    ["replace", "replace: the prefix and suffix replacement patterns are not supported"],
  ];
  for (const [which, message] of ionOnly) {
    it(`${which}: the compiled script stops naming the line (Node continues: a documented difference)`, async () => {
      const want = { stdout: "start\n", stderr: expected(which, message), status: 1 };
      expect(onHost("ion", which)).toEqual(want);
      if (ionBin) expect(await runOnRealIon(ionBin, compiled.ion!, "main.ion", [which])).toEqual(want);
      expect(onHost("node", which).status).toBe(0);
    });
  }
});
