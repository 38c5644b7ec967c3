/**
 * End to end on a real hypervisor. There is no KVM and no Redox image here,
 * so a stand-in guest boots under QEMU (TCG): Debian's cloud kernel and a
 * busybox initramfs built by this test (test/vm/standin/). Inside a network
 * namespace this test creates:
 *
 *   tsion net setup --netns NS --dhcp   TAP, host address, dnsmasq
 *   ip netns exec NS tsion vm test --hypervisor qemu ...
 *                                       the guest takes its lease from tsion's
 *                                       dnsmasq, pings the host end, prints
 *                                       TSION_CHECK lines, powers off
 *   tsion net teardown --netns NS       the namespace is as it was
 *
 * and the same without --dhcp, where the guest gets no lease and vm test
 * must fail. The namespace has no link out: no packet leaves it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addNetns, deleteNetns, ip, netnsName, sweepStaleNetns } from "../../runtime-shims/netns/namespaces.ts";
import { findExecutable } from "../../host/executables.ts";
import { requirement } from "../support/requirements.ts";
import { missingForNetns } from "./netns-requirements.ts";
import { buildInitramfs, STANDIN_PROFILE } from "./standin/initramfs.ts";
import { standinKernel, type StandinKernel } from "./standin/kernel.ts";
import { tsion } from "./support.ts";

const TOOLS = ["qemu-system-x86_64", "dnsmasq", "busybox", "cpio", "apt-get", "apt-cache", "dpkg-deb", "ldd"];
const need = requirement("test/vm (stand-in guest under QEMU)", await missingForNetns(TOOLS));

interface JsonReport {
  ok: boolean;
  verdict: string;
  stoppedBy: string;
  milestones: { name: string; at: number | null; line: string | null }[];
  checks: { name: string; status: string; reason: string }[];
  checksDoneAt: number | null;
  hypervisor: { argv: string[]; seconds: number };
}

/** Everything about the namespace that setup may change and teardown must restore. */
async function snapshot(ns: string): Promise<Record<string, unknown>> {
  const json = async (args: string[]) => JSON.parse((await ip(["-n", ns, "-j", ...args])) || "[]") as Record<string, unknown>[];
  const exec = async (cmd: string[]) => {
    const r = await execa("ip", ["netns", "exec", ns, ...cmd], { reject: false });
    return `${r.exitCode} ${r.stdout}`;
  };
  return {
    links: (await json(["link", "show"])).map((l) => [l.ifname, l.flags]),
    addrs: (await json(["addr", "show"])).map((l) => [l.ifname, (l.addr_info as { local: string; prefixlen: number }[]).map((a) => `${a.local}/${a.prefixlen}`)]),
    routes: await json(["route", "show", "table", "all"]),
    nft: findExecutable("nft") ? await exec(["nft", "list", "ruleset"]) : "",
    forwarding: await exec(["sysctl", "-n", "net.ipv4.ip_forward"]),
    pids: (await ip(["netns", "pids", ns])).trim(),
  };
}

describe.skipIf(need.skip)("end to end: the stand-in guest under QEMU on a tsion-made TAP", () => {
  let ns = "";
  let dir = "";
  let kernel: StandinKernel;
  let initrd = "";
  let image = "";
  let before: Record<string, unknown> = {};

  beforeAll(async () => {
    need.assert();
    await sweepStaleNetns();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-vm-e2e-"));
    fs.chmodSync(dir, 0o755); // dnsmasq (user nobody) reads its files in the state directory below
    kernel = await standinKernel();
    initrd = await buildInitramfs(kernel, dir);
    // A scratch disk: the guest does not use it, but vm copies it and must remove the copy.
    image = path.join(dir, "scratch.img");
    fs.writeFileSync(image, Buffer.alloc(1024 * 1024));
    ns = netnsName("vme");
    await addNetns(ns);
    before = await snapshot(ns);
  }, 300_000);

  afterAll(async () => {
    if (ns) await deleteNetns(ns);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ NO_COLOR: "1", TSION_VM_DIR: path.join(dir, "vms") });
  const stateDir = () => path.join(dir, "netstate");

  async function setup(dhcp: boolean): Promise<{ tap: string; mac: string; ip: string; gateway: string }> {
    const r = await tsion(["net", "setup", "--netns", ns, "--state-dir", stateDir(), "--json", ...(dhcp ? ["--dhcp"] : [])], env());
    expect(r.exitCode, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { tap: string; mac: string; ip: string; gateway: string }[])[0]!;
  }

  async function teardown(): Promise<void> {
    const r = await tsion(["net", "teardown", "--netns", ns, "--state-dir", stateDir()], env());
    expect(r.exitCode, r.stderr).toBe(0);
  }

  async function vmTest(): Promise<{ exitCode: number; report: JsonReport; stderr: string }> {
    fs.mkdirSync(path.join(dir, "vms"), { recursive: true });
    const r = await tsion(
      [
        "vm", "test", image,
        "--hypervisor", "qemu", "--accel", "tcg", "--net", "tap", "--nic", "virtio",
        "--state-dir", stateDir(),
        "--kernel", kernel.kernel, "--initrd", initrd, "--append", "console=ttyS0 panic=-1",
        "--cpus", "1", "--memory", "256M",
        "--profile", STANDIN_PROFILE, "--timeout", "90",
        "--log", path.join(dir, "serial.log"), "--json",
      ],
      env(),
      { netns: ns },
    );
    expect(fs.readdirSync(path.join(dir, "vms"))).toEqual([]);
    const report = JSON.parse(r.stdout) as JsonReport;
    const shown = report.milestones.map((m) => `${m.name} ${m.at ?? "-"}`).join(", ");
    console.log(`[test/vm] stand-in guest: ${shown}; checks done ${report.checksDoneAt ?? "never"}; QEMU ran ${report.hypervisor.seconds} s`);
    return { exitCode: r.exitCode, report, stderr: r.stderr };
  }

  it("with DHCP: the lease comes from tsion's dnsmasq, the gateway answers; exit 0 with the checks and the timeline", async () => {
    const net = await setup(true);
    try {
      // Nothing but the loopback and tsion's TAP: the guest's traffic cannot leave the namespace.
      expect((await snapshot(ns)).links).toEqual([
        ["lo", expect.any(Array)],
        [net.tap, expect.any(Array)],
      ]);
      const { exitCode, report, stderr } = await vmTest();
      expect(exitCode, `${stderr}\n${JSON.stringify(report, null, 1)}`).toBe(0);
      expect(report.ok).toBe(true);
      expect(report.checks.map((c) => [c.name, c.status])).toEqual([
        ["address", "PASS"],
        ["default-route", "PASS"],
        ["dns", "PASS"],
        ["gateway-ping", "PASS"],
      ]);
      expect(report.checks[0]!.reason).toMatch(new RegExp(`^eth0 has ${net.ip.replaceAll(".", "\\.")}/\\d+$`));
      expect(report.checks[1]!.reason).toBe(`one default route, via ${net.gateway}`);
      expect(report.checks[3]!.reason).toMatch(new RegExp(`^gateway ${net.gateway.replaceAll(".", "\\.")} answered [12] of 2 pings$`));
      const at = Object.fromEntries(report.milestones.map((m) => [m.name, m.at]));
      expect(at.kernel).not.toBeNull();
      expect(at.kernel!).toBeLessThan(at.init!);
      expect(at.init!).toBeLessThan(at.network!);
      expect(at.network!).toBeLessThanOrEqual(report.checksDoneAt!);
      expect(report.milestones.find((m) => m.name === "network")!.line).toContain(`tsion-standin: configured ${net.ip}/`);
      // QEMU was given the model's TAP and MAC, and -vga none
      const argv = report.hypervisor.argv;
      expect(argv).toContain(`tap,id=net0,ifname=${net.tap},script=no,downscript=no`);
      expect(argv).toContain(`virtio-net-pci,netdev=net0,mac=${net.mac},romfile=`);
      expect(argv).toEqual(expect.arrayContaining(["-vga", "none"]));
      // dnsmasq logged the lease it gave to that MAC
      const dnsmasqLog = fs.readFileSync(path.join(stateDir(), "dnsmasq", "vm-default", "log"), "utf8");
      expect(dnsmasqLog).toMatch(new RegExp(`DHCPACK\\(${net.tap}\\) ${net.ip.replaceAll(".", "\\.")} ${net.mac}`));
    } finally {
      await teardown();
    }
    expect(await snapshot(ns)).toEqual(before);
  }, 180_000);

  it("without --dhcp: no lease, the checks fail, vm test exits 1", async () => {
    await setup(false);
    try {
      const { exitCode, report, stderr } = await vmTest();
      expect(exitCode).toBe(1);
      expect(report.ok).toBe(false);
      expect(report.checks.map((c) => [c.name, c.status])).toEqual([
        ["address", "FAIL"],
        ["default-route", "FAIL"],
        ["dns", "PASS"],
        ["gateway-ping", "FAIL"],
      ]);
      expect(report.milestones.find((m) => m.name === "network")!.at).toBeNull();
      expect(stderr).toContain("tsion: vm test failed: 3 of 4 checks failed: address, default-route, gateway-ping");
    } finally {
      await teardown();
    }
    expect(await snapshot(ns)).toEqual(before);
  }, 180_000);
});
