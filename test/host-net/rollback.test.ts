// A failure injected at every step of setup (before the step, and after it
// succeeded) rolls the namespace back to exactly what it was, and leaves no
// record or allocation behind. A process killed half-way is cleaned up by
// the next operation. Needs root (docs/host-networking.md, "Tests").
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadNetworkModel } from "../../host/net/config.ts";
import { setupNetworking, teardownNetworking, type NetOptions } from "../../host/net/setup.ts";
import { sweepStaleNetns } from "../../runtime-shims/netns/namespaces.ts";
import { dump, need, tsion, withLab, withoutEmptyIptablesTables, writeConfig, type Lab } from "./support.ts";

afterAll(async () => {
  if (!need.skip) await sweepStaleNetns(process.pid);
});

interface Case {
  name: string;
  toml: string;
  vms: string[];
  firewall?: "nft" | "iptables";
}

const CASES: Case[] = [
  { name: "tap-nat shared with DHCP, two VMs", toml: `[networks.default]\ndhcp = true\n[vms.a]\n[vms.b]\n`, vms: ["a", "b"] },
  { name: "bridge with DHCP, two VMs", toml: `[defaults]\nnetwork = "br"\n[networks.br]\ntopology = "bridge"\nsubnet = "10.41.0.0/24"\ndhcp = true\n[vms.a]\n[vms.b]\n`, vms: ["a", "b"] },
  { name: "tap-nat routed", toml: `[defaults]\nnetwork = "r"\n[networks.r]\ntopology = "tap-nat"\nlayout = "routed"\nsubnet = "10.42.0.0/24"\n[vms.a]\n`, vms: ["a"] },
  { name: "tap-nat with the iptables fallback", toml: `[vms.a]\n`, vms: ["a"], firewall: "iptables" },
];

/** The kernel recomputes a bridge's carrier when a port leaves (a new bridge starts with one): derived, not set by tsion. */
function withoutBridgeCarrier(d: Record<string, unknown>): Record<string, unknown> {
  type L = { ifname: string; linkinfo?: { info_kind?: string }; flags: string[]; operstate?: string };
  const bridges = new Set((d.links as L[]).filter((l) => l.linkinfo?.info_kind === "bridge").map((l) => l.ifname));
  const strip = (l: L) => (bridges.has(l.ifname) ? { ...l, flags: l.flags.filter((f) => f !== "NO-CARRIER"), operstate: undefined } : l);
  type R = { dev?: string; flags?: string[] };
  const route = (r: R) => (r.dev && bridges.has(r.dev) ? { ...r, flags: (r.flags ?? []).filter((f) => f !== "linkdown") } : r);
  return { ...d, links: (d.links as L[]).map(strip), addrs: (d.addrs as L[]).map(strip), routes4: (d.routes4 as R[]).map(route), routes6: (d.routes6 as R[]).map(route) };
}

function recorded(lab: Lab): unknown {
  const file = path.join(lab.stateDir, "state.json");
  if (!fs.existsSync(file)) return { networks: {}, vms: {}, allocations: {} };
  const s = JSON.parse(fs.readFileSync(file, "utf8"));
  return { networks: s.networks, vms: s.vms, allocations: s.allocations, forwarding: s.forwarding };
}

describe.skipIf(need.skip)("rollback after a failure at each step", () => {
  it.each(CASES)("$name", async (c) => {
    need.assert();
    await withLab(async (lab) => {
      const config = writeConfig(lab, "net.toml", c.toml);
      const model = loadNetworkModel({ config, vms: c.vms, env: {} });
      const opts: NetOptions = { netns: lab.ns, stateDir: lab.stateDir, firewall: c.firewall ?? "nft" };
      const before = await dump(lab.ns);
      const same = c.firewall === "iptables" ? withoutEmptyIptablesTables : (d: Record<string, unknown>) => d;
      const steps: string[] = [];
      await setupNetworking(model, c.vms, { ...opts, onStep: (s) => steps.push(`${s.id}${s.vm ? `@${s.vm}` : ""}`) });
      await teardownNetworking({ all: true }, opts);
      expect(same(await dump(lab.ns))).toEqual(same(before));
      expect(steps.length).toBeGreaterThan(4);
      expect(steps[steps.length - 1]).toBe("commit");

      for (const step of steps) {
        for (const moment of ["", ":after"]) {
          const failAt = `${step}${moment}`;
          await expect(setupNetworking(model, c.vms, { ...opts, failAt }), failAt).rejects.toThrow(
            `setup failed: injected failure ${moment ? "after" : "before"} step ${step.split("@")[0]}`,
          );
          expect(same(await dump(lab.ns)), `namespace after a failure at ${failAt}`).toEqual(same(before));
          expect(recorded(lab), `state after a failure at ${failAt}`).toEqual({ networks: {}, vms: {}, allocations: {}, forwarding: undefined });
          expect(fs.existsSync(path.join(lab.stateDir, "dnsmasq")), `dnsmasq files after ${failAt}`).toBe(false);
        }
      }
    });
  }, 120_000);

  it("a failure while adding a VM to a network that is already up undoes only that VM", async () => {
    need.assert();
    await withLab(async (lab) => {
      const config = writeConfig(lab, "net.toml", `[defaults]\nnetwork = "br"\n[networks.br]\ntopology = "bridge"\nsubnet = "10.43.0.0/24"\ndhcp = true\n[vms.a]\n[vms.b]\n`);
      const model = loadNetworkModel({ config, vms: ["a", "b"], env: {} });
      const opts: NetOptions = { netns: lab.ns, stateDir: lab.stateDir };
      const before = await dump(lab.ns);
      await setupNetworking(model, ["a"], opts);
      const withA = await dump(lab.ns);
      const hostsFile = path.join(lab.stateDir, "dnsmasq", "net-br", "hosts");
      const hostsWithA = fs.readFileSync(hostsFile, "utf8");
      await expect(setupNetworking(model, ["b"], { ...opts, failAt: "dhcp.host@b:after" })).rejects.toThrow("everything this setup changed was undone");
      // The kernel recomputes a bridge's carrier when a port leaves (a new bridge starts with one): derived, not set by us.
      expect(withoutBridgeCarrier(await dump(lab.ns))).toEqual(withoutBridgeCarrier(withA));
      expect(fs.readFileSync(hostsFile, "utf8")).toBe(hostsWithA);
      await teardownNetworking({ all: true }, opts);
      expect(await dump(lab.ns)).toEqual(before);
    });
  }, 60_000);

  it("a setup killed half-way is undone by the next operation (after its lock goes stale)", async () => {
    need.assert();
    await withLab(async (lab) => {
      const before = await dump(lab.ns);
      const args = ["net", "setup", "--state-dir", lab.stateDir];
      const killed = await tsion(args, { ns: lab.ns, env: { TSION_NET_FAIL_AT: "tap.route:crash" } });
      expect(killed.exitCode).not.toBe(0);
      const status = await tsion(["net", "status", "--state-dir", lab.stateDir], { ns: lab.ns });
      expect(status.stdout).toContain("network default: tap-nat 172.16.0.0/24, NAT via nft (incomplete)");
      // The next setup waits for the dead holder's lock, undoes its leftovers, then sets up afresh.
      const again = await tsion([...args, "--verbose"], { ns: lab.ns });
      expect(again.exitCode).toBe(0);
      expect(again.stderr).toContain("+ ip link del dev tap0");
      expect(again.stdout).toContain("default: created");
      expect((await tsion(["net", "teardown", "--state-dir", lab.stateDir], { ns: lab.ns })).exitCode).toBe(0);
      expect(await dump(lab.ns)).toEqual(before);
    });
  }, 90_000);
});
