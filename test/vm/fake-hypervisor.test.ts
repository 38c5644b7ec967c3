/**
 * `tsion vm run` / `vm test` against a fake hypervisor (fake-hypervisor/):
 * it records its argv and replays a Redox serial console at the recorded
 * pace, where the real one would write it. Checks the command lines (Cloud
 * Hypervisor, QEMU user-mode and TAP), every error found before start, the
 * per-VM image copy on every way out (normal exit, hypervisor failure,
 * SIGINT, timeout), and the parsed timeline and TSION_CHECK results.
 *
 * The TAP cases need real TAP devices: they create them in a network
 * namespace of their own (root; skipped visibly elsewhere, never under CI).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addNetns, deleteNetns, ip, netnsName, sweepStaleNetns } from "../../runtime-shims/netns/namespaces.ts";
import { missingForNetns } from "./netns-requirements.ts";
import { requirement } from "../support/requirements.ts";
import { supportsDirectIo } from "../../host/vm/vm-dir.ts";
import { QEMU_FIRMWARE_CANDIDATES } from "../../host/vm/preflight.ts";
import { execa } from "execa";
import { findExecutable } from "../../host/executables.ts";
import { shellLine } from "../../host/vm/command-line.ts";
import { after, bin, FIXTURES, IMAGE_BYTES, isAlive, makeSandbox, recorded, spawnTsion, tsion, vmDirs, waitFor, type Sandbox } from "./support.ts";

const CH_TAP_LOG = path.join(FIXTURES, "redox-ch-tap.serial");
const CH_NO_DHCP_LOG = path.join(FIXTURES, "redox-ch-no-dhcp.serial");
const QEMU_USER_LOG = path.join(FIXTURES, "redox-qemu-user.serial");

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
});
afterEach(() => sb.remove());

/** Cloud Hypervisor without a network (the TAP cases are further down). */
function chArgs(...more: string[]): string[] {
  return ["--firmware", sb.firmware, "--net", "none", "--log", sb.log, ...more];
}

describe("command lines", () => {
  it("Cloud Hypervisor: firmware, a writable copy of the image, CPUs, memory, serial to a file, console off", async () => {
    const r = await tsion(["vm", "run", sb.image, ...chArgs("--cpus", "2", "--memory", "1G")], { ...sb.env, CH_DIRECT_IO: "off" });
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    const rec = recorded(sb)!;
    const a = rec.argv;
    expect(path.basename(a[0]!)).toBe("cloud-hypervisor");
    expect(after(a, "--firmware")).toBe(sb.firmware);
    expect(after(a, "--cpus")).toBe("boot=2");
    expect(after(a, "--memory")).toBe("size=1G");
    expect(after(a, "--console")).toBe("off");
    // the copy, not the original, in a per-VM directory under TSION_VM_DIR
    expect(after(a, "--disk")).toBe(`path=${rec.disk}`);
    expect(path.dirname(path.dirname(rec.disk!))).toBe(sb.vmParent);
    expect(rec.disk).not.toBe(sb.image);
    expect(rec.diskExisted && rec.diskWritable).toBe(true);
    expect(after(a, "--serial")).toBe(`file=${path.join(path.dirname(rec.disk!), "serial.log")}`);
    expect(a).not.toContain("--net");
  });

  it("honours the earlier runners' variables: CH_CPUS, CH_MEMORY, CH_HUGEPAGES, CH_DIRECT_IO, CH_API_SOCKET", async () => {
    const r = await tsion(["vm", "run", sb.image, ...chArgs()], { ...sb.env, CH_CPUS: "3", CH_MEMORY: "1536M", CH_HUGEPAGES: "1", CH_DIRECT_IO: "on", CH_API_SOCKET: "/tmp/ch.sock" });
    expect(r.exitCode, r.stderr).toBe(0);
    const a = recorded(sb)!.argv;
    expect(after(a, "--api-socket")).toBe("path=/tmp/ch.sock");
    expect(after(a, "--cpus")).toBe("boot=3");
    expect(after(a, "--memory")).toBe("size=1536M,hugepages=on");
    expect(after(a, "--disk")).toMatch(/,direct=on$/);
  });

  it("the defaults of the earlier runners: 4 CPUs, 2048M, direct I/O", async () => {
    const r = await tsion(["vm", "run", sb.image, ...chArgs()], sb.env);
    expect(r.exitCode, r.stderr).toBe(0);
    const a = recorded(sb)!.argv;
    expect(after(a, "--cpus")).toBe("boot=4");
    expect(after(a, "--memory")).toBe("size=2048M");
    expect(after(a, "--disk")).toMatch(/,direct=on$/);
  });

  it("QEMU, user-mode network: no VGA (the bootloader would wait at its resolution picker), serial on stdio, e1000 with the MAC, forwards", async () => {
    const r = await tsion(
      ["vm", "run", sb.image, "--hypervisor", "qemu", "--firmware", sb.firmware, "--log", sb.log, "--mac", "52:54:00:aa:bb:cc", "--ssh-port", "0", "--http-port", "0"],
      { ...sb.env, FAKE_HV_SERIAL: QEMU_USER_LOG, FAKE_HV_SPEED: "8" },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const rec = recorded(sb)!;
    const a = rec.argv;
    expect(path.basename(a[0]!)).toBe("qemu-system-x86_64");
    expect(after(a, "-vga")).toBe("none");
    expect(after(a, "-display")).toBe("none");
    expect(after(a, "-serial")).toBe("stdio");
    expect(after(a, "-bios")).toBe(sb.firmware);
    expect(a).toEqual(expect.arrayContaining(["-accel", "kvm", "-cpu", "host", "-smp", "4", "-m", "2048M"]));
    expect(after(a, "-netdev")).toBe("user,id=net0");
    expect(after(a, "-device")).toBe(`virtio-blk-pci,drive=disk0`);
    expect(a).toContain("e1000,netdev=net0,mac=52:54:00:aa:bb:cc,romfile=");
    expect(after(a, "-drive")).toBe(`file=${rec.disk},format=raw,if=none,id=disk0`);
    // QEMU's console came through the pipe into the timeline
    expect(r.stdout).toContain("Redox OS Bootloader 1.0.0");
    expect(r.stdout).toMatch(/bootloader\s+bootloader started/);
  });

  it("QEMU forwards the earlier runners' ports (REDOX_SSH_PORT, REDOX_HTTP_PORT) and TCG on request", async () => {
    const r = await tsion(["vm", "run", sb.image, "--hypervisor", "qemu", "--firmware", sb.firmware, "--log", sb.log, "--accel", "tcg"], {
      ...sb.env,
      REDOX_SSH_PORT: "0",
      REDOX_HTTP_PORT: "18097",
      GUEST_MAC: "52:54:00:00:00:07",
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const a = recorded(sb)!.argv;
    expect(after(a, "-netdev")).toBe("user,id=net0,hostfwd=tcp::18097-:80");
    expect(a).toContain("e1000,netdev=net0,mac=52:54:00:00:00:07,romfile=");
    expect(a).toEqual(expect.arrayContaining(["-accel", "tcg", "-cpu", "max"]));
  });

  const ovmf = QEMU_FIRMWARE_CANDIDATES.find((f) => fs.existsSync(f));
  const ovmfNeed = requirement("test/vm (QEMU default firmware)", ovmf ? "" : `no OVMF at ${QEMU_FIRMWARE_CANDIDATES.join(" or ")} (Debian package ovmf)`);
  it.skipIf(ovmfNeed.skip)("QEMU's default firmware is OVMF where the distribution puts it", async () => {
    ovmfNeed.assert();
    const r = await tsion(["vm", "run", sb.image, "--hypervisor", "qemu", "--log", sb.log, "--ssh-port", "0", "--http-port", "0"], sb.env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(after(recorded(sb)!.argv, "-bios")).toBe(ovmf);
  });

  it("--dry-run prints the command line and starts nothing", async () => {
    const r = await tsion(["vm", "run", sb.image, ...chArgs("--dry-run")], sb.env);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^cloud-hypervisor --firmware \S+CLOUDHV\.fd --disk 'path=\$VM_DIR\/disk\.img,direct=on' --cpus boot=4 --memory size=2048M /);
    expect(r.stdout).toContain("--serial 'file=$VM_DIR/serial.log' --console off");
    expect(recorded(sb)).toBeNull();
    expect(vmDirs(sb)).toEqual([]);
    expect(fs.existsSync(sb.log)).toBe(false);
  });

  it("-X passes extra arguments through, after tsion's own", async () => {
    const r = await tsion(["vm", "run", sb.image, ...chArgs("-X", "--api-socket", "-X", "path=/tmp/x.sock")], sb.env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(recorded(sb)!.argv.slice(-2)).toEqual(["--api-socket", "path=/tmp/x.sock"]);
  });
});

const scriptNeed = requirement("test/vm (a terminal via script)", findExecutable("script") ? "" : "`script` not found (Debian package bsdutils)");

describe.skipIf(scriptNeed.skip)("a terminal on standard input (script(1) gives tsion a pseudo-terminal)", () => {
  /** Runs `stty -g; tsion ARGS; stty -g` on a pseudo-terminal; returns the two terminal states and tsion's status. */
  async function onTerminal(args: string[], env: Record<string, string>): Promise<{ before: string; after: string; status: number; output: string }> {
    const states = path.join(sb.dir, "stty");
    const tsionLine = shellLine([process.execPath, bin, ...args]);
    const line = `stty -g > ${states}.before; ${tsionLine} > ${sb.dir}/out 2>&1; echo $? > ${sb.dir}/status; stty -g > ${states}.after`;
    const r = await execa("script", ["-q", "-e", "-c", line, "/dev/null"], { env: { ...process.env, ...env }, reject: false, timeout: 60_000, stdin: "ignore" });
    expect(r.exitCode, String(r.stdout)).toBe(0);
    const read = (f: string) => fs.readFileSync(f, "utf8").trim();
    return { before: read(`${states}.before`), after: read(`${states}.after`), status: Number(read(`${sb.dir}/status`)), output: read(`${sb.dir}/out`) };
  }

  it("QEMU: the guest's console takes the keyboard (-serial mon:stdio, the terminal handed to QEMU)", async () => {
    scriptNeed.assert();
    const r = await onTerminal(["vm", "run", sb.image, "--hypervisor", "qemu", "--firmware", sb.firmware, "--log", sb.log, "--ssh-port", "0", "--http-port", "0"], { ...sb.env, FAKE_HV_SERIAL: QEMU_USER_LOG, FAKE_HV_SPEED: "8" });
    expect(r.status, r.output).toBe(0);
    const rec = recorded(sb)!;
    expect(after(rec.argv, "-serial")).toBe("mon:stdio");
    expect(rec.stdinIsTty).toBe(true);
  });

  it("Cloud Hypervisor --interactive: --serial tty, the terminal in non-canonical mode without echo during the run and back as it was afterwards", async () => {
    scriptNeed.assert();
    const r = await onTerminal(["vm", "run", sb.image, ...chArgs("--interactive")], { ...sb.env, FAKE_HV_SERIAL: CH_TAP_LOG, FAKE_HV_SPEED: "8" });
    expect(r.status, r.output).toBe(0);
    const rec = recorded(sb)!;
    expect(after(rec.argv, "--serial")).toBe("tty");
    expect(rec.stdinIsTty).toBe(true);
    // during the run: keys go through one by one, unechoed, and Ctrl-C still interrupts
    expect(rec.stty).toMatch(/(^|\s)-icanon(\s|$)/);
    expect(rec.stty).toMatch(/(^|\s)-echo(\s|$)/);
    expect(rec.stty).toMatch(/(^|\s)isig(\s|$)/);
    expect(r.output).toContain("Redox OS Bootloader 1.0.0"); // tty mode: the console came through the pipe
    expect(r.after).toBe(r.before);
  });

  it("--interactive without a terminal is refused", async () => {
    const r = await tsion(["vm", "run", sb.image, ...chArgs("--interactive")], sb.env);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("tsion: error: --interactive needs a terminal on standard input");
  });
});

describe("errors before anything starts (exit 2, no hypervisor, no VM directory)", () => {
  async function expectRefused(args: string[], env: Record<string, string>, message: string | RegExp): Promise<void> {
    const r = await tsion(args, env);
    expect(r.exitCode).toBe(2);
    if (typeof message === "string") expect(r.stderr).toContain(message);
    else expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^tsion: error: /);
    expect(recorded(sb)).toBeNull();
    expect(vmDirs(sb)).toEqual([]);
  }

  it("a missing TAP names the exact `tsion net setup` command that creates it", async () => {
    const sudo = process.getuid?.() === 0 ? "" : "sudo TAP_NAME=tsion-nope1 ";
    await expectRefused(["vm", "run", sb.image, "--firmware", sb.firmware], { ...sb.env, TAP_NAME: "tsion-nope1" }, `TAP tsion-nope1 (from TAP_NAME) does not exist: create it with \`${sudo}tsion net setup\``);
    const sudo2 = process.getuid?.() === 0 ? "" : "sudo ";
    await expectRefused(["vm", "run", sb.image, "--firmware", sb.firmware, "--vm", "web", "--state-dir", path.join(sb.dir, "netstate")], sb.env, `TAP tap-web (from the network model) does not exist: create it with \`${sudo2}tsion net setup web --state-dir ${path.join(sb.dir, "netstate")}\``);
  });

  it("a TAP named with --tap that the model does not know: which command creates which TAP", async () => {
    await expectRefused(
      ["vm", "run", sb.image, "--firmware", sb.firmware, "--tap", "tsion-nope0"],
      sb.env,
      /TAP tsion-nope0 \(from --tap\) does not exist: `(sudo )?tsion net setup` creates VM default's TAP from the network model, tap0: drop --tap to use it, or set tap = "tsion-nope0" for VM default in the network configuration first/,
    );
  });

  it("missing firmware, for Cloud Hypervisor and for QEMU", async () => {
    await expectRefused(["vm", "run", sb.image, "--net", "none"], sb.env, "no firmware for Cloud Hypervisor: give --firmware PATH or set CH_FIRMWARE");
    await expectRefused(["vm", "run", sb.image, "--net", "none"], { ...sb.env, CH_FIRMWARE: path.join(sb.dir, "nope.fd") }, `firmware ${path.join(sb.dir, "nope.fd")} (from CH_FIRMWARE): no such file or directory`);
    await expectRefused(["vm", "run", sb.image, "--hypervisor", "qemu", "--firmware", path.join(sb.dir, "OVMF.fd")], sb.env, "(from --firmware): no such file or directory");
  });

  it("a missing hypervisor binary", async () => {
    await expectRefused(["vm", "run", sb.image, ...chArgs()], { ...sb.env, PATH: "/nonexistent" }, "cloud-hypervisor not found on PATH: install Cloud Hypervisor");
    await expectRefused(["vm", "run", sb.image, ...chArgs()], { ...sb.env, CH_BIN: path.join(sb.dir, "ch") }, `hypervisor ${path.join(sb.dir, "ch")} (from CH_BIN) is missing or not executable`);
  });

  it("no /dev/kvm, or no permission for it", async () => {
    const gone = path.join(sb.dir, "no-kvm");
    await expectRefused(["vm", "run", sb.image, ...chArgs()], { ...sb.env, TSION_KVM_DEVICE: gone }, `${gone} does not exist: Cloud Hypervisor needs KVM`);
    await expectRefused(["vm", "run", sb.image, "--hypervisor", "qemu", "--firmware", sb.firmware], { ...sb.env, TSION_KVM_DEVICE: gone }, "or boot without KVM, much slower, with --accel tcg");
    // QEMU with TCG needs no KVM
    const r = await tsion(["vm", "run", sb.image, "--hypervisor", "qemu", "--accel", "tcg", "--firmware", sb.firmware, "--log", sb.log, "--ssh-port", "0", "--http-port", "0"], {
      ...sb.env,
      TSION_KVM_DEVICE: gone,
    });
    expect(r.exitCode, r.stderr).toBe(0);
  });

  it("a missing image, every problem listed at once", async () => {
    const r = await tsion(["vm", "run", path.join(sb.dir, "nope.img"), "--net", "none"], { ...sb.env, TSION_KVM_DEVICE: path.join(sb.dir, "no-kvm") });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("tsion: error: cannot start the VM:\n");
    expect(r.stderr).toContain(`  - image ${path.join(sb.dir, "nope.img")}: no such file or directory`);
    expect(r.stderr).toContain("  - no firmware for Cloud Hypervisor");
    expect(r.stderr).toContain("does not exist: Cloud Hypervisor needs KVM");
  });

  it("bad values name the flag or variable they came from", async () => {
    await expectRefused(["vm", "run", sb.image, ...chArgs()], { ...sb.env, CH_CPUS: "four" }, "CH_CPUS must be a whole number from 1 to 254, not 'four'");
    await expectRefused(["vm", "run", sb.image, ...chArgs("--memory", "lots")], sb.env, "--memory must be a size like 2048M or 2G, not 'lots'");
    await expectRefused(["vm", "run", sb.image, ...chArgs("--mac", "53:54:00:12:34:56")], sb.env, "--mac 53:54:00:12:34:56 is not a unicast address");
    await expectRefused(["vm", "run", sb.image, ...chArgs()], { ...sb.env, GUEST_MAC: "53:54:00:12:34:56" }, "tsion: error: the network model: GUEST_MAC (environment): vms.default.mac: '53:54:00:12:34:56' is not a unicast MAC");
    await expectRefused(["vm", "run", sb.image, ...chArgs()], { ...sb.env, CH_NET_QUEUES: "3" }, "CH_NET_QUEUES must be even");
    await expectRefused(["vm", "run", sb.image, "--net", "user", "--firmware", sb.firmware], sb.env, "Cloud Hypervisor has no user-mode network");
    await expectRefused(["vm", "run", "--net", "none"], sb.env, "vm run needs a disk IMAGE (or --kernel for a direct kernel boot)");
  });

  it("a QEMU forward on a port in use", async () => {
    const net = await import("node:net");
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "0.0.0.0", r));
    const port = (server.address() as { port: number }).port;
    try {
      await expectRefused(["vm", "run", sb.image, "--hypervisor", "qemu", "--firmware", sb.firmware, "--ssh-port", String(port), "--http-port", "0"], sb.env, `host port ${port} (forwarded to the guest's port 22) is in use: set REDOX_SSH_PORT`);
    } finally {
      server.close();
    }
  });
});

describe("the image copy goes away on every way out", () => {
  it("normal exit: the guest ran on the copy, the original is untouched, the per-VM directory is gone", async () => {
    const r = await tsion(["vm", "run", sb.image, ...chArgs()], { ...sb.env, FAKE_HV_SERIAL: CH_TAP_LOG, FAKE_HV_SPEED: "8" });
    expect(r.exitCode, r.stderr).toBe(0);
    const rec = recorded(sb)!;
    expect(rec.diskExisted).toBe(true);
    expect(fs.existsSync(rec.disk!)).toBe(false);
    expect(vmDirs(sb)).toEqual([]);
    expect(fs.readFileSync(sb.image).equals(IMAGE_BYTES)).toBe(true);
  });

  it("hypervisor failure: exit 1 with its error, directory gone", async () => {
    const r = await tsion(["vm", "run", sb.image, ...chArgs()], {
      ...sb.env,
      FAKE_HV_EXIT: "1",
      FAKE_HV_STDERR: "Error booting VM: VmBoot(DeviceManager(CreateVirtioNet(OpenTap(TapOpen(OpenTun(Os { code: 16, kind: ResourceBusy })))))",
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("tsion: vm run failed: cloud-hypervisor exited with status 1");
    expect(r.stderr).toContain("  | Error booting VM: VmBoot(DeviceManager(CreateVirtioNet(OpenTap");
    expect(fs.existsSync(recorded(sb)!.disk!)).toBe(false);
    expect(vmDirs(sb)).toEqual([]);
  });

  it("SIGINT (Ctrl-C): the hypervisor is stopped, exit 130, directory gone", async () => {
    const child = spawnTsion(["vm", "run", sb.image, ...chArgs()], { ...sb.env, FAKE_HV_SERIAL: CH_TAP_LOG, FAKE_HV_SPEED: "8", FAKE_HV_THEN: "hang" });
    await waitFor("the fake hypervisor to start", () => recorded(sb) !== null);
    const rec = recorded(sb)!;
    await waitFor("serial output in the log", () => fs.existsSync(sb.log) && fs.readFileSync(sb.log, "utf8").includes("Redox OS Bootloader"));
    expect(vmDirs(sb)).toHaveLength(1);
    child.kill("SIGINT");
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(String(r.stderr)).toContain("tsion: vm run failed: interrupted by SIGINT; the hypervisor was stopped");
    expect(isAlive(rec.pid)).toBe(false);
    expect(fs.existsSync(rec.disk!)).toBe(false);
    expect(vmDirs(sb)).toEqual([]);
  });

  it("SIGTERM too (exit 143)", async () => {
    const child = spawnTsion(["vm", "run", sb.image, ...chArgs()], { ...sb.env, FAKE_HV_THEN: "hang" });
    await waitFor("the fake hypervisor to start", () => recorded(sb) !== null);
    child.kill("SIGTERM");
    const r = await child;
    expect(r.exitCode).toBe(143);
    expect(isAlive(recorded(sb)!.pid)).toBe(false);
    expect(vmDirs(sb)).toEqual([]);
  });

  it("a directory left by a run that was killed outright (SIGKILL) is removed by the next run, once its orphaned hypervisor is gone", async () => {
    const child = spawnTsion(["vm", "run", sb.image, ...chArgs()], { ...sb.env, FAKE_HV_THEN: "hang" });
    await waitFor("the fake hypervisor to start", () => recorded(sb) !== null);
    const first = recorded(sb)!;
    child.kill("SIGKILL");
    await child;
    expect(vmDirs(sb)).toHaveLength(1);
    // the orphaned hypervisor still has its disk open: the directory stays
    fs.rmSync(sb.record);
    const r1 = await tsion(["vm", "run", sb.image, ...chArgs()], sb.env);
    expect(r1.exitCode, r1.stderr).toBe(0);
    expect(r1.stderr).not.toContain("left by a run that was killed");
    expect(vmDirs(sb)).toEqual([path.basename(path.dirname(first.disk!))]);
    process.kill(first.pid, "SIGKILL"); // what the terminal's hang-up would have done to it
    await waitFor("the orphan to go", () => !isAlive(first.pid));
    const r2 = await tsion(["vm", "run", sb.image, ...chArgs()], sb.env);
    expect(r2.exitCode, r2.stderr).toBe(0);
    expect(r2.stderr).toMatch(/tsion: removed \S+tsion-vm-\d+-\S+, left by a run that was killed/);
    expect(vmDirs(sb)).toEqual([]);
  });

  it("direct I/O: refused before start where the VM directory cannot do it (tmpfs before Linux 6.6), and the copy is removed", async () => {
    if (!fs.existsSync("/dev/shm")) return;
    const shm = fs.mkdtempSync("/dev/shm/tsion-vm-test-");
    try {
      const probe = path.join(shm, "probe");
      fs.writeFileSync(probe, "x");
      const directOk = supportsDirectIo(probe);
      fs.rmSync(probe);
      const r = await tsion(["vm", "run", sb.image, ...chArgs()], { ...sb.env, TSION_VM_DIR: shm, CH_DIRECT_IO: "on" });
      if (directOk) {
        // this kernel's tmpfs takes O_DIRECT: the run goes ahead with direct=on
        expect(r.exitCode, r.stderr).toBe(0);
        expect(after(recorded(sb)!.argv, "--disk")).toMatch(/,direct=on$/);
      } else {
        expect(r.exitCode).toBe(2);
        expect(r.stderr).toContain("does not support direct I/O (tmpfs?), which CH_DIRECT_IO=on needs: set CH_DIRECT_IO=off");
        expect(recorded(sb)).toBeNull();
      }
      expect(fs.readdirSync(shm)).toEqual([]);
    } finally {
      fs.rmSync(shm, { recursive: true, force: true });
    }
  });
});

interface JsonReport {
  ok: boolean;
  verdict: string;
  stoppedBy: string;
  milestones: { name: string; at: number | null; line: string | null }[];
  checks: { name: string; status: string; reason: string; at: number }[];
  checksDoneAt: number | null;
  passed: number;
  failed: number;
}

/** Times of a fixture's first line containing `text`. */
function fixtureTime(file: string, text: string): number {
  const row = fs.readFileSync(file, "utf8").split("\n").find((l) => l.startsWith("+") && l.includes(text))!;
  return Number(/^\+(\S+)/.exec(row)![1]);
}

describe("vm test: timeline and in-guest checks", () => {
  it("at the recorded pace: every milestone in order, no earlier than the console printed it; four PASS; exit 0", async () => {
    const r = await tsion(["vm", "test", sb.image, ...chArgs("--json")], { ...sb.env, FAKE_HV_SERIAL: CH_TAP_LOG, FAKE_HV_THEN: "hang" });
    expect(r.exitCode, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as JsonReport;
    expect(j.ok).toBe(true);
    expect(j.stoppedBy).toBe("checks-done");
    const at = Object.fromEntries(j.milestones.map((m) => [m.name, m.at]));
    expect(Object.keys(at)).toEqual(["bootloader", "kernel", "init", "network", "prompt"]);
    const printed = {
      bootloader: fixtureTime(CH_TAP_LOG, "BdsDxe: loading"), // the bootloader banner continues that line
      kernel: fixtureTime(CH_TAP_LOG, "Redox OS starting"),
      init: fixtureTime(CH_TAP_LOG, "Boot Complete"),
      network: fixtureTime(CH_TAP_LOG, "DHCP lease"),
      prompt: fixtureTime(CH_TAP_LOG, "redox login:"),
    };
    for (const [name, t] of Object.entries(printed)) expect(at[name], name).toBeGreaterThanOrEqual(t);
    expect(at.bootloader!).toBeLessThan(at.kernel!);
    expect(at.kernel!).toBeLessThan(at.init!);
    expect(at.init!).toBeLessThan(at.prompt!);
    // the bootloader banner came after firmware output and escape codes, without a newline
    expect(j.milestones[0]!.line).toMatch(/^BdsDxe: loading .*Redox OS Bootloader 1\.0\.0 on x86_64\/UEFI$/);
    expect(j.checks.map((c) => [c.name, c.status])).toEqual([
      ["address", "PASS"],
      ["default-route", "PASS"],
      ["dns", "PASS"],
      ["gateway-ping", "PASS"],
    ]);
    expect(j.checks[3]!.reason).toBe("gateway 172.16.0.1 answered 2 of 3 pings");
    expect(j.checksDoneAt!).toBeGreaterThanOrEqual(fixtureTime(CH_TAP_LOG, "TSION_CHECKS_DONE"));
    // the hypervisor (hanging on) was stopped once the checks were done
    expect(isAlive(recorded(sb)!.pid)).toBe(false);
    expect(vmDirs(sb)).toEqual([]);
  });

  it("text output: the checks, the timeline, the log path", async () => {
    const r = await tsion(["vm", "test", sb.image, ...chArgs("--quiet")], { ...sb.env, FAKE_HV_SERIAL: CH_TAP_LOG, FAKE_HV_SPEED: "8" });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Boot timeline \(profile redox; seconds since the hypervisor started\)\n/);
    expect(r.stdout).toMatch(/\n +\d+\.\d{3} s {2}kernel {6}kernel running {2}\(\+\d+\.\d{3}\)\n/);
    expect(r.stdout).toContain("\nIn-guest checks\n  PASS  address        eth0 has 172.16.0.2/24\n");
    expect(r.stdout).toMatch(/ {2}4 passed, 0 failed; done at \d+\.\d{3} s\n/);
    expect(r.stdout).toContain(`serial log: ${sb.log}\n`);
    expect(r.stdout).toContain("vm test passed: 4 checks\n");
    expect(r.stdout).not.toContain("Redox OS Bootloader 1.0.0 on"); // --quiet: no console echo
  });

  it("a FAIL: exit 1, the failing check named", async () => {
    const r = await tsion(["vm", "test", sb.image, ...chArgs("--quiet")], { ...sb.env, FAKE_HV_SERIAL: CH_NO_DHCP_LOG, FAKE_HV_SPEED: "20" });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("  FAIL  gateway-ping   gateway 192.168.249.1 did not answer (3 packets transmitted, 0 packets received)\n");
    expect(r.stdout).toMatch(/network +network configured \(netcfg\)/);
    expect(r.stderr).toContain("tsion: vm test failed: 1 of 4 checks failed: gateway-ping");
    expect(vmDirs(sb)).toEqual([]);
  });

  it("a timeout: exit 1, the hypervisor stopped, directory gone", async () => {
    const r = await tsion(["vm", "test", sb.image, ...chArgs("--quiet", "--timeout", "2")], { ...sb.env, FAKE_HV_SERIAL: CH_TAP_LOG, FAKE_HV_SPEED: "8", FAKE_HV_LINES: "22", FAKE_HV_THEN: "hang" });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("tsion: vm test failed: no TSION_CHECKS_DONE within 2 s");
    expect(r.stdout).toMatch(/init +init done/);
    expect(r.stdout).toContain("prompt      login or shell prompt: not reached");
    expect(isAlive(recorded(sb)!.pid)).toBe(false);
    expect(vmDirs(sb)).toEqual([]);
  });

  it("the guest stops before the checks finish: exit 1", async () => {
    const r = await tsion(["vm", "test", sb.image, ...chArgs("--quiet")], { ...sb.env, FAKE_HV_SERIAL: CH_TAP_LOG, FAKE_HV_SPEED: "8", FAKE_HV_LINES: "30" });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("tsion: vm test failed: cloud-hypervisor exited (status 0) before TSION_CHECKS_DONE");
  });

  it("VM_TEST_TIMEOUT, and the earlier NETWORK_TEST_TIMEOUT, set the timeout", async () => {
    const r = await tsion(["vm", "test", sb.image, ...chArgs("--quiet")], { ...sb.env, NETWORK_TEST_TIMEOUT: "1", FAKE_HV_THEN: "hang" });
    expect(r.stderr).toContain("no TSION_CHECKS_DONE within 1 s");
  });

  it("vm timeline renders a saved log exactly as the live run reported it", async () => {
    const live = await tsion(["vm", "test", sb.image, ...chArgs("--json")], { ...sb.env, FAKE_HV_SERIAL: QEMU_USER_LOG, FAKE_HV_SPEED: "4" });
    expect(live.exitCode, live.stderr).toBe(0);
    const again = await tsion(["vm", "timeline", sb.log, "--json"], sb.env);
    expect(again.exitCode, again.stderr).toBe(0);
    const a = JSON.parse(live.stdout) as JsonReport;
    const b = JSON.parse(again.stdout) as JsonReport;
    expect(b.milestones).toEqual(a.milestones);
    expect(b.checks).toEqual(a.checks);
    expect(b.checksDoneAt).toBe(a.checksDoneAt);
    const text = await tsion(["vm", "timeline", sb.log], sb.env);
    expect(text.stdout).toMatch(/^Boot timeline \(profile redox/);
    expect(text.stdout).toContain("  4 passed, 0 failed; done at");
  });

  it("the serial log: a header, '+SECONDS TEXT' lines with CR and newline removed, a closing note", async () => {
    const r = await tsion(["vm", "run", sb.image, ...chArgs("--quiet")], { ...sb.env, FAKE_HV_SERIAL: CH_TAP_LOG, FAKE_HV_SPEED: "8" });
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = fs.readFileSync(sb.log, "utf8").split("\n");
    expect(lines[0]).toMatch(/^# tsion serial log: started \d{4}-\d\d-\d\dT.*Z; cloud-hypervisor; profile redox$/);
    expect(lines).toContain(lines.find((l) => /^\+\d+\.\d{3} kernel::arch::x86_shared::start:INFO -- Redox OS starting\.\.\.$/.test(l)));
    expect(lines.filter((l) => l.includes("\r"))).toEqual([]);
    expect(lines.at(-2)).toMatch(/^# hypervisor exited \(status 0\) after \d+\.\d{3} s$/);
  });
});

// ---- TAP devices: real ones, in a network namespace of this test ----

const tapNeed = requirement("test/vm (TAP command lines)", await missingForNetns());

describe.skipIf(tapNeed.skip)("TAP networking (in a test network namespace)", () => {
  let ns = "";
  beforeAll(async () => {
    tapNeed.assert();
    await sweepStaleNetns();
    ns = netnsName("vm");
    await addNetns(ns);
    await ip(["-n", ns, "tuntap", "add", "dev", "tsvtap0", "mode", "tap"]);
    await ip(["-n", ns, "tuntap", "add", "dev", "tsvtapmq", "mode", "tap", "multi_queue"]);
    await ip(["-n", ns, "tuntap", "add", "dev", "tsvtun0", "mode", "tun"]);
  });
  afterAll(async () => {
    if (ns) await deleteNetns(ns);
  });

  it("Cloud Hypervisor: --net tap=,mac=,num_queues=2,queue_size=256 on a plain TAP", async () => {
    const r = await tsion(["vm", "run", sb.image, "--firmware", sb.firmware, "--log", sb.log, "--tap", "tsvtap0"], sb.env, { netns: ns });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(after(recorded(sb)!.argv, "--net")).toBe("tap=tsvtap0,mac=52:54:00:12:34:56,num_queues=2,queue_size=256");
  });

  it("TAP_NAME, GUEST_MAC, CH_NET_QUEUES, CH_NET_QUEUE_SIZE on a multi-queue TAP", async () => {
    const r = await tsion(["vm", "run", sb.image, "--firmware", sb.firmware, "--log", sb.log], { ...sb.env, TAP_NAME: "tsvtapmq", GUEST_MAC: "52:54:00:00:00:42", CH_NET_QUEUES: "4", CH_NET_QUEUE_SIZE: "512" }, { netns: ns });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(after(recorded(sb)!.argv, "--net")).toBe("tap=tsvtapmq,mac=52:54:00:00:00:42,num_queues=4,queue_size=512");
  });

  it("the TAP and its queue pairs from the network configuration (tap, queues = 2 -> num_queues=4)", async () => {
    const config = path.join(sb.dir, "net.toml");
    fs.writeFileSync(config, '[vms.web]\ntap = "tsvtapmq"\nqueues = 2\nmac = "52:54:00:00:00:99"\n');
    const r = await tsion(["vm", "run", sb.image, "--firmware", sb.firmware, "--log", sb.log, "--vm", "web", "--config", config, "--state-dir", path.join(sb.dir, "netstate")], sb.env, { netns: ns });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(after(recorded(sb)!.argv, "--net")).toBe("tap=tsvtapmq,mac=52:54:00:00:00:99,num_queues=4,queue_size=256");
  });

  it("the queue count is checked against the TAP's multi_queue flag, both ways", async () => {
    const r1 = await tsion(["vm", "run", sb.image, "--firmware", sb.firmware, "--tap", "tsvtap0", "--queues", "4"], sb.env, { netns: ns });
    expect(r1.exitCode).toBe(2);
    expect(r1.stderr).toContain("TAP tsvtap0 was created without multi_queue, so it cannot carry 4 network queues (2 pairs): use 2 queues");
    const r2 = await tsion(["vm", "run", sb.image, "--firmware", sb.firmware, "--tap", "tsvtapmq"], sb.env, { netns: ns });
    expect(r2.exitCode).toBe(2);
    expect(r2.stderr).toContain("TAP tsvtapmq was created with multi_queue, which 2 network queues (1 pairs) cannot attach to");
    expect(recorded(sb)).toBeNull();
  });

  it("run inside a named namespace, the setup command it names works there (--netns)", async () => {
    const r = await tsion(["vm", "run", sb.image, "--firmware", sb.firmware], sb.env, { netns: ns });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`TAP tap0 (from the network model) does not exist: create it with \`tsion net setup --netns ${ns}\``);
  });

  it("a TUN device is not a TAP", async () => {
    const r = await tsion(["vm", "run", sb.image, "--firmware", sb.firmware, "--tap", "tsvtun0"], sb.env, { netns: ns });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("tsvtun0 is a TUN device (IP packets); a VM needs a TAP (Ethernet frames)");
  });

  it("QEMU on the TAP: -netdev tap,ifname=,script=no,downscript=no", async () => {
    const r = await tsion(["vm", "run", sb.image, "--hypervisor", "qemu", "--net", "tap", "--tap", "tsvtap0", "--nic", "virtio", "--firmware", sb.firmware, "--log", sb.log], sb.env, { netns: ns });
    expect(r.exitCode, r.stderr).toBe(0);
    const a = recorded(sb)!.argv;
    expect(after(a, "-netdev")).toBe("tap,id=net0,ifname=tsvtap0,script=no,downscript=no");
    expect(a).toContain("virtio-net-pci,netdev=net0,mac=52:54:00:12:34:56,romfile=");
    expect(a).not.toContain("hostfwd");
  });
});
