// `tsion test`: scenario files on both backends through the real launcher; the
// report (PASS/FAIL, diffs), --json, --script, the default scenarios/ directory,
// exit statuses, and real ion when ION_BIN is set.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanupProjects, expectNoStack, makeProject, repoRoot, tsion } from "./helpers.ts";
import { requirement } from "../support/requirements.ts";
import { realIonMissing } from "../../runtime-shims/realion/requirements.ts";

afterAll(cleanupProjects);

const RECORD_GUEST = fs.readFileSync(path.join(repoRoot, "test/scenario-harness/fixtures/run-record.ts"), "utf8");

/** A scenario for run-record.ts ([run] args, times and cwd; `script` line optional). */
function recordScenario(opts: { script?: string; stdout?: string } = {}): string {
  return [
    'description = "run-record with [run] args, times and cwd"',
    "[run]",
    ...(opts.script === undefined ? [] : [`script = ${JSON.stringify(opts.script)}`]),
    'args = ["a", "b"]',
    "times = 2",
    'cwd = "/tmp"',
    "[expect]",
    "statuses = [2, 2]",
    `stdout = ${JSON.stringify(opts.stdout ?? "args: a,b\nargs: a,b\n")}`,
    "[expect.files]",
    '"/tmp/runs.txt" = "run with 2 arguments\\nrun with 2 arguments\\n"',
    "",
  ].join("\n");
}

/** A project as `tsion init` lays it out: package.json, guest-scripts/, scenarios/. */
function project(scenarios: Record<string, string>, guests: Record<string, string> = { "run-record.ts": RECORD_GUEST }): string {
  const dir = makeProject();
  fs.writeFileSync(path.join(dir, "package.json"), '{ "private": true }\n');
  fs.mkdirSync(path.join(dir, "guest-scripts"));
  for (const [name, text] of Object.entries(guests)) fs.writeFileSync(path.join(dir, "guest-scripts", name), text);
  fs.mkdirSync(path.join(dir, "scenarios"));
  for (const [name, text] of Object.entries(scenarios)) fs.writeFileSync(path.join(dir, "scenarios", name), text);
  return dir;
}

describe("tsion test", () => {
  it("runs scenarios/*.toml by default ([run] script relative to the project root), every era, both backends: PASS, exit 0", async () => {
    const dir = project({ "record.toml": recordScenario({ script: "guest-scripts/run-record.ts" }) });
    const r = await tsion(["test"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      "PASS  scenarios/record.toml [eth0]  node, ion-sim\n" + "PASS  scenarios/record.toml [pci]  node, ion-sim\n" + "\n2 passed, 0 failed (1 scenario)\n",
    );
    expect(r.exitCode).toBe(0);
  });

  it("runs the repository's own scenarios when named", async () => {
    const r = await tsion(["test", "test/scenarios/example-no-adapter.toml", "test/scenarios/example-static-fallback.toml"]);
    expect(r.stdout).toBe(
      "PASS  test/scenarios/example-no-adapter.toml [eth0]  node, ion-sim\n" +
        "PASS  test/scenarios/example-static-fallback.toml [eth0]  node, ion-sim\n" +
        "\n2 passed, 0 failed (2 scenarios)\n",
    );
    expect(r.exitCode).toBe(0);
  });

  it("a failed expectation: FAIL with a diff per value, said once when both backends fail alike; exit 1", async () => {
    const dir = project({ "wrong.toml": recordScenario({ script: "guest-scripts/run-record.ts", stdout: "args: a\nargs: a,b\n" }) });
    const r = await tsion(["test", "scenarios/wrong.toml"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(
      [
        "FAIL  scenarios/wrong.toml [eth0]  node, ion-sim",
        "    node: [expect] not met:",
        "      - stdout differs:",
        "          --- expected",
        "          +++ node",
        "          @@ -1,2 +1,2 @@",
        "          -args: a",
        "           args: a,b",
        "          +args: a,b",
        "    ion-sim: [expect] not met, the same way as node",
        "",
      ].join("\n"),
    );
    expect(r.stdout).toMatch(/\n0 passed, 2 failed \(1 scenario\)\n$/);
    expectNoStack(r.stderr);
  });

  it("--json: one document with every result and mismatch", async () => {
    const dir = project({
      "ok.toml": recordScenario({ script: "guest-scripts/run-record.ts" }),
      "wrong.toml": recordScenario({ script: "guest-scripts/run-record.ts", stdout: "nope\n" }),
    });
    const r = await tsion(["test", "--json"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      passed: number;
      failed: number;
      results: { scenario: string; variant: string; passed: boolean; backends: { backend: string; statuses: number[]; mismatches: { what: string; expected?: string; actual?: string }[] }[] }[];
    };
    expect(doc).toMatchObject({ passed: 2, failed: 2 });
    expect(doc.results.map((x) => [x.scenario, x.variant, x.passed])).toEqual([
      ["scenarios/ok.toml", "eth0", true],
      ["scenarios/ok.toml", "pci", true],
      ["scenarios/wrong.toml", "eth0", false],
      ["scenarios/wrong.toml", "pci", false],
    ]);
    const node = doc.results[2]!.backends[0]!;
    expect(node.backend).toBe("node");
    expect(node.statuses).toEqual([2, 2]);
    expect(node.mismatches).toEqual([
      { what: "stdout", message: 'stdout: expected "nope\\n", got "args: a,b\\nargs: a,b\\n"', expected: "nope\n", actual: "args: a,b\nargs: a,b\n" },
    ]);
  });

  it("--script gives the guest to scenarios without [run] script; without it they fail and say why", async () => {
    const dir = project({ "noscript.toml": recordScenario() });
    const ok = await tsion(["test", "--script", "guest-scripts/run-record.ts"], { cwd: dir });
    expect(ok.stdout).toMatch(/^PASS  scenarios\/noscript\.toml \[eth0\]/);
    expect(ok.exitCode).toBe(0);
    const missing = await tsion(["test"], { cwd: dir });
    expect(missing.exitCode).toBe(1);
    expect(missing.stdout).toContain('FAIL  scenarios/noscript.toml\n    scenarios/noscript.toml:2: [run] needs "script" (or a script given on the command line)\n');
  });

  it("a scenario that does not parse fails alone; the others still run", async () => {
    const dir = project({ "a-broken.toml": 'description = "x"\n[run]\nscript = "guest-scripts/run-record.ts"\n[expect]\nstatus = "0"\n', "b-ok.toml": recordScenario({ script: "guest-scripts/run-record.ts" }) });
    const r = await tsion(["test"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('FAIL  scenarios/a-broken.toml\n    scenarios/a-broken.toml:5: [expect] "status" must be an integer 0..255, got string "0"\n');
    expect(r.stdout).toContain("PASS  scenarios/b-ok.toml [pci]");
    expect(r.stdout).toMatch(/\n2 passed, 1 failed \(2 scenarios\)\n$/);
  });

  it("a guest that does not compile: ion-sim could not run, with the diagnostics; exit 1", async () => {
    const dir = project({ "arrow.toml": recordScenario({ script: "guest-scripts/arrow.ts" }) }, { "arrow.ts": `const f = (x: number): number => x;\nconsole.log(f(1));\n${RECORD_GUEST}` });
    const r = await tsion(["test"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("    ion-sim could not run:\n      guest-scripts/arrow.ts(1,7): error TSION1002: ");
    expect(r.stdout).toContain("      guest-scripts/arrow.ts(1,11): error TSION1001: ArrowFunction is not supported by tsion.\n");
    expect(r.stdout).toContain("hint: Ion has no function values");
  });

  it("--without-sleep adds each variant on an image without sleep", async () => {
    const r = await tsion(["test", "--without-sleep", "test/scenarios/example-no-adapter.toml"]);
    expect(r.stdout).toContain("PASS  test/scenarios/example-no-adapter.toml [eth0 without sleep]  node, ion-sim\n");
    expect(r.exitCode).toBe(0);
  });

  it("usage and I/O errors exit 2 before anything runs", async () => {
    const dir = project({});
    expect(await tsion(["test", "nope.toml"], { cwd: dir })).toMatchObject({ exitCode: 2, stdout: "", stderr: "tsion: error: cannot read nope.toml: no such file or directory\n" });
    expect(await tsion(["test"], { cwd: dir })).toMatchObject({ exitCode: 2, stdout: "", stderr: "tsion: error: no scenarios: scenarios/ has no *.toml file\n" });
    expect(await tsion(["test"], { cwd: makeProject() })).toMatchObject({ exitCode: 2, stdout: "", stderr: "tsion: error: no scenarios: give scenario files, or put them in scenarios/*.toml\n" });
    const r = await tsion(["test", "--ion", "no-such-ion", "test/scenarios/example-no-adapter.toml"], { cwd: repoRoot, env: { ION_BIN: "" } });
    expect(r).toMatchObject({ exitCode: 2, stdout: "", stderr: "tsion: error: cannot run no-such-ion: no such file or directory\n" });
    const script = await tsion(["test", "--script", "nope.ts"], { cwd: project({ "x.toml": recordScenario() }) });
    expect(script).toMatchObject({ exitCode: 2, stdout: "", stderr: "tsion: error: cannot read nope.ts: no such file or directory\n" });
  });
});

const ION_BIN = process.env.ION_BIN ?? "";
const need = requirement("test/cli/test-command (real ion)", [ION_BIN === "" ? "ION_BIN is not set" : "", ION_BIN === "" ? "" : (realIonMissing() ?? "")], { optionalInCi: ION_BIN === "" });

describe.skipIf(need.skip)("tsion test with a real ion binary (ION_BIN)", () => {
  it("runs each scenario on real ion too, compared with ion-sim", async () => {
    need.assert();
    const r = await tsion(["test", "test/scenarios/static-mode.toml"], { env: { ION_BIN } });
    expect(r.stdout).toBe(
      "PASS  test/scenarios/static-mode.toml [eth0]  node, ion-sim, real ion\n" + "PASS  test/scenarios/static-mode.toml [pci]  node, ion-sim, real ion\n" + "\n2 passed, 0 failed (1 scenario)\n",
    );
    expect(r.exitCode).toBe(0);
  });
});
