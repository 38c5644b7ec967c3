// Scenario files: defaults, and errors that name the file and the line.
import { describe, expect, it } from "vitest";
import { parseScenario, ScenarioError, UNPINNED_ERAS } from "../../runtime-shims/mock/scenario.ts";
import { checkExpectations, compareBackends, type Observation } from "../../runtime-shims/mock/scenario-runner.ts";

const HEAD = `description = "x"\n[run]\nscript = "test/scenario-harness/fixtures/no-adapter.ts"\n`;

function err(text: string): string {
  try {
    parseScenario(text, "s.toml");
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error("no error");
}

describe("scenario parsing", () => {
  it("fills the defaults", () => {
    const sc = parseScenario(`${HEAD}[expect]\nstatus = 0\n`, "s.toml");
    expect(sc.run).toMatchObject({ args: [], times: 1, uid: 0, cwd: "/", env: { PATH: "/usr/bin" }, backends: ["node", "ion"] });
    expect(sc.mock).toMatchObject({ baseFiles: true, nics: undefined, dhcp: null, rejections: [] });
  });
  it("parses every section", () => {
    const sc = parseScenario(
      `${HEAD}args = ["a"]\ntimes = 2\n[files]\n"/x" = "1"\n"/y" = { data = "2", mode = 0o755 }\n[[nics]]\ndriver = "virtio_net"\npci = "00:04.0"\nat = 1\n` +
        `[netstack]\nnetcfg_at = 2\nmac = "none"\n[dhcp]\nip = "10.0.2.15"\nprefix = 24\nbackground = true\n` +
        `[[reject]]\npath = "/scheme/netcfg/route/add"\nerrno = "EIO"\nfrom = 3\n[network]\nreachable = ["1.1.1.1"]\n` +
        `[expect]\nroutes = []\ncommands_include = [["dhcpd"]]\n[expect.files]\n"/etc/net/dns" = "1.1.1.1\\n"\n`,
      "s.toml",
    );
    expect(sc.run.times).toBe(2);
    expect(sc.mock.files).toEqual([{ path: "/x", data: "1", mode: 0o644 }, { path: "/y", data: "2", mode: 0o755 }]);
    expect(sc.mock.nics).toEqual([{ driver: "virtio_net", pci: "00:04.0", at: 1 }]);
    expect(sc.mock.mac).toBeNull();
    expect(sc.mock.dhcp).toMatchObject({ server: true, replyAfter: 1, ack: true, ip: "10.0.2.15", prefix: 24, background: true });
    expect(sc.mock.rejections).toEqual([{ path: "/scheme/netcfg/route/add", errno: "EIO", from: 3, until: undefined }]);
    expect(sc.expect.files).toEqual({ "/etc/net/dns": "1.1.1.1\n" });
  });
  it("names file and line of an unknown key", () => {
    expect(err(`${HEAD}[dhcp]\nip = "10.0.2.15"\ngatway = "10.0.2.2"\n[expect]\nstatus = 0\n`)).toMatch(
      /^s\.toml:6: \[dhcp\] unknown key "gatway" \(known: server, /,
    );
    expect(err(`${HEAD}[expect]\nstatus = 0\nstdout_contain = ["x"]\n`)).toMatch(/^s\.toml:6: \[expect\] unknown key "stdout_contain"/);
    expect(err(`${HEAD}colour = 1\n[expect]\nstatus = 0\n`)).toMatch(/^s\.toml:4: \[run\] unknown key "colour"/);
    expect(err(`bogus = 1\n${HEAD}[expect]\nstatus = 0\n`)).toMatch(/^s\.toml:1: unknown key "bogus"/);
  });
  it("names file and line of a wrong type", () => {
    expect(err(`${HEAD}[dhcp]\nip = "10.0.2.15"\nprefix = "24"\n[expect]\nstatus = 0\n`)).toBe(
      's.toml:6: [dhcp] "prefix" must be an integer 0..32, got string "24"',
    );
    expect(err(`${HEAD}[[nics]]\ndriver = "e1000"\n[[nics]]\npci = "zz"\n[expect]\nstatus = 0\n`)).toMatch(/^s\.toml:7: \[nics\[1\]\] bad PCI address 'zz'/);
    expect(err(`${HEAD}[expect]\nstatus = "0"\n`)).toMatch(/^s\.toml:5: \[expect\] "status" must be an integer/);
    expect(err(`${HEAD}[[reject]]\npath = "/x"\nerrno = "ENOPE"\n[expect]\nstatus = 0\n`)).toMatch(/^s\.toml:6: \[reject\[0\]\] unknown errno "ENOPE"/);
  });
  it("reports TOML syntax errors with line and column, and missing pieces", () => {
    expect(err(`${HEAD}[expect]\nstatus = \n`)).toMatch(/^s\.toml:5:\d+: /);
    expect(err(`[run]\nscript = "x.ts"\n`)).toMatch(/missing "description"/);
    expect(err(`description = "d"\n[run]\nscript = "nope.ts"\n[expect]\nstatus = 0\n`)).toMatch(/^s\.toml:3: \[run\] script not found/);
    expect(err(`${HEAD}`)).toMatch(/\[expect\] must check at least one thing/);
    expect(err(`${HEAD}[netstack]\nnaming = "eth1"\n[expect]\nstatus = 0\n`)).toBe('s.toml:5: [netstack] "naming" must be one of eth0, pci, got "eth1"');
    expect(err(`${HEAD}[image]\nwithout = "sleep"\n[expect]\nstatus = 0\n`)).toMatch(/^s\.toml:5: \[image\] "without" must be an array of strings/);
  });
});

describe("variants: naming eras and missing commands", () => {
  const T =
    `${HEAD}[[nics]]\ndriver = "virtio_net"\npci = "00:05.0"\n[[nics]]\ndriver = "e1000"\npci = "00:04.0"\n` +
    `[[reject]]\npath = "/scheme/netcfg/ifaces/{dev}/addr/set"\n` +
    `[expect]\nstdout_contains = ["{dev} configured"]\nroutes = ["127.0.0.0/8  dev {lo} src 127.0.0.1"]\ncommands = [["sleep", "0.2"], ["cat", "x"]]\n`;
  it("an unpinned scenario runs in both eras; {dev} and {lo} name that era's devices", () => {
    const sc = parseScenario(T, "s.toml");
    expect(sc.variants).toEqual(UNPINNED_ERAS.map((era) => ({ era, missing: [] })));
    expect(sc.variant).toEqual({ era: "eth0", missing: [] });
    expect(sc.mock).toMatchObject({ naming: "eth0", missingCommands: [] });
    expect(sc.expect.stdout_contains).toEqual(["eth0 configured"]);
    expect(sc.expect.routes).toEqual(["127.0.0.0/8  dev loopback src 127.0.0.1"]);
    expect(sc.mock.rejections![0]!.path).toBe("/scheme/netcfg/ifaces/eth0/addr/set");
    const pci = parseScenario(T, "s.toml", { era: "pci" });
    // the first adapter in interface-name order, whatever the [[nics]] order
    expect(pci.expect.stdout_contains).toEqual(["pci-0000-00-04.0_e1000 configured"]);
    expect(pci.expect.routes).toEqual(["127.0.0.0/8  dev lo src 127.0.0.1"]);
    expect(pci.mock.rejections![0]!.path).toBe("/scheme/netcfg/ifaces/pci-0000-00-04.0_e1000/addr/set");
  });
  it("pins an era with [netstack] naming", () => {
    const sc = parseScenario(T.replace("[expect]", `[netstack]\nnaming = "pci"\n[expect]`), "s.toml");
    expect(sc.variants).toEqual([{ era: "pci", missing: [] }]);
    expect(sc.mock.naming).toBe("pci");
  });
  it("an image without sleep: declared with [image] without, or added as a variant; no sleep expected in the command log", () => {
    const sc = parseScenario(T.replace("[expect]", `[image]\nwithout = ["sleep"]\n[expect]`), "s.toml");
    expect(sc.variants).toEqual(UNPINNED_ERAS.map((era) => ({ era, missing: ["sleep"] })));
    expect(sc.mock.missingCommands).toEqual(["sleep"]);
    expect(sc.expect.commands).toEqual([["cat", "x"]]);
    const added = parseScenario(T, "s.toml", { era: "pci", missing: ["sleep"] });
    expect(added.variant).toEqual({ era: "pci", missing: ["sleep"] });
    expect(added.expect.commands).toEqual([["cat", "x"]]);
  });
  it("{dev} without a NIC is an error naming the file", () => {
    const noNic = `nics = []\n${HEAD}[expect]\nstdout_contains = ["{dev} configured"]\n`;
    expect(parseScenario(noNic, "s.toml").expect.stdout_contains).toEqual(["eth0 configured"]);
    expect(() => parseScenario(noNic, "s.toml", { era: "pci" })).toThrow(
      /s\.toml:\d+: \{dev\} used, but the scenario has no NIC/,
    );
  });
});

function obs(over: Partial<Observation> = {}): Observation {
  return {
    scenario: "s",
    backend: "node",
    variant: { era: "eth0", missing: [] },
    status: 0,
    statuses: [0],
    stdout: "hello\n",
    stderr: "",
    files: { "/etc/net/dns": "1.1.1.1\n" },
    netcfg: { up: true, device: "eth0", addr: "10.0.2.15/24", routes: ["r1"], nameserver: "8.8.8.8", mac: "m", ifaces: { eth0: "10.0.2.15/24" } },
    commandLog: [{ argv: ["sleep", "1"], time: 0 }],
    timeline: [],
    firstAddrAt: 3,
    firstUsableAt: 4,
    log: "",
    simTime: 5,
    wallMs: 1,
    ...over,
  };
}

describe("expectations and differential", () => {
  it("passes when everything matches and reports every mismatch", () => {
    expect(checkExpectations(obs(), { status: 0, stdout: "hello\n", addr: "10.0.2.15/24", network_by: 3, finished_by: 5 })).toEqual([]);
    const bad = checkExpectations(obs(), {
      status: 1,
      stdout_contains: ["bye"],
      routes: ["r2"],
      network_by: 2,
      finished_by: 4,
      files: { "/etc/net/dns": "9.9.9.9\n", "/x": "" },
      files_absent: ["/etc/net/dns"],
      commands_exclude: ["sleep"],
      network_never: true,
    });
    expect(bad).toHaveLength(10);
  });
  it("checks named interfaces' addresses and a ceiling on processes", () => {
    expect(checkExpectations(obs(), { ifaces: { eth0: "10.0.2.15/24" }, processes_at_most: 1 })).toEqual([]);
    expect(checkExpectations(obs(), { ifaces: { eth0: "Not configured", lo: "127.0.0.1/8" }, processes_at_most: 0 })).toEqual([
      'ifaces/eth0/addr/list: expected "Not configured", got "10.0.2.15/24"',
      'ifaces/lo/addr/list: expected "127.0.0.1/8", got "(no such interface)"',
      'processes_at_most 0: 1 commands ran: ["sleep"]',
    ]);
  });
  it("always fails a run that wrote to the loopback interface", () => {
    const bad = checkExpectations(obs({ timeline: [{ time: 1.5, event: "lo-write", detail: "10.0.2.15/24" }] }), { status: 0 });
    expect(bad).toEqual(['the guest wrote to /scheme/netcfg/ifaces/lo at t=1.5 (lo now reads "10.0.2.15/24")']);
  });
  it("compares stdout, statuses, files, netcfg and command log", () => {
    expect(compareBackends(obs(), obs({ backend: "ion", stderr: "different stderr is fine" }))).toEqual([]);
    const d = compareBackends(
      obs(),
      obs({ backend: "ion", stdout: "x", files: {}, commandLog: [{ argv: ["sleep", "2"], time: 0 }], netcfg: { ...obs().netcfg, addr: "Not configured" } }),
    );
    expect(d.map((x) => x.split(" differs")[0])).toEqual(["stdout", "netcfg", "file /etc/net/dns", "command log from entry 0"]);
  });
});
