// net doctor, run for real against namespaces set up to show each problem:
// Docker's FORWARD policy drop, iptables-legacy next to nftables, taken TAP
// names, addresses and subnets, ip_forward reset behind tsion's back, missing
// hypervisors, /dev/kvm and DHCP files dnsmasq cannot reach. Doctor itself
// changes nothing. Needs root (docs/host-networking.md, "Tests").
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadNetworkModel } from "../../host/net/config.ts";
import { runDoctor, type DoctorOptions, type DoctorReport } from "../../host/net/doctor.ts";
import { setupNetworking, teardownNetworking } from "../../host/net/setup.ts";
import { sweepStaleNetns } from "../../runtime-shims/netns/namespaces.ts";
import { dump, inNs, need, run, tsion, withLab, writeConfig, type Lab } from "./support.ts";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-host-net-doctor-"));
/** A PATH with a stand-in cloud-hypervisor (the real machine may or may not have one). */
const binDir = path.join(scratch, "bin");
const emptyDir = path.join(scratch, "empty");

beforeAll(() => {
  fs.mkdirSync(binDir);
  fs.mkdirSync(emptyDir);
  fs.writeFileSync(path.join(binDir, "cloud-hypervisor"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
});
afterAll(async () => {
  fs.rmSync(scratch, { recursive: true, force: true });
  if (!need.skip) await sweepStaleNetns(process.pid);
});

function status(r: DoctorReport): Record<string, string> {
  return Object.fromEntries(r.checks.map((c) => [c.id, c.status]));
}

function check(r: DoctorReport, id: string) {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${JSON.stringify(r.checks.map((x) => x.id))}`);
  return c;
}

function options(lab: Lab, more: DoctorOptions = {}): DoctorOptions {
  return { netns: lab.ns, stateDir: lab.stateDir, path: binDir, devices: { kvm: "/dev/null" }, ...more };
}

const defaultModel = () => loadNetworkModel({ vms: ["default"], env: {} });

describe.skipIf(need.skip)("net doctor", () => {
  it("a clean namespace: every check passes, and doctor changes nothing", async () => {
    need.assert();
    await withLab(async (lab) => {
      const before = await dump(lab.ns);
      const r = await runDoctor(defaultModel(), [], options(lab));
      expect(status(r)).toEqual({
        tun: "ok",
        privileges: "ok",
        firewall: "ok",
        "firewall-mix": "ok",
        "forward-policy": "ok",
        "ip-forward": "ok",
        interfaces: "ok",
        addresses: "ok",
        subnets: "ok",
        hypervisor: "ok",
        kvm: "ok",
      });
      expect(r.ok).toBe(true);
      expect(check(r, "hypervisor").message).toBe("found cloud-hypervisor");
      expect(check(r, "ip-forward").message).toBe("net.ipv4.ip_forward is 0: setup turns it on and teardown puts 0 back");
      expect(await dump(lab.ns)).toEqual(before);
      expect(fs.existsSync(lab.stateDir)).toBe(false);
    });
  }, 60_000);

  it("Docker's FORWARD policy drop blocks a run; accepting the subnet in that table clears it", async () => {
    need.assert();
    await withLab(async (lab) => {
      // What Docker leaves with the iptables-nft backend: table ip filter, FORWARD policy drop, a DOCKER-USER chain.
      await inNs(lab.ns, "iptables", ["-P", "FORWARD", "DROP"]);
      await inNs(lab.ns, "iptables", ["-N", "DOCKER-USER"]);
      await inNs(lab.ns, "iptables", ["-I", "FORWARD", "-j", "DOCKER-USER"]);
      const r = await runDoctor(defaultModel(), [], options(lab));
      const c = check(r, "forward-policy");
      expect(c.status).toBe("fail");
      expect(c.message).toContain("forwarded traffic is dropped by the policy of ip filter FORWARD (Docker sets this)");
      expect(c.hint).toBe(
        "let the VMs through Docker's user chain: iptables -I DOCKER-USER -s 172.16.0.0/24 -j ACCEPT; iptables -I DOCKER-USER -d 172.16.0.0/24 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
      );
      expect(r.ok).toBe(false);
      // Following the hint clears the failure.
      await inNs(lab.ns, "iptables", ["-I", "DOCKER-USER", "-s", "172.16.0.0/24", "-j", "ACCEPT"]);
      await inNs(lab.ns, "iptables", ["-I", "DOCKER-USER", "-d", "172.16.0.0/24", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"]);
      const after = await runDoctor(defaultModel(), [], options(lab));
      expect(check(after, "forward-policy").status).toBe("ok");
      expect(after.ok).toBe(true);
    });
  }, 60_000);

  it("a drop policy without Docker: the hint names the chain; iptables-legacy's policy counts too", async () => {
    need.assert();
    await withLab(async (lab) => {
      await inNs(lab.ns, "nft", ["-f", "-"], { input: "table inet fw {\n chain gate { type filter hook forward priority 0; policy drop; }\n}\n" });
      const r = await runDoctor(defaultModel(), [], options(lab));
      expect(check(r, "forward-policy").hint).toBe(
        "accept the VMs' traffic in that chain, e.g. nft insert rule inet fw gate ip saddr 172.16.0.0/24 accept; nft insert rule inet fw gate ip daddr 172.16.0.0/24 ct state established,related accept",
      );
      await inNs(lab.ns, "nft", ["delete", "table", "inet", "fw"]);
      await inNs(lab.ns, "iptables-legacy", ["-P", "FORWARD", "DROP"]);
      const legacy = await runDoctor(defaultModel(), [], options(lab));
      expect(check(legacy, "forward-policy").message).toContain("dropped by the policy of iptables-legacy filter FORWARD");
    });
  }, 60_000);

  it("iptables-legacy rules next to nftables rules: a warning, not a blocker", async () => {
    need.assert();
    await withLab(async (lab) => {
      await inNs(lab.ns, "iptables-legacy", ["-A", "INPUT", "-p", "tcp", "--dport", "22", "-j", "ACCEPT"]);
      await inNs(lab.ns, "nft", ["add", "table", "inet", "mine"]);
      const r = await runDoctor(defaultModel(), [], options(lab));
      const c = check(r, "firewall-mix");
      expect(c.status).toBe("warn");
      expect(c.message).toBe("rules in both iptables-legacy (1) and nftables (tables inet mine): packets pass through both, and each tool shows only half");
      expect(c.hint).toContain("update-alternatives --set iptables /usr/sbin/iptables-nft");
      expect(r.ok).toBe(true);
    });
  }, 60_000);

  it("a taken TAP name, address or subnet", async () => {
    need.assert();
    await withLab(async (lab) => {
      await run("ip", ["-n", lab.ns, "link", "add", "tap0", "type", "veth", "peer", "name", "tap0-peer"]);
      await run("ip", ["-n", lab.ns, "link", "add", "eth9", "type", "veth", "peer", "name", "eth9-peer"]);
      await run("ip", ["-n", lab.ns, "addr", "add", "172.16.0.1/16", "dev", "eth9"]);
      await run("ip", ["-n", lab.ns, "link", "set", "eth9", "up"]);
      const r = await runDoctor(defaultModel(), [], options(lab));
      expect(status(r)).toMatchObject({ interfaces: "fail", addresses: "fail", subnets: "fail" });
      expect(check(r, "interfaces").message).toBe("tap0 (the TAP of VM default) already exists as a veth device tsion did not create; choose another name (tap = \"...\" in the configuration, TAP_NAME) or delete it (ip link del tap0)");
      expect(check(r, "addresses").message).toBe("172.16.0.1 (the host end of VM default) is already an address of eth9");
      expect(check(r, "subnets").message).toBe("172.16.0.0/24 (network default) overlaps the route 172.16.0.0/16 dev eth9; choose another subnet");
      expect(r.ok).toBe(false);
    });
  }, 60_000);

  it("what tsion set up is not a clash, but ip_forward switched off behind its back is", async () => {
    need.assert();
    await withLab(async (lab) => {
      const model = defaultModel();
      await setupNetworking(model, ["default"], { netns: lab.ns, stateDir: lab.stateDir });
      const up = await runDoctor(model, [], options(lab));
      expect(status(up)).toMatchObject({ interfaces: "ok", addresses: "ok", subnets: "ok", "ip-forward": "ok" });
      expect(check(up, "ip-forward").message).toBe("net.ipv4.ip_forward is 1 (held by tsion for default)");
      await inNs(lab.ns, "sysctl", ["-q", "-w", "net.ipv4.ip_forward=0"]);
      const off = await runDoctor(model, [], options(lab));
      expect(check(off, "ip-forward")).toMatchObject({ status: "fail", message: "net.ipv4.ip_forward is 0, but networks default need it: something reset it" });
      await teardownNetworking({}, { netns: lab.ns, stateDir: lab.stateDir });
    });
  }, 60_000);

  it("no hypervisor, no /dev/kvm, /dev/kvm closed to the VMM's user, no /dev/vhost-vsock", async () => {
    need.assert();
    await withLab(async (lab) => {
      const r = await runDoctor(defaultModel(), [], options(lab, { path: emptyDir, devices: { kvm: path.join(scratch, "no-kvm") } }));
      expect(check(r, "hypervisor")).toMatchObject({ status: "fail", message: "neither cloud-hypervisor nor qemu-system-x86_64 is installed" });
      expect(check(r, "kvm").status).toBe("fail");
      // /dev/net/tun is root-only (crw-------): a stand-in for a kvm device the user cannot open.
      const closed = await runDoctor(defaultModel(), [], options(lab, { owner: "65534", devices: { kvm: "/dev/net/tun" } }));
      expect(check(closed, "kvm")).toMatchObject({ status: "warn", hint: "add the user to the device's group (usermod -aG kvm 65534) and log in again" });
      const config = writeConfig(lab, "v.toml", `[defaults]\nnetwork = "v"\n[networks.v]\ntopology = "vsock"\n[vms.c]\n`);
      const vsock = await runDoctor(loadNetworkModel({ config, vms: ["c"], env: {} }), ["c"], options(lab, { devices: { kvm: "/dev/null", vsock: path.join(scratch, "no-vsock") } }));
      expect(check(vsock, "vsock").status).toBe("warn");
      expect(check(vsock, "tun").message).toBe("no TAP is needed (vsock only)");
    });
  }, 60_000);

  it("DHCP: dnsmasq (running as nobody) must be able to reach the state directory", async () => {
    need.assert();
    await withLab(async (lab) => {
      const closedParent = fs.mkdtempSync(path.join(scratch, "closed-")); // mode 0700
      const model = loadNetworkModel({ vms: ["default"], dhcp: true, env: {} });
      const r = await runDoctor(model, [], options(lab, { stateDir: path.join(closedParent, "state") }));
      expect(check(r, "dnsmasq")).toMatchObject({ status: "fail", message: expect.stringContaining(`${closedParent} is not searchable by other users (mode 700)`) });
      await expect(setupNetworking(model, ["default"], { netns: lab.ns, stateDir: path.join(closedParent, "state") })).rejects.toThrow(
        `dnsmasq runs as nobody and must read its files in ${closedParent}/state, but ${closedParent} is not searchable by other users (mode 700)`,
      );
    });
  }, 60_000);

  it("the CLI: --json, exit 1 exactly when a check fails; without root, privileges fail and the firewall is not read", async () => {
    need.assert();
    await withLab(async (lab) => {
      const r = await tsion(["net", "doctor", "--json", "--netns", lab.ns, "--state-dir", lab.stateDir]);
      const report = JSON.parse(r.stdout) as DoctorReport;
      expect(r.exitCode).toBe(report.ok ? 0 : 1);
      expect(report.checks.map((c) => c.id)).toContain("forward-policy");
      await inNs(lab.ns, "iptables", ["-P", "FORWARD", "DROP"]);
      const blocked = await tsion(["net", "doctor", "--netns", lab.ns, "--state-dir", lab.stateDir]);
      expect(blocked.exitCode).toBe(1);
      expect(blocked.stdout).toMatch(/^FAIL {2}forward-policy {2}forwarded traffic is dropped/m);
      expect(blocked.stdout).toMatch(/problem\(s\) block a run$/);

      const nobody = await tsion(["net", "doctor", "--json", "--state-dir", lab.stateDir], { ns: lab.ns, as: ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--"] });
      const np = JSON.parse(nobody.stdout) as DoctorReport;
      expect(nobody.exitCode).toBe(1);
      expect(status(np)).toMatchObject({ privileges: "fail", "firewall-mix": "skip", "forward-policy": "skip" });
    });
  }, 60_000);
});
