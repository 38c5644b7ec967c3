// `tsion sim` through the real launcher: exit status is the script's; usage errors are 2;
// a .ts the compiler refuses does not run; with --scenario, [run] applies and [expect] is checked.
import { afterAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";
import { REPO_ROOT } from "../../runtime-shims/mock/scenario.ts";

const BIN = path.join(REPO_ROOT, "bin/tsion.mjs");
const FIX = path.join(REPO_ROOT, "test/scenario-harness/fixtures");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-sim-cli-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const sim = (args: string[]) => execa("node", [BIN, "sim", ...args], { cwd: REPO_ROOT, reject: false, env: { NO_COLOR: "1" } });

/** A scenario for fixtures/run-record.ts without `[run] script`: it comes from the command line. */
const RECORD = `description = "run-record: [run] args, times and cwd"
[run]
args = ["a", "b"]
times = 2
cwd = "/tmp"
[expect]
statuses = [2, 2]
stdout = "args: a,b\\nargs: a,b\\n"
[expect.files]
"/tmp/runs.txt" = "run with 2 arguments\\nrun with 2 arguments\\n"
`;

describe("tsion sim (CLI)", () => {
  it("passes the script's exit status and output through", async () => {
    const r = await sim(["--scenario", "test/scenarios/example-no-adapter.toml", "--no-expect", path.join(FIX, "runner/exit-big.ts")]);
    expect(r.stdout).toBe("data");
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(1); // exit(257) is 1 modulo 256
  });
  it("passes every argument after SCRIPT to the script, options included", async () => {
    const r = await sim(["--scenario", "test/scenarios/example-no-adapter.toml", "--no-expect", path.join(FIX, "run-record.ts"), "-v", "--root", "x"]);
    expect(r.stdout).toBe("args: -v,--root,x");
    expect(r.exitCode).toBe(3);
  });
  it("reports a bad scenario as a usage error naming file and line", async () => {
    const r = await sim(["--scenario", "test/scenario-harness/fixtures/bad-scenario.toml", path.join(FIX, "no-adapter.ts")]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('tsion: error: test/scenario-harness/fixtures/bad-scenario.toml:5: [dhcp] unknown key "lease_time" (known: server, reply_after, ack, ip, prefix, gateway, dns, background)');
  });
  it("refuses a .ts that compile would reject: its diagnostics, exit 1, nothing run", async () => {
    const file = path.join(scratch, "arrow.ts");
    fs.writeFileSync(file, 'import { writeFile } from "tsion/runtime";\nwriteFile("/tmp/ran", "yes\\n");\nconst f = (x: number): number => x;\nconsole.log(f(1));\n');
    const root = path.join(scratch, "root");
    const r = await sim(["--root", root, file]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/arrow\.ts\(3,11\): error TSION1001: /);
    expect(r.stderr).toContain("hint: Ion has no function values");
    expect(fs.existsSync(path.join(root, "tmp", "ran"))).toBe(false);
  });
  it("--scenario applies [run] args, times and cwd (script from the command line) and checks [expect]", async () => {
    const scenario = path.join(scratch, "record.toml");
    fs.writeFileSync(scenario, RECORD);
    const ts = await sim(["--scenario", scenario, path.join(FIX, "run-record.ts")]);
    expect(ts).toMatchObject({ exitCode: 2, stdout: "args: a,b\nargs: a,b", stderr: "" });
    // the compiled script in ion-sim: the same
    const ion = path.join(scratch, "run-record.ion");
    expect((await execa("node", [BIN, "compile", path.join(FIX, "run-record.ts"), "-o", ion], { reject: false })).exitCode).toBe(0);
    expect(await sim(["--scenario", scenario, ion])).toMatchObject({ exitCode: 2, stdout: "args: a,b\nargs: a,b", stderr: "" });
    // arguments on the command line replace [run] args: [expect] no longer holds
    const other = await sim(["--scenario", scenario, ion, "x"]);
    expect(other.exitCode).toBe(1);
    expect(other.stdout).toBe("args: x\nargs: x");
    expect(other.stderr).toContain(`tsion: [expect] of ${scenario} not met (ion-sim, exit status 1):\n  - statuses: expected [2,2], got [1,1]\n  - stdout differs:\n      --- expected\n      +++ ion-sim\n`);
    expect(other.stderr).toContain("  - file /tmp/runs.txt differs:\n");
    // --no-expect: the script's own status
    expect((await sim(["--scenario", scenario, "--no-expect", ion, "x"])).exitCode).toBe(1);
    expect((await sim(["--scenario", scenario, "--no-expect", ion, "x", "y", "z"])).exitCode).toBe(3);
  });
});
