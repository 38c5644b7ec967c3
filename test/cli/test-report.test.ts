// How tsion test shows a failed scenario: disagreeing backends with a diff of
// each differing value (files, netcfg state, command log, timeline), errors,
// long diffs cut short. Built from observations, so every kind of difference
// can be shown without a backend that really disagrees.
import { describe, expect, it } from "vitest";
import { backendDifferences, type Observation, type ScenarioResult } from "../../runtime-shims/mock/scenario-runner.ts";
import { formatResult, MAX_DIFF_LINES, resultJson, unifiedDiff } from "../../compiler/src/cli/test-report.ts";

function obs(over: Partial<Observation> = {}): Observation {
  return {
    scenario: "scenarios/s.toml",
    backend: "node",
    variant: { era: "pci", missing: [] },
    status: 0,
    statuses: [0],
    stdout: "up\n",
    stderr: "",
    files: { "/etc/net/dns": "1.1.1.1\n" },
    netcfg: { up: true, device: "eth0", addr: "10.0.2.15/24", routes: ["default via 10.0.2.2 dev eth0 src 10.0.2.15"], nameserver: "1.1.1.1", mac: "m", ifaces: { eth0: "10.0.2.15/24" } },
    commandLog: [
      { argv: ["sleep", "1"], time: 0 },
      { argv: ["cat", "/scheme/netcfg/route/list"], time: 1 },
    ],
    timeline: [{ time: 0.5, event: "netcfg", detail: "registered" }],
    firstAddrAt: 1,
    firstUsableAt: 1,
    log: "",
    simTime: 1,
    wallMs: 1,
    ...over,
  };
}

function result(a: Observation, b: Observation): ScenarioResult {
  const differences = backendDifferences(a, b);
  return {
    file: "scenarios/s.toml",
    description: "d",
    variant: a.variant,
    runs: [
      { backend: a.backend, observation: a, mismatches: [] },
      { backend: b.backend, observation: b, mismatches: [] },
    ],
    disagreements: differences.length > 0 ? [{ a: a.backend, b: b.backend, differences }] : [],
    passed: differences.length === 0,
  };
}

describe("tsion test's report", () => {
  it("agreeing backends: one PASS line", () => {
    expect(formatResult(result(obs(), obs({ backend: "ion" })))).toBe("PASS  scenarios/s.toml [pci]  node, ion-sim\n");
  });

  it("disagreeing backends: a diff of each differing value, files, netcfg, command log and timeline included", () => {
    const ion = obs({
      backend: "ion",
      files: { "/etc/net/dns": "9.9.9.9\n" },
      netcfg: { ...obs().netcfg, nameserver: "9.9.9.9" },
      commandLog: [
        { argv: ["sleep", "1"], time: 0 },
        { argv: ["cat", "/scheme/netcfg/ifaces/eth0/addr/list"], time: 1 },
      ],
      timeline: [{ time: 0.75, event: "netcfg", detail: "registered" }],
    });
    expect(formatResult(result(obs(), ion))).toBe(
      [
        "FAIL  scenarios/s.toml [pci]  node, ion-sim",
        "    node and ion-sim disagree:",
        "      - netcfg differs:",
        "          --- node",
        "          +++ ion-sim",
        "          @@ -1,6 +1,6 @@",
        "           device: eth0",
        "           addr: 10.0.2.15/24",
        "           route: default via 10.0.2.2 dev eth0 src 10.0.2.15",
        "          -nameserver: 1.1.1.1",
        "          +nameserver: 9.9.9.9",
        "           mac: m",
        "           ifaces/eth0: 10.0.2.15/24",
        "      - file /etc/net/dns differs:",
        "          --- node",
        "          +++ ion-sim",
        "          @@ -1,1 +1,1 @@",
        "          -1.1.1.1",
        "          +9.9.9.9",
        "      - command log differs:",
        "          --- node",
        "          +++ ion-sim",
        "          @@ -1,2 +1,2 @@",
        "           t=0.000  sleep 1",
        "          -t=1.000  cat /scheme/netcfg/route/list",
        "          +t=1.000  cat /scheme/netcfg/ifaces/eth0/addr/list",
        "      - timeline differs:",
        "          --- node",
        "          +++ ion-sim",
        "          @@ -1,1 +1,1 @@",
        "          -t=0.500  netcfg  registered",
        "          +t=0.750  netcfg  registered",
        "",
      ].join("\n"),
    );
  });

  it("a backend that could not run shows why; single-line values need no diff", () => {
    const r: ScenarioResult = {
      ...result(obs(), obs({ backend: "ion" })),
      runs: [
        { backend: "node", observation: obs({ status: 1, statuses: [1], stderr: "tsion: no address\n" }), mismatches: [{ what: "status", message: "status: expected 0, got 1" }] },
        { backend: "ion", error: "guest-scripts/x.ts(1,1): error TS1: broken", mismatches: [] },
      ],
      passed: false,
    };
    expect(formatResult(r)).toBe(
      [
        "FAIL  scenarios/s.toml [pci]  node, ion-sim",
        "    node: [expect] not met:",
        "      - status: expected 0, got 1",
        "      stderr of node:",
        "        | tsion: no address",
        "    ion-sim could not run:",
        "      guest-scripts/x.ts(1,1): error TS1: broken",
        "",
      ].join("\n"),
    );
    expect(resultJson(r)).toMatchObject({ passed: false, backends: [{ backend: "node", statuses: [1] }, { backend: "ion-sim", error: "guest-scripts/x.ts(1,1): error TS1: broken" }] });
  });

  it("cuts a long diff short and says how much is left", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}\n`).join("");
    const text = formatResult(result(obs(), obs({ backend: "ion", stdout: many(100) })));
    const diffLines = text.split("\n").filter((l) => l.startsWith("          "));
    expect(diffLines).toHaveLength(MAX_DIFF_LINES + 1);
    expect(diffLines.at(-1)).toBe(`          ... ${unifiedDiff("node", "up\n", "ion-sim", many(100)).length - MAX_DIFF_LINES} more diff lines`);
  });
});
