/**
 * The hypervisor command lines, as argument arrays (never a shell string).
 * Pure: the same config and paths always give the same argv, which is what
 * `--dry-run` prints and what the fake-hypervisor tests record.
 */
import type { VmConfig } from "./options.ts";

/** Files of one VM run (inside its per-VM directory). */
export interface VmPaths {
  /** The writable copy of the disk image, or null without an image. */
  disk: string | null;
  /** Where Cloud Hypervisor writes the serial console in file mode. */
  serialFile: string;
}

export function commandLine(c: VmConfig, p: VmPaths): string[] {
  return [c.binary, ...(c.hypervisor === "ch" ? cloudHypervisorArgs(c, p) : qemuArgs(c, p)), ...c.extraArgs];
}

/** Cloud Hypervisor: the earlier runner's flags, serial to a file unless interactive. */
function cloudHypervisorArgs(c: VmConfig, p: VmPaths): string[] {
  const a: string[] = [];
  if (c.kernel !== null) {
    a.push("--kernel", c.kernel);
    if (c.initrd !== null) a.push("--initramfs", c.initrd);
    if (c.append !== null) a.push("--cmdline", c.append);
  } else if (c.firmware !== null) {
    a.push("--firmware", c.firmware);
  }
  if (p.disk !== null) a.push("--disk", `path=${p.disk}${c.directIo ? ",direct=on" : ""}`);
  a.push("--cpus", `boot=${c.cpus}`);
  a.push("--memory", `size=${c.memory}${c.hugepages ? ",hugepages=on" : ""}`);
  // One PCI segment with a larger 32-bit MMIO window, as the earlier runners booted Redox.
  a.push("--platform", "num_pci_segments=1", "--pci-segment", "pci_segment=0,mmio32_aperture_weight=4");
  if (c.net === "tap") a.push("--net", `tap=${c.tap},mac=${c.mac},num_queues=${c.queues},queue_size=${c.queueSize}`);
  a.push("--serial", c.serial === "tty" ? "tty" : `file=${p.serialFile}`);
  a.push("--console", "off");
  if (c.apiSocket !== null) a.push("--api-socket", `path=${c.apiSocket}`);
  return a;
}

/**
 * QEMU: no VGA device (with one, Redox's bootloader waits at its resolution
 * picker), no display, serial on stdio (tsion reads it from the pipe).
 */
function qemuArgs(c: VmConfig, p: VmPaths): string[] {
  const a: string[] = ["-name", "tsion-vm", "-M", "q35"];
  if (c.accel === "kvm") a.push("-accel", "kvm", "-cpu", "host");
  else a.push("-accel", "tcg", "-cpu", "max");
  a.push("-smp", String(c.cpus), "-m", c.memory);
  if (c.firmware !== null) a.push("-bios", c.firmware);
  if (c.kernel !== null) {
    a.push("-kernel", c.kernel);
    if (c.initrd !== null) a.push("-initrd", c.initrd);
    if (c.append !== null) a.push("-append", c.append);
  }
  if (p.disk !== null) a.push("-drive", `file=${p.disk},format=raw,if=none,id=disk0`, "-device", "virtio-blk-pci,drive=disk0");
  // No option ROM (romfile=): it is for network boot, which a VM here never does.
  const device = `${c.nic === "virtio" ? "virtio-net-pci" : "e1000"},netdev=net0,mac=${c.mac},romfile=`;
  if (c.net === "user") {
    const fwd = c.forwards.map((f) => `,hostfwd=tcp::${f.hostPort}-:${f.guestPort}`).join("");
    a.push("-netdev", `user,id=net0${fwd}`, "-device", device);
  } else if (c.net === "tap") {
    a.push("-netdev", `tap,id=net0,ifname=${c.tap},script=no,downscript=no`, "-device", device);
  } else {
    a.push("-nic", "none");
  }
  a.push("-vga", "none", "-display", "none");
  // Interactive runs get the monitor too (Ctrl-A X quits, Ctrl-A C switches).
  a.push("-serial", c.interactive ? "mon:stdio" : "stdio");
  if (c.mode === "test") a.push("-no-reboot");
  return a;
}

/** One argument as a POSIX shell word (for --dry-run output a user can paste). */
export function shellWord(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function shellLine(argv: string[]): string {
  return argv.map(shellWord).join(" ");
}
