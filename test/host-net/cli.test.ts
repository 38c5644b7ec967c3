// The CLI's guards: bad names and addresses (shell metacharacters included)
// are refused before any command runs; without root, setup and teardown fail
// at once with a clear message and change nothing; concurrent setups of
// different VMs do not corrupt the state. The first group needs no root.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sweepStaleNetns } from "../../runtime-shims/netns/namespaces.ts";
import { commandsRun, dump, need, run, tsion, withLab, writeConfig } from "./support.ts";

afterAll(async () => {
  if (!need.skip) await sweepStaleNetns(process.pid);
});

const NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--"];

describe("refused before any command runs (no root needed)", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-host-net-cli-"));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const stateDir = path.join(scratch, "state");

  it.each([
    [["net", "setup", "web;reboot"], 2, "tsion: error: command line: vm name: 'web;reboot' is not a VM name"],
    [["net", "setup", "$(id)"], 2, "tsion: error: command line: vm name: '$(id)' is not a VM name"],
    [["net", "setup", "--owner", "root;id"], 2, "tsion: error: --owner 'root;id' is not a user"],
    [["net", "setup", "--netns", "x y"], 2, "tsion: error: --netns 'x y' is not a namespace name"],
    [["net", "setup", "--queues", "4;id"], 2, "tsion: error: command line: vms.default.queues: '4;id' is not a number of queue pairs from 1 to 64"],
    [["net", "setup", "--firewall", "ufw"], 2, "tsion: error: --firewall 'ufw' is not one of auto, nft, iptables"],
    [["net", "teardown", "--netns", "a`b`"], 2, "tsion: error: --netns 'a`b`' is not a namespace name"],
  ])("%j", async (args, status, message) => {
    const r = await tsion([...(args as string[]), "--state-dir", stateDir, "--verbose"]);
    expect(r.exitCode).toBe(status);
    expect(r.stderr).toContain(message);
    expect(commandsRun(r.stderr)).toEqual([]);
    expect(fs.existsSync(stateDir)).toBe(false);
  });

  it.each([
    [{ TAP_NAME: "tap0$(reboot)" }, "TAP_NAME (environment): vms.default.tap: 'tap0$(reboot)' is not a usable interface name"],
    [{ GUEST_IP: "172.16.0.2; rm -rf /" }, "GUEST_IP (environment): vms.default.ip: '172.16.0.2; rm -rf /' is not an IPv4 address"],
    [{ GUEST_MAC: "52:54:00:12:34:5|6" }, "GUEST_MAC (environment): vms.default.mac: '52:54:00:12:34:5|6' is not a MAC address"],
    [{ HOST_IP: "172.16.0.1/24`id`" }, "HOST_IP (environment): networks.default.host: '172.16.0.1/24`id`' is not an IPv4 address"],
  ])("environment %j", async (env, message) => {
    const r = await tsion(["net", "setup", "--state-dir", stateDir, "--verbose"], { env: env as Record<string, string> });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`tsion: error: ${message}`);
    expect(commandsRun(r.stderr)).toEqual([]);
    expect(fs.existsSync(stateDir)).toBe(false);
  });

  it("a configuration file: every bad field reported, one line each, nothing run", async () => {
    const file = path.join(scratch, "bad.toml");
    fs.writeFileSync(file, `[networks.lab]\ntopology = "bridge"\nsubnet = "10.0.0.0/24"\nbridge = "br0;id"\n[vms.w]\nnetwork = "lab"\nip = "10.0.0.255"\ntap = "t\\u0027x"\n`);
    const r = await tsion(["net", "setup", "w", "--config", file, "--state-dir", stateDir, "--verbose"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split("\n").filter((l) => l !== "")).toEqual([
      `tsion: error: ${file}: networks.lab.bridge: 'br0;id' is not a usable interface name (1 to 15 letters, digits, '-' or '_', starting with a letter or digit)`,
    ]);
    fs.writeFileSync(file, `[vms.w]\nip = "172.16.0.255"\ntap = "t'x"\nmac = "ff:ff:ff:ff:ff:ff"\n`);
    const r2 = await tsion(["net", "setup", "w", "--config", file, "--state-dir", stateDir, "--verbose"]);
    expect(r2.stderr.split("\n").filter((l) => l !== "")).toEqual([
      `tsion: error: ${file}: vms.w.ip: '172.16.0.255' is the broadcast address of 172.16.0.0/24`,
      `tsion: error: ${file}: vms.w.mac: 'ff:ff:ff:ff:ff:ff' is not a unicast MAC (bit 0 of the first octet must be clear)`,
      `tsion: error: ${file}: vms.w.tap: 't'x' is not a usable interface name (1 to 15 letters, digits, '-' or '_', starting with a letter or digit)`,
    ]);
    expect(fs.existsSync(stateDir)).toBe(false);
    const missing = await tsion(["net", "setup", "--config", path.join(scratch, "nope.toml"), "--state-dir", stateDir]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe(`tsion: error: cannot read ${path.join(scratch, "nope.toml")}: no such file or directory`);
  });

  it("net show --guest hands tsion pack the VM's guest configuration, and pack writes the same values", async () => {
    const config = path.join(scratch, "pack.toml");
    fs.writeFileSync(config, `[networks.lab]\ntopology = "bridge"\nsubnet = "10.77.0.0/24"\n[vms.web]\nnetwork = "lab"\ndns = "192.0.2.53"\n`);
    const show = await tsion(["net", "show", "web", "--json", "--config", config, "--state-dir", stateDir]);
    const [vm] = JSON.parse(show.stdout);
    const guest = await tsion(["net", "show", "web", "--guest", "--config", config, "--state-dir", stateDir]);
    expect(JSON.parse(guest.stdout)).toEqual(vm.guest);
    const guestFile = path.join(scratch, "web.json");
    fs.writeFileSync(guestFile, guest.stdout);
    const packed = await tsion(["pack", "--config", guestFile, "--format", "json"]);
    expect(packed.exitCode).toBe(0);
    const files = JSON.parse(packed.stdout) as Record<string, { content: string }>;
    expect(files["etc/net/cloud-hypervisor/ip"]!.content).toBe(`${vm.ip}\n`);
    expect(files["etc/net/cloud-hypervisor/gateway"]!.content).toBe("10.77.0.1\n");
    expect(files["etc/net/cloud-hypervisor/netmask"]!.content).toBe("255.255.255.0\n");
    expect(files["etc/net/dns"]!.content).toBe("192.0.2.53\n");
    expect(fs.existsSync(stateDir)).toBe(false);
  });

  it("dry run: no root needed, nothing created, the exact commands", async () => {
    const r = await tsion(["net", "setup", "--dry-run", "--owner", "1000", "--state-dir", stateDir], { as: process.getuid?.() === 0 ? NOBODY : [] });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split("\n")).toEqual(
      expect.arrayContaining([
        "ip route add unreachable 172.16.0.0/24",
        "nft -f - <<'EOF'",
        "ip tuntap add dev tap0 mode tap user 1000",
        "ip addr add 172.16.0.1/24 dev tap0 noprefixroute",
        "ip link set dev tap0 up",
        "ip route add 172.16.0.2/32 dev tap0",
        "sysctl -q -w net.ipv4.conf.tap0.proxy_arp=1",
      ]),
    );
    expect(fs.existsSync(stateDir)).toBe(false);
  });
});

describe.skipIf(need.skip)("without root (in a namespace, as uid 65534 with no capabilities)", () => {
  it.each([["setup"], ["teardown"], ["setup", "--dhcp"]])("net %s fails at once and changes nothing", async (...cmd) => {
    need.assert();
    await withLab(async (lab) => {
      const before = await dump(lab.ns);
      const r = await tsion(["net", ...cmd, "--state-dir", lab.stateDir, "--verbose"], { ns: lab.ns, as: NOBODY });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toBe(
        `tsion: error: tsion net ${cmd[0]} changes the host's network and needs root (CAP_NET_ADMIN); this process is uid 65534 without them. Run it with sudo; nothing was changed`,
      );
      expect(fs.existsSync(lab.stateDir)).toBe(false);
      expect(await dump(lab.ns)).toEqual(before);
      // With --netns it also names the capability to enter the namespace.
      const viaNetns = await tsion(["net", ...cmd, "--netns", lab.ns, "--state-dir", lab.stateDir], { as: NOBODY });
      expect(viaNetns.exitCode).toBe(1);
      expect(viaNetns.stderr).toContain("needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN (to enter the namespace))");
      expect(await dump(lab.ns)).toEqual(before);
    });
  }, 60_000);
});

describe.skipIf(need.skip)("concurrent setups of different VMs", () => {
  it("six processes at once: each VM set up once, unique addresses and MACs, a consistent state; concurrent teardowns leave nothing", async () => {
    need.assert();
    await withLab(async (lab) => {
      const vms = ["c1", "c2", "c3", "c4", "c5", "c6"];
      const config = writeConfig(lab, "net.toml", `[defaults]\nnetwork = "lab"\n[networks.lab]\ntopology = "bridge"\nsubnet = "10.61.0.0/24"\ndhcp = true\n`);
      const before = await dump(lab.ns);
      const common = ["--config", config, "--state-dir", lab.stateDir, "--netns", lab.ns, "--json"];
      const results = await Promise.all(vms.map((vm) => tsion(["net", "setup", vm, ...common])));
      for (const r of results) expect(r.stderr).toBe("");
      expect(results.map((r) => r.exitCode)).toEqual(vms.map(() => 0));
      const nets = results.map((r) => JSON.parse(r.stdout)[0]);
      expect(new Set(nets.map((n) => n.ip)).size).toBe(6);
      expect(new Set(nets.map((n) => n.mac)).size).toBe(6);
      const state = JSON.parse(fs.readFileSync(path.join(lab.stateDir, "state.json"), "utf8"));
      expect(Object.keys(state.vms).sort()).toEqual(vms);
      expect(Object.values(state.vms).every((v) => (v as { complete: boolean }).complete)).toBe(true);
      expect(Object.keys(state.networks)).toEqual(["lab"]);
      for (const n of nets) expect(state.allocations[n.vm]).toEqual({ network: "lab", ip: n.ip, mac: n.mac, tap: n.tap });
      const links = JSON.parse(await run("ip", ["-n", lab.ns, "-j", "link", "show"])) as { ifname: string; master?: string }[];
      expect(links.filter((l) => l.master === "tsbr-lab").map((l) => l.ifname).sort()).toEqual(vms.map((v) => `tap-${v}`));
      const hosts = fs.readFileSync(path.join(lab.stateDir, "dnsmasq", "net-lab", "hosts"), "utf8").trim().split("\n").sort();
      expect(hosts).toEqual(nets.map((n) => `${n.mac},${n.ip}`).sort());

      const downs = await Promise.all(vms.map((vm) => tsion(["net", "teardown", vm, "--state-dir", lab.stateDir, "--netns", lab.ns])));
      expect(downs.map((r) => [r.exitCode, r.stderr])).toEqual(vms.map(() => [0, ""]));
      expect(await dump(lab.ns)).toEqual(before);
      expect(JSON.parse(fs.readFileSync(path.join(lab.stateDir, "state.json"), "utf8"))).toMatchObject({ networks: {}, vms: {}, allocations: {} });
    });
  }, 120_000);
});
