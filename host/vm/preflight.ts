/**
 * Everything checked before a VM is started, so a missing piece is one clear
 * message naming the fix, not a hypervisor error after an image copy:
 * the hypervisor binary, the firmware, KVM, the image, the TAP (exists, is a
 * TAP, takes the queue count, is ours), QEMU's forwarded ports.
 * Nothing here changes anything.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import { findExecutable } from "../executables.ts";
import { ioReason } from "../../compiler/src/cli/errors.ts";
import type { VmConfig } from "./options.ts";
import { ENV } from "./options.ts";
import { lookupTap, ownershipProblem, queueProblem } from "./tap.ts";

/** Where QEMU's OVMF build usually is (Debian/Ubuntu ovmf; some distributions' qemu). */
export const QEMU_FIRMWARE_CANDIDATES = ["/usr/share/ovmf/OVMF.fd", "/usr/share/qemu/OVMF.fd"];

/** The KVM device; TSION_KVM_DEVICE points the check elsewhere (tests). */
export function kvmDevice(env: Record<string, string | undefined>): string {
  return env.TSION_KVM_DEVICE || "/dev/kvm";
}

export interface NetworkHints {
  /** How to create `tap`, naming the exact command (e.g. "create it with `sudo tsion net setup`"). */
  createTap(tap: string): string;
  /** The exact command that sets up the VM's network. */
  setupCommand(): string;
}

/** The firmware a disk boot will use: the configured one, or for QEMU the first OVMF found; null when none. */
export function resolveFirmware(c: VmConfig): string | null {
  if (c.firmware !== null || c.kernel !== null) return c.firmware;
  if (c.hypervisor === "qemu") return QEMU_FIRMWARE_CANDIDATES.find((f) => fs.existsSync(f)) ?? null;
  return null;
}

function readable(file: string, what: string, source = ""): string {
  const from = source ? ` (from ${source})` : "";
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return `${what} ${file}${from} is not a regular file`;
    fs.accessSync(file, fs.constants.R_OK);
    return "";
  } catch (e) {
    return `${what} ${file}${from}: ${ioReason(e)}`;
  }
}

function binaryProblem(c: VmConfig, env: Record<string, string | undefined>): string {
  const envName = c.hypervisor === "ch" ? ENV.chBin : ENV.qemuBin;
  if (c.binary.includes("/")) {
    try {
      fs.accessSync(c.binary, fs.constants.X_OK);
      return "";
    } catch {
      return `hypervisor ${c.binary} (from ${c.binarySource}) is missing or not executable`;
    }
  }
  if (findExecutable(c.binary, env.PATH ?? "") !== null) return "";
  const install =
    c.hypervisor === "ch"
      ? "install Cloud Hypervisor (https://github.com/cloud-hypervisor/cloud-hypervisor/releases)"
      : "install QEMU (Debian: apt-get install qemu-system-x86)";
  return `${c.binary} not found on PATH: ${install}, or give its path with --hypervisor-bin or ${envName}`;
}

function firmwareProblem(c: VmConfig, firmware: string | null): string {
  if (c.kernel !== null) return c.firmware === null ? "" : readable(c.firmware, "firmware", c.firmwareSource);
  if (firmware === null) {
    return c.hypervisor === "ch"
      ? `no firmware for Cloud Hypervisor: give --firmware PATH or set ${ENV.chFirmware} to CLOUDHV.fd (edk2's CloudHv build) or hypervisor-fw (rust-hypervisor-firmware)`
      : `no UEFI firmware for QEMU: none of ${QEMU_FIRMWARE_CANDIDATES.join(", ")} exists; install OVMF (Debian: apt-get install ovmf) or give --firmware PATH / ${ENV.qemuFirmware}`;
  }
  return readable(firmware, "firmware", c.firmwareSource || "the default location");
}

function kvmProblem(c: VmConfig, env: Record<string, string | undefined>): string {
  if (c.hypervisor === "qemu" && c.accel !== "kvm") return "";
  const dev = kvmDevice(env);
  const who = c.hypervisor === "ch" ? "Cloud Hypervisor needs KVM" : "--accel kvm needs KVM";
  const instead = c.hypervisor === "ch" ? "--hypervisor qemu --accel tcg" : "--accel tcg";
  if (!fs.existsSync(dev))
    return `${dev} does not exist: ${who}. Enable virtualization (VT-x/AMD-V) in the firmware and load kvm_intel or kvm_amd (nested virtualization inside a VM), or boot without KVM, much slower, with ${instead}`;
  try {
    fs.accessSync(dev, fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    return `${dev}: permission denied: ${who}. Add yourself to its group (usually kvm: sudo usermod -aG kvm $USER, then log in again), or use ${instead}`;
  }
  return "";
}

function tapProblems(c: VmConfig, hints: NetworkHints): string[] {
  if (c.net !== "tap" || c.tap === null) return [];
  const tap = c.tap;
  const found = lookupTap(tap);
  if (found.kind === "missing") return [`TAP ${tap} (from ${c.tapSource}) does not exist: ${hints.createTap(tap)}`];
  const create = `\`${hints.setupCommand()}\``;
  if (found.kind === "not-tun") return [`${tap} exists but is not a TUN/TAP device: choose another name, or remove it and run ${create}`];
  const info = found.info;
  const problems: string[] = [];
  if (!info.isTap) problems.push(`${tap} is a TUN device (IP packets); a VM needs a TAP (Ethernet frames): ${create} creates one`);
  const q = queueProblem(info, c.queues, c.hypervisor);
  if (q) problems.push(`${q} (${create} creates the VM's TAP with the queue pairs of the network model: queues = N for the VM in its configuration)`);
  const own = ownershipProblem(info, process.getuid?.() ?? 0, process.getgroups?.() ?? []);
  if (own) problems.push(own);
  return problems;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "0.0.0.0", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function forwardProblems(c: VmConfig): Promise<string[]> {
  const problems: string[] = [];
  for (const f of c.forwards) {
    if (!(await portFree(f.hostPort))) {
      const envName = f.guestPort === 22 ? ENV.sshPort : ENV.httpPort;
      problems.push(`host port ${f.hostPort} (forwarded to the guest's port ${f.guestPort}) is in use: set ${envName} to a free port, or 0 for no forward`);
    }
  }
  return problems;
}

/** Every problem found (empty: the VM can start). */
export async function preflight(c: VmConfig, env: Record<string, string | undefined>, hints: NetworkHints): Promise<string[]> {
  const firmware = resolveFirmware(c);
  const problems = [
    binaryProblem(c, env),
    firmwareProblem(c, firmware),
    kvmProblem(c, env),
    c.image === null ? "" : readable(c.image, "image"),
    c.kernel === null ? "" : readable(c.kernel, "kernel"),
    c.initrd === null ? "" : readable(c.initrd, "initrd"),
    ...tapProblems(c, hints),
    ...(await forwardProblems(c)),
  ];
  return problems.filter((p) => p !== "");
}
