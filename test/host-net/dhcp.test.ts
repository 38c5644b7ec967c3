// --dhcp for real: dnsmasq on the bridge leases each VM's allocated address
// to a DHCP client (busybox udhcpc) in a second namespace, plugged into the
// bridge where the VM's TAP would be and using the VM's MAC. The lease is
// the guest configuration the model gives tsion pack. dnsmasq serves DHCP
// only (no DNS port) and only on its interface. Needs root.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadNetworkModel } from "../../host/net/config.ts";
import { daemonPid } from "../../host/net/dnsmasq.ts";
import { setupNetworking, teardownNetworking } from "../../host/net/setup.ts";
import { addNetns, addVethPair, deleteNetns, netnsName, sweepStaleNetns } from "../../runtime-shims/netns/namespaces.ts";
import { requestLease } from "../../runtime-shims/netns/udhcpc.ts";
import { dump, inNs, need, run, withLab, writeConfig } from "./support.ts";

afterAll(async () => {
  if (!need.skip) await sweepStaleNetns(process.pid);
});

/** UDP sockets dnsmasq listens on in the namespace (`ss -H -lnup`). */
async function udpListeners(ns: string): Promise<string[]> {
  return (await inNs(ns, "ss", ["-H", "-l", "-n", "-u", "-p"])).split("\n").filter((l) => l.includes("dnsmasq"));
}

/**
 * A DHCP client namespace plugged into the lab's bridge `tsbr-lab` (where a
 * VM's TAP would be) through a veth pair: `fn` gets its namespace and a scratch
 * directory for udhcpc; both are removed afterwards.
 */
async function withBridgeClient(labNs: string, fn: (client: string, scratch: string) => Promise<void>): Promise<void> {
  const client = netnsName("hcli");
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-host-net-cli-"));
  try {
    await addNetns(client);
    await addVethPair(labNs, "vport0", client, "guest0");
    await run("ip", ["-n", labNs, "link", "set", "dev", "vport0", "master", "tsbr-lab", "up"]);
    await fn(client, scratch);
  } finally {
    await deleteNetns(client);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

describe.skipIf(need.skip)("DHCP with dnsmasq, for real", () => {
  it("a client with a VM's MAC, plugged into the bridge, is leased that VM's address, gateway and DNS", async () => {
    need.assert();
    await withLab(async (lab) => {
      const config = writeConfig(
        lab,
        "net.toml",
        `[defaults]\nnetwork = "lab"\ndns = "192.0.2.53"\n[networks.lab]\ntopology = "bridge"\nsubnet = "10.51.0.0/24"\ndhcp = true\n[vms.alpha]\n[vms.beta]\n`,
      );
      const opts = { netns: lab.ns, stateDir: lab.stateDir };
      const model = loadNetworkModel({ config, vms: ["alpha", "beta"], env: {} });
      const before = await dump(lab.ns);
      const { vms } = await setupNetworking(model, ["alpha", "beta"], opts);
      const [alpha, beta] = vms;
      const dnsmasqDir = path.join(lab.stateDir, "dnsmasq", "net-lab");
      const pid = daemonPid(dnsmasqDir);
      expect(pid).not.toBeNull();
      expect(fs.readFileSync(path.join(dnsmasqDir, "hosts"), "utf8")).toBe(`${alpha!.mac},${alpha!.ip}\n${beta!.mac},${beta!.ip}\n`);

      // DHCP only, on the bridge only: port 67 bound to tsbr-lab, no DNS port.
      const sockets = await udpListeners(lab.ns);
      expect(sockets.length).toBeGreaterThan(0);
      expect(sockets.every((l) => /%tsbr-lab:67\s/.test(l) || /:67\s/.test(l))).toBe(true);
      expect(sockets.some((l) => /:53\s/.test(l))).toBe(false);
      expect(fs.readFileSync(path.join(dnsmasqDir, "log"), "utf8")).toContain("DHCP, sockets bound exclusively to interface tsbr-lab");

      await withBridgeClient(lab.ns, async (client, scratch) => {
        for (const vm of [alpha!, beta!]) {
          await run("ip", ["-n", client, "link", "set", "dev", "guest0", "down"]);
          await run("ip", ["-n", client, "link", "set", "dev", "guest0", "address", vm.mac!, "up"]);
          const lease = await requestLease({ netns: client, iface: "guest0", dir: scratch, tries: 6 });
          expect(lease).toEqual({ ip: vm.ip, prefix: 24, subnet: "255.255.255.0", router: "10.51.0.1", dns: "192.0.2.53" });
          // The same values the guest is told in auto mode (its static fallback).
          expect(vm.guest.mode).toBe("auto");
          expect(vm.guest.static).toEqual({ ip: lease.ip, netmask: lease.subnet, gateway: lease.router, dns: [lease.dns] });
        }
        // Static leases only: a MAC tsion did not allocate gets nothing.
        await run("ip", ["-n", client, "link", "set", "dev", "guest0", "down"]);
        await run("ip", ["-n", client, "link", "set", "dev", "guest0", "address", "02:de:ad:be:ef:01", "up"]);
        await expect(requestLease({ netns: client, iface: "guest0", dir: scratch, tries: 2 })).rejects.toThrow(/udhcpc got no lease/);
        await run("ip", ["-n", lab.ns, "link", "del", "dev", "vport0"]);
      });

      // Removing one VM takes its lease line away and dnsmasq re-reads it.
      await teardownNetworking({ vms: ["alpha"] }, opts);
      expect(fs.readFileSync(path.join(dnsmasqDir, "hosts"), "utf8")).toBe(`${beta!.mac},${beta!.ip}\n`);
      expect(daemonPid(dnsmasqDir)).toBe(pid);
      await teardownNetworking({ vms: ["beta"] }, opts);
      expect(fs.existsSync(`/proc/${pid}`) && !fs.readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ")).toBe(false);
      expect(fs.existsSync(path.join(lab.stateDir, "dnsmasq"))).toBe(false);
      expect(await dump(lab.ns)).toEqual(before);
    });
  }, 90_000);

  it("without a configured DNS server the lease carries none (dnsmasq serves no DNS, so it must not offer itself)", async () => {
    need.assert();
    await withLab(async (lab) => {
      const config = writeConfig(lab, "net.toml", `[defaults]\nnetwork = "lab"\n[networks.lab]\ntopology = "bridge"\nsubnet = "10.52.0.0/24"\ndhcp = true\n[vms.solo]\n`);
      const opts = { netns: lab.ns, stateDir: lab.stateDir };
      const [v] = (await setupNetworking(loadNetworkModel({ config, vms: ["solo"], env: {} }), ["solo"], opts)).vms;
      await withBridgeClient(lab.ns, async (client, scratch) => {
        await run("ip", ["-n", client, "link", "set", "dev", "guest0", "address", v!.mac!, "up"]);
        const lease = await requestLease({ netns: client, iface: "guest0", dir: scratch, tries: 6 });
        expect(lease).toEqual({ ip: v!.ip, prefix: 24, subnet: "255.255.255.0", router: "10.52.0.1", dns: "" });
        expect(v!.guest.static!.dns).toEqual([]);
      });
      await teardownNetworking({ all: true }, opts);
    });
  }, 60_000);

  it("tap-nat with --dhcp: one dnsmasq per TAP, bound to it alone, with the VM's static lease", async () => {
    need.assert();
    await withLab(async (lab) => {
      const opts = { netns: lab.ns, stateDir: lab.stateDir };
      const model = loadNetworkModel({ vms: ["default"], dhcp: true, env: {} });
      const before = await dump(lab.ns);
      const [v] = (await setupNetworking(model, ["default"], opts)).vms;
      expect(v!.guest).toEqual({ mode: "auto", label: "cloud-hypervisor", init: "current", static: { ip: "172.16.0.2", netmask: "255.255.255.0", gateway: "172.16.0.1", dns: [] } });
      const dir = path.join(lab.stateDir, "dnsmasq", "vm-default");
      expect(fs.readFileSync(path.join(dir, "hosts"), "utf8")).toBe("52:54:00:12:34:56,172.16.0.2\n");
      const log = fs.readFileSync(path.join(dir, "log"), "utf8");
      expect(log).toContain("DHCP, static leases only on 172.16.0.0, lease time 1h");
      expect(log).toContain("DHCP, sockets bound exclusively to interface tap0");
      expect((await udpListeners(lab.ns)).some((l) => /:53\s/.test(l))).toBe(false);
      await teardownNetworking({}, opts);
      expect(await dump(lab.ns)).toEqual(before);
    });
  }, 60_000);
});
