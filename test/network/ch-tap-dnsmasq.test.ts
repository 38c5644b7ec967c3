// ch-tap-with-dhcp against a REAL DHCP server: dnsmasq in a network namespace
// leases 172.16.0.2/24 via 172.16.0.1 to busybox udhcpc in another namespace;
// that lease replaces the scenario's simulated [dhcp] values, and the scenario
// runs on both backends, in both interface naming eras (eth0; lo plus a
// PCI-named interface). Needs root, ip, dnsmasq and udhcpc (docs/network-tests.md).
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { obtainRealLease, type LabRecord } from "../../runtime-shims/netns/dhcp-lab.ts";
import { sweepStaleNetns } from "../../runtime-shims/netns/namespaces.ts";
import type { Lease } from "../../runtime-shims/netns/udhcpc.ts";
import {
  BackendUnavailable,
  assertScenario,
  compareBackends,
  loadIonBackend,
  runScenario,
  type Observation,
} from "../../runtime-shims/mock/scenario-runner.ts";
import { ERAS, loadScenario, REPO_ROOT, type Scenario } from "../../runtime-shims/mock/scenario.ts";
import { CI, expectNothingLeft, requireLab, skipLab } from "./lab-support.ts";

const SCENARIO = path.join(REPO_ROOT, "test/scenarios/ch-tap-with-dhcp.toml");

/** The scenario with its simulated DHCP server handing out `lease` instead of the TOML's values. */
function withLease(sc: Scenario, lease: Lease): Scenario {
  if (!sc.mock.dhcp) throw new Error(`${sc.file} has no [dhcp] table to replace`);
  return {
    ...sc,
    file: `${sc.file} (real lease from dnsmasq)`,
    mock: {
      ...sc.mock,
      dhcp: { ...sc.mock.dhcp, ip: lease.ip, prefix: lease.prefix, gateway: lease.router, dns: lease.dns },
    },
  };
}

const ionUnavailable: Promise<string | null> = loadIonBackend().then(
  () => null,
  (e) => (e instanceof BackendUnavailable ? e.message : `ion backend failed to load: ${(e as Error).message}`),
);

// Backstop for a test that timed out mid-lab: its finally may not have run yet.
afterAll(async () => {
  if (!skipLab) await sweepStaleNetns(process.pid);
});

describe.skipIf(skipLab)("ch-tap-with-dhcp with a lease from a real dnsmasq", () => {
  let lease: Lease | undefined;
  const runs = new Map<string, Observation>();
  const needLease = (): Lease => {
    if (!lease) throw new Error("no real lease (the lease test failed)");
    return lease;
  };

  it("dnsmasq in a namespace leases 172.16.0.2/24 via 172.16.0.1 (dns 172.16.0.1), and nothing is left behind", async () => {
    requireLab();
    const rec: LabRecord = { teardown: [] };
    const got = await obtainRealLease({}, rec);
    expect(got).toEqual({ ip: "172.16.0.2", prefix: 24, subnet: "255.255.255.0", router: "172.16.0.1", dns: "172.16.0.1" });
    await expectNothingLeft(rec);
    lease = got;
  }, 30_000);

  for (const era of ERAS) {
    const device = era === "eth0" ? "eth0" : "pci-0000-00-04.0_virtio_net";

    it(`[${era}] node backend: the scenario's expectations hold with the real lease, on ${device}`, async () => {
      const sc = withLease(loadScenario(SCENARIO, { era }), needLease());
      const obs = await runScenario(sc, "node");
      runs.set(`node ${era}`, obs);
      assertScenario(obs, sc.expect);
      expect(obs.netcfg.device).toBe(device);
      expect(obs.netcfg.addr).toBe(`${needLease().ip}/${needLease().prefix}`);
      expect(obs.netcfg.addr).toBe("172.16.0.2/24");
      expect(obs.netcfg.routes).toContain(`default via 172.16.0.1 dev ${device} src 172.16.0.2`);
    }, 30_000);

    it(`[${era}] ion backend: the scenario's expectations hold with the real lease, on ${device}`, async (ctx) => {
      const why = await ionUnavailable;
      if (why) {
        if (CI) throw new Error(why);
        ctx.skip(why);
      }
      const sc = withLease(loadScenario(SCENARIO, { era }), needLease());
      const obs = await runScenario(sc, "ion");
      runs.set(`ion ${era}`, obs);
      assertScenario(obs, sc.expect);
      expect(obs.netcfg.device).toBe(device);
      expect(obs.netcfg.addr).toBe("172.16.0.2/24");
      expect(obs.netcfg.routes).toContain(`default via 172.16.0.1 dev ${device} src 172.16.0.2`);
    }, 30_000);

    it(`[${era}] node and ion backends agree`, async (ctx) => {
      const why = await ionUnavailable;
      if (why) {
        if (CI) throw new Error(why);
        ctx.skip(why);
      }
      const node = runs.get(`node ${era}`);
      const ion = runs.get(`ion ${era}`);
      if (!node || !ion) throw new Error("a backend run failed above");
      expect(compareBackends(node, ion)).toEqual([]);
    });
  }
});
