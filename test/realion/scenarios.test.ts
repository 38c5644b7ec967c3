/**
 * Scenarios on a real ion binary (docs/real-ion.md).
 *
 * - With ION_BIN=/path/to/ion: every scenario of test/scenarios, in each of
 *   its variants, runs on real ion; it must agree with ion-sim
 *   (compareBackends) and meet its [expect] section.
 * - Without ION_BIN: those tests are skipped, visibly (reason in the name and
 *   one console.warn), even under CI.
 * - Always (CI=true, or when the machine has the tools): the comparison path
 *   itself, with bash standing in for ion on a script that is valid in both
 *   Ion and bash, against ion-sim running the same text.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { MockRedox } from "../../runtime-shims/mock/mock-redox.ts";
import { loadScenario, REPO_ROOT, variantName } from "../../runtime-shims/mock/scenario.ts";
import {
  checkExpectations,
  compareBackends,
  loadIonBackend,
  runScenario,
  scenarioFiles,
} from "../../runtime-shims/mock/scenario-runner.ts";
import { runScenarioOnRealIon } from "../../runtime-shims/realion/run-scenario.ts";
import { observe } from "../../runtime-shims/mock/scenario-runner.ts";
import { realIonMissing } from "../../runtime-shims/realion/requirements.ts";
import { requirement } from "../support/requirements.ts";

const ION_BIN = process.env.ION_BIN ?? "";
const sandbox = requirement("test/realion (sandbox with bash)", realIonMissing() ?? "");
const missing = sandbox.skip ? sandbox.missing : null;
const BASH = fs.existsSync("/bin/bash") ? "/bin/bash" : "/usr/bin/bash";

// Every scenario: the guest scripts and the test fixtures are compiled alike.
const guestScenarios = scenarioFiles();

/** Valid Ion and valid bash, doing the same to the mock. */
const POLYGLOT = [
  "sleep 1", // the scenario's netstack registers netcfg at t = 1
  "cat /scheme/netcfg/ifaces/eth0/addr/list",
  "echo 10.0.2.15/24 > /scheme/netcfg/ifaces/eth0/addr/set",
  "cat /scheme/netcfg/ifaces/eth0/addr/list",
  "cat /scheme/netcfg/route/list",
  "echo 10.0.2.3 > /scheme/netcfg/resolv/nameserver",
  "echo 1.1.1.1 > /etc/net/dns",
  "ls /scheme",
  "ping -c 1 10.0.2.15",
  "",
].join("\n");

describe(`comparison path with bash standing in for ion${missing ? ` (skipped: ${missing})` : ""}`, () => {
  (missing ? it.skip : it)("bash in the sandbox and ion-sim agree on a script valid in both", async () => {
    const sc = loadScenario(path.join(REPO_ROOT, "test/scenarios/static-mode.toml"));
    const real = await runScenarioOnRealIon(sc, BASH, { script: POLYGLOT });

    const { runIon } = await loadIonBackend();
    const mock = new MockRedox({ ...sc.mock });
    let sim;
    try {
      const r = await runIon(POLYGLOT, { fileName: "polyglot.ion", args: [], env: sc.run.env, host: mock });
      sim = observe(sc, "ion", mock, [typeof r === "number" ? r : r.status], 0);
    } finally {
      mock.dispose();
    }

    expect(real.stderr).toBe("");
    expect(real.statuses).toEqual([0]);
    expect(real.netcfg.addr).toBe("10.0.2.15/24");
    expect(real.netcfg.nameserver).toBe("10.0.2.3");
    expect(real.files["/etc/net/dns"]).toBe("1.1.1.1\n");
    expect(real.simTime).toBeGreaterThanOrEqual(1);
    expect(real.commandLog.map((c) => c.argv[0])).toEqual(["sleep", "cat", "cat", "cat", "ls", "ping"]);
    expect(compareBackends(sim, real)).toEqual([]);
    // and the comparison notices a real difference
    const other = await runScenarioOnRealIon(sc, BASH, { script: POLYGLOT.replace("10.0.2.15/24", "10.0.2.16/24") });
    expect(compareBackends(sim, other).join("\n")).toMatch(/netcfg differs/);
  });
});

// Without ION_BIN these skip also under CI (a real ion binary is not a package CI installs).
const realIon = requirement("test/realion (scenarios on real ion)", ION_BIN ? (realIonMissing() ?? "") : "ION_BIN is not set", { optionalInCi: !ION_BIN });
const reason = realIon.skip ? realIon.missing : null;

describe(`scenarios on real ion${reason ? ` (skipped: ${reason})` : ` (${ION_BIN})`}`, () => {
  it("finds guest-script scenarios", () => {
    expect(guestScenarios.length).toBeGreaterThan(0);
  });
  for (const file of guestScenarios) {
    const name = path.basename(file, ".toml");
    if (reason) {
      it.skip(`${name} (skipped: ${reason})`, () => {});
      continue;
    }
    // every naming era the scenario runs in (docs/scenarios.md, variants)
    for (const variant of loadScenario(file).variants) {
      // Without sleep, every 0.1 ms of waiting is 4 opens of /scheme/null. The
      // FUSE server serves those itself and the bridge charges them in order
      // (scheme_fuse.py), so even a long wait is affordable; it still takes
      // real time (ion's own loop), hence the longer timeout.
      const slow = variant.missing.includes("sleep");
      it(`${name} [${variantName(variant)}]`, async () => {
        const sc = loadScenario(file, variant);
        const sim = await runScenario(sc, "ion");
        const real = await runScenarioOnRealIon(sc, ION_BIN, slow ? { timeoutMs: 400_000 } : {});
        const problems = [
          ...compareBackends(sim, real).map((d) => `ion-sim vs real ion: ${d}`),
          ...checkExpectations(real, sc.expect).map((d) => `expectation: ${d}`),
        ];
        expect(problems, `stdout:\n${real.stdout}\nstderr:\n${real.stderr}`).toEqual([]);
      }, slow ? 420_000 : undefined);
    }
  }
});
