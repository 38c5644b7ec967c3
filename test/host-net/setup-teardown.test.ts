// net setup and teardown for real, inside throwaway namespaces: what setup
// creates (read back with ip -j and nft -j), a second setup changes nothing,
// teardown leaves the namespace exactly as it was (full dumps), and a second
// teardown is a no-op. Needs root (docs/host-networking.md, "Tests").
import * as fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { loadNetworkModel } from "../../host/net/config.ts";
import { setupNetworking, teardownNetworking } from "../../host/net/setup.ts";
import { sweepStaleNetns } from "../../runtime-shims/netns/namespaces.ts";
import { commandsRun, dump, inNs, need, run, tsion, withLab, writeConfig } from "./support.ts";

afterAll(async () => {
  if (!need.skip) await sweepStaleNetns(process.pid);
});

interface LinkJson {
  ifname: string;
  flags: string[];
  master?: string;
  linkinfo?: { info_kind: string; info_data?: { type?: string; multi_queue?: boolean; user?: string | number } };
  addr_info?: { family: string; local: string; prefixlen: number; noprefixroute?: boolean }[];
}

async function link(ns: string, name: string): Promise<LinkJson> {
  return (JSON.parse(await run("ip", ["-n", ns, "-j", "-d", "addr", "show", "dev", name])) as LinkJson[])[0]!;
}

async function routes(ns: string): Promise<{ dst: string; dev?: string; type?: string }[]> {
  return JSON.parse(await run("ip", ["-n", ns, "-j", "-4", "route", "show"]));
}

async function nftTables(ns: string): Promise<{ nftables: Record<string, Record<string, unknown>>[] }> {
  return JSON.parse(await inNs(ns, "nft", ["-j", "list", "ruleset"]));
}

async function sysctl(ns: string, key: string): Promise<string> {
  return (await inNs(ns, "sysctl", ["-n", key])).trim();
}

describe.skipIf(need.skip)("tsion net setup/teardown in a namespace (the CLI as a user runs it)", () => {
  it("default VM: TAP owned by the user, host address, guest route, NAT table, forwarding; idempotent both ways", async () => {
    need.assert();
    await withLab(async ({ ns, stateDir }) => {
      const before = await dump(ns);
      const args = ["--state-dir", stateDir, "--owner", "4321"];

      const first = await tsion(["net", "setup", ...args, "--verbose"], { ns });
      expect(first.stderr.split("\n").filter((l) => l.startsWith("tsion:"))).toEqual([]);
      expect(first.exitCode).toBe(0);
      expect(first.stdout).toContain("default: created  tap0  mac 52:54:00:12:34:56  guest 172.16.0.2/24 gateway 172.16.0.1  mode static");

      // Read back what exists now.
      const tap = await link(ns, "tap0");
      expect(tap.linkinfo).toMatchObject({ info_kind: "tun", info_data: { type: "tap", multi_queue: false, user: 4321 } });
      expect(tap.flags).toContain("UP");
      expect(tap.addr_info!.filter((a) => a.family === "inet")).toEqual([expect.objectContaining({ local: "172.16.0.1", prefixlen: 24, noprefixroute: true })]);
      expect(await routes(ns)).toEqual(
        expect.arrayContaining([expect.objectContaining({ dst: "172.16.0.2", dev: "tap0" }), expect.objectContaining({ type: "unreachable", dst: "172.16.0.0/24" })]),
      );
      const ruleset = (await nftTables(ns)).nftables;
      expect(ruleset.filter((o) => o.table).map((o) => o.table)).toEqual([expect.objectContaining({ family: "inet", name: "tsion-default" })]);
      const masquerade = ruleset.find((o) => o.rule && JSON.stringify(o.rule).includes('"masquerade"'));
      expect(JSON.stringify(masquerade)).toContain('{"prefix":{"addr":"172.16.0.0","len":24}}');
      expect(ruleset.filter((o) => o.chain).map((o) => [o.chain!.name, o.chain!.hook, o.chain!.policy])).toEqual([
        ["forward", "forward", "accept"],
        ["postrouting", "postrouting", "accept"],
      ]);
      expect(await sysctl(ns, "net.ipv4.ip_forward")).toBe("1");
      expect(await sysctl(ns, "net.ipv4.conf.tap0.proxy_arp")).toBe("1");
      const state = JSON.parse(fs.readFileSync(`${stateDir}/state.json`, "utf8"));
      expect(state.forwarding).toEqual({ previous: "0", holders: ["default"] });
      expect(state.allocations.default).toEqual({ network: "default", ip: "172.16.0.2", mac: "52:54:00:12:34:56", tap: "tap0" });

      // A second setup changes nothing and runs only the two read-only probes.
      const afterSetup = await dump(ns);
      const again = await tsion(["net", "setup", ...args, "--verbose"], { ns });
      expect(again.exitCode).toBe(0);
      expect(again.stdout).toContain("default: unchanged");
      expect(commandsRun(again.stderr)).toEqual(["+ ip -j -d addr show", "+ ip -j -4 route show table all"]);
      expect(await dump(ns)).toEqual(afterSetup);

      // Teardown restores the namespace exactly, forwarding included.
      const down = await tsion(["net", "teardown", "--state-dir", stateDir, "--verbose"], { ns });
      expect(down.exitCode).toBe(0);
      expect(down.stdout).toBe("default: torn down\nnetwork default: torn down");
      expect(commandsRun(down.stderr)).toEqual([
        "+ ip link del dev tap0",
        "+ sysctl -q -w net.ipv4.ip_forward=0",
        "+ nft delete table inet tsion-default",
        "+ ip route del unreachable 172.16.0.0/24",
      ]);
      expect(await dump(ns)).toEqual(before);

      // A second teardown is a no-op.
      const downAgain = await tsion(["net", "teardown", "--state-dir", stateDir, "--verbose"], { ns });
      expect(downAgain.exitCode).toBe(0);
      expect(downAgain.stdout).toBe("default: not set up, nothing to do");
      expect(commandsRun(downAgain.stderr)).toEqual([]);
      expect(await dump(ns)).toEqual(before);
    });
  }, 60_000);

  it("--dry-run prints exactly the commands a real setup then runs", async () => {
    need.assert();
    await withLab(async ({ ns, stateDir }) => {
      const args = ["--state-dir", stateDir, "--owner", "1000", "--queues", "4", "--dhcp"];
      const before = await dump(ns);
      const dry = await tsion(["net", "setup", ...args, "--dry-run"], { ns });
      expect(dry.exitCode).toBe(0);
      expect(await dump(ns)).toEqual(before);
      expect(fs.existsSync(stateDir)).toBe(false);
      const real = await tsion(["net", "setup", ...args, "--verbose"], { ns });
      expect(real.exitCode).toBe(0);
      // The dry run's command lines (notes start with #; a trailing "# ..." explains a condition).
      const planned = dry.stdout
        .replace(/<<'EOF'\n[\s\S]*?\nEOF/g, "<<'EOF'")
        .split("\n")
        .filter((l) => l !== "" && !l.startsWith("#"))
        .map((l) => l.replace(/\s+# .*$/, ""));
      const ran = commandsRun(real.stderr).map((l) => l.slice(2)).filter((l) => !l.startsWith("ip -j "));
      expect(ran).toEqual(planned);
      expect(planned).toContain("ip tuntap add dev tap0 mode tap user 1000 multi_queue");
      expect(planned.find((l) => l.startsWith("dnsmasq "))).toContain(`--dhcp-hostsfile=${stateDir}/dnsmasq/vm-default/hosts`);
      expect((await link(ns, "tap0")).linkinfo?.info_data?.multi_queue).toBe(true);
      expect((await tsion(["net", "teardown", "--state-dir", stateDir], { ns })).exitCode).toBe(0);
      expect(await dump(ns)).toEqual(before);
    });
  }, 60_000);
});

describe.skipIf(need.skip)("the API with --netns: bridge, routed, vsock, several networks", () => {
  it("bridge: one bridge, a TAP per VM enslaved to it; the network goes with its last VM", async () => {
    need.assert();
    await withLab(async ({ ns, stateDir, dir }) => {
      const config = writeConfig(
        { ns, stateDir, dir },
        "net.toml",
        `[defaults]\nnetwork = "lab"\n[networks.lab]\ntopology = "bridge"\nsubnet = "10.31.0.0/24"\n[vms.a]\n[vms.b]\nqueues = 2\n`,
      );
      const opts = { netns: ns, stateDir, owner: "1000" };
      const before = await dump(ns);
      const model = loadNetworkModel({ config, vms: ["a", "b"], env: {} });
      const up = await setupNetworking(model, ["a", "b"], opts);
      expect(up.vms.map((v) => [v.vm, v.tap, v.bridge, v.gateway, v.prefix, v.status])).toEqual([
        ["a", "tap-a", "tsbr-lab", "10.31.0.1", 24, "created"],
        ["b", "tap-b", "tsbr-lab", "10.31.0.1", 24, "created"],
      ]);
      const br = await link(ns, "tsbr-lab");
      expect(br.linkinfo?.info_kind).toBe("bridge");
      expect(br.addr_info!.filter((x) => x.family === "inet").map((x) => `${x.local}/${x.prefixlen}`)).toEqual(["10.31.0.1/24"]);
      expect((await link(ns, "tap-a")).master).toBe("tsbr-lab");
      expect((await link(ns, "tap-b")).linkinfo?.info_data?.multi_queue).toBe(true);
      expect((await nftTables(ns)).nftables.some((o) => o.table?.name === "tsion-lab")).toBe(true);

      // One VM leaves: the bridge, the table and forwarding stay for the other.
      await teardownNetworking({ vms: ["a"] }, opts);
      expect(JSON.parse(await run("ip", ["-n", ns, "-j", "link", "show"])).map((l: { ifname: string }) => l.ifname).sort()).toEqual(["lo", "tap-b", "tsbr-lab"]);
      expect(await sysctl(ns, "net.ipv4.ip_forward")).toBe("1");
      await teardownNetworking({ vms: ["b"] }, opts);
      expect(await dump(ns)).toEqual(before);
    });
  }, 60_000);

  it("routed: each TAP holds the first address of its VM's own block", async () => {
    need.assert();
    await withLab(async (lab) => {
      const config = writeConfig(lab, "net.toml", `[defaults]\nnetwork = "r"\n[networks.r]\ntopology = "tap-nat"\nlayout = "routed"\nsubnet = "10.32.0.0/24"\n`);
      const opts = { netns: lab.ns, stateDir: lab.stateDir };
      const before = await dump(lab.ns);
      const model = loadNetworkModel({ config, vms: ["x", "y"], env: {} });
      const up = await setupNetworking(model, ["x", "y"], opts);
      for (const v of up.vms) {
        expect(v.prefix).toBe(30);
        const tap = await link(lab.ns, v.tap!);
        expect(tap.addr_info!.filter((a) => a.family === "inet").map((a) => `${a.local}/${a.prefixlen}`)).toEqual([`${v.gateway}/30`]);
        expect(v.guest.static).toEqual({ ip: v.ip, netmask: "255.255.255.252", gateway: v.gateway, dns: [] });
      }
      await teardownNetworking({ network: "r" }, opts);
      expect(await dump(lab.ns)).toEqual(before);
    });
  }, 60_000);

  it("forwarding already on stays on; two networks share it and the last one restores the value", async () => {
    need.assert();
    await withLab(async (lab) => {
      const config = writeConfig(
        lab,
        "net.toml",
        `[networks.one]\ntopology = "tap-nat"\nsubnet = "10.33.1.0/24"\n[networks.two]\ntopology = "bridge"\nsubnet = "10.33.2.0/24"\n[vms.p]\nnetwork = "one"\n[vms.q]\nnetwork = "two"\n`,
      );
      const opts = { netns: lab.ns, stateDir: lab.stateDir };
      const model = loadNetworkModel({ config, vms: ["p", "q"], env: {} });
      const before = await dump(lab.ns);
      await setupNetworking(model, ["p"], opts);
      await setupNetworking(model, ["q"], opts);
      await teardownNetworking({ vms: ["p"] }, opts);
      expect(await sysctl(lab.ns, "net.ipv4.ip_forward")).toBe("1"); // network two still needs it
      await teardownNetworking({ vms: ["q"] }, opts);
      expect(await dump(lab.ns)).toEqual(before);

      await inNs(lab.ns, "sysctl", ["-q", "-w", "net.ipv4.ip_forward=1"]);
      const on = await dump(lab.ns);
      await setupNetworking(model, ["p", "q"], opts);
      await teardownNetworking({ all: true }, opts);
      expect(await dump(lab.ns)).toEqual(on);
      expect(await sysctl(lab.ns, "net.ipv4.ip_forward")).toBe("1");
    });
  }, 60_000);

  it("vsock: a CID per VM and no change to the host network", async () => {
    need.assert();
    await withLab(async (lab) => {
      const config = writeConfig(lab, "net.toml", `[defaults]\nnetwork = "v"\n[networks.v]\ntopology = "vsock"\n[vms.c1]\ncid = 42\n[vms.c2]\n`);
      const opts = { netns: lab.ns, stateDir: lab.stateDir };
      const before = await dump(lab.ns);
      const up = await setupNetworking(loadNetworkModel({ config, vms: ["c1", "c2"], env: {} }), ["c1", "c2"], opts);
      expect(up.vms[0]).toMatchObject({ vm: "c1", cid: 42, guest: { mode: "none" } });
      expect(up.vms[1]!.cid).toBeGreaterThanOrEqual(3);
      expect(await dump(lab.ns)).toEqual(before);
      await teardownNetworking({ all: true }, opts);
      expect(JSON.parse(fs.readFileSync(`${lab.stateDir}/state.json`, "utf8")).allocations).toEqual({});
    });
  }, 60_000);

  it("refuses a TAP name, an address or a subnet that is already taken, before changing anything", async () => {
    need.assert();
    await withLab(async (lab) => {
      // (veth pairs: this kernel may lack the dummy driver)
      await run("ip", ["-n", lab.ns, "link", "add", "tap0", "type", "veth", "peer", "name", "tap0-peer"]);
      await run("ip", ["-n", lab.ns, "link", "add", "other", "type", "veth", "peer", "name", "other-peer"]);
      await run("ip", ["-n", lab.ns, "addr", "add", "172.16.0.2/32", "dev", "other"]);
      await run("ip", ["-n", lab.ns, "link", "set", "other", "up"]);
      await run("ip", ["-n", lab.ns, "route", "add", "172.16.0.0/16", "dev", "other"]);
      const before = await dump(lab.ns);
      const r = await tsion(["net", "setup", "--state-dir", lab.stateDir, "--verbose"], { ns: lab.ns });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain("tsion: error: tap0 (the TAP of VM default) already exists as a veth device tsion did not create");
      expect(r.stderr).toContain("tsion: error: 172.16.0.2 (the address of VM default) is an address of this host (on other)");
      expect(r.stderr).toContain("tsion: error: 172.16.0.0/24 (network default) overlaps the route 172.16.0.0/16 dev other; choose another subnet");
      expect(r.stderr).toContain("tsion: error: nothing was changed");
      expect(commandsRun(r.stderr)).toEqual(["+ ip -j -d addr show", "+ ip -j -4 route show table all"]);
      expect(await dump(lab.ns)).toEqual(before);
      expect(fs.existsSync(`${lab.stateDir}/state.json`)).toBe(false);
    });
  }, 60_000);

  it("refuses a state directory other users could write (its records say what root deletes)", async () => {
    need.assert();
    await withLab(async (lab) => {
      fs.mkdirSync(lab.stateDir, { mode: 0o777 });
      fs.chmodSync(lab.stateDir, 0o777);
      const before = await dump(lab.ns);
      const r = await tsion(["net", "setup", "--state-dir", lab.stateDir, "--verbose"], { ns: lab.ns });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toBe(
        `tsion: error: refusing the state directory ${lab.stateDir}: ${lab.stateDir} is writable by other users (mode 777); its records tell tsion what to delete, so only root may be able to change them`,
      );
      expect(await dump(lab.ns)).toEqual(before);
    });
  }, 60_000);
});
