/**
 * `tsion vm run | test | timeline` on the command line (docs/vm.md). The
 * actions live in commands.ts and are loaded only when a vm command runs.
 */
import { Command, Option } from "commander";
import { DEFAULTS, ENV } from "./defaults.ts";
import type { Flags } from "./commands.ts";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function vmOptions(cmd: Command, mode: "run" | "test"): Command {
  cmd
    .argument("[image]", "Redox disk image (copied; the original is never written)")
    .addOption(new Option("--hypervisor <name>", "cloud hypervisor or QEMU").choices(["ch", "qemu"]).default("ch"))
    .option("--hypervisor-bin <path>", `hypervisor executable (env ${ENV.chBin} / ${ENV.qemuBin}; default: cloud-hypervisor / qemu-system-x86_64 on PATH)`)
    .option("--firmware <file>", `UEFI firmware (env ${ENV.chFirmware} / ${ENV.qemuFirmware}; QEMU default: OVMF from the ovmf package)`)
    .option("--kernel <file>", "boot this kernel directly instead of firmware + disk")
    .option("--initrd <file>", "initramfs for --kernel")
    .option("--append <cmdline>", "kernel command line for --kernel")
    .option("--cpus <n>", `vCPUs (env ${ENV.cpus}; default ${DEFAULTS.cpus})`)
    .option("--memory <size>", `memory, e.g. 2048M or 2G (env ${ENV.memory}; default ${DEFAULTS.memory})`)
    .addOption(new Option("--net <mode>", "network: tap (default for ch), user (QEMU's own NAT, default for qemu), none").choices(["tap", "user", "none"]))
    .option("--vm <name>", "the VM in the network model whose TAP, MAC and queues to use (default: default)")
    .option("-c, --config <file>", "network configuration (as for tsion net; default $TSION_NET_CONFIG)")
    .option("--state-dir <dir>", "tsion net's state directory (as for tsion net)")
    .option("--tap <name>", `TAP device (default: the VM's in the network model, which reads ${ENV.tap})`)
    .option("--mac <mac>", `guest MAC (default: the VM's in the network model, which reads ${ENV.mac})`)
    .option("--queues <n>", `virtio-net queues, 2 per pair (env ${ENV.queues}; default: 2 per TAP queue pair of the network model)`)
    .option("--queue-size <n>", `virtio-net queue size (env ${ENV.queueSize}; default ${DEFAULTS.queueSize})`)
    .addOption(new Option("--nic <model>", "QEMU network card (default e1000; virtio for Cloud Hypervisor)").choices(["e1000", "virtio"]))
    .addOption(new Option("--accel <accel>", "QEMU accelerator (default kvm)").choices(["kvm", "tcg"]))
    .option("--ssh-port <port>", `QEMU user network: host port forwarded to the guest's 22 (env ${ENV.sshPort}; default ${DEFAULTS.sshPort}; 0 = none)`)
    .option("--http-port <port>", `QEMU user network: host port forwarded to the guest's 80 (env ${ENV.httpPort}; default ${DEFAULTS.httpPort}; 0 = none)`)
    .option("-X, --hypervisor-arg <arg>", "one more argument for the hypervisor (repeatable)", collect, [] as string[])
    .option("--log <file>", `timestamped serial log (default ./${DEFAULTS.log})`)
    .option("--profile <name|file>", `boot milestones (default ${DEFAULTS.profile})`)
    .option("--json", "print the timeline as JSON (the console then goes to stderr)")
    .option("-q, --quiet", "do not echo the guest's console")
    .option("--dry-run", "print the hypervisor command line and exit");
  if (mode === "run") cmd.option("--interactive", "Cloud Hypervisor: console input from this terminal (--serial tty; it can drop keystrokes)");
  if (mode === "test") cmd.option("--timeout <seconds>", `give up waiting for TSION_CHECKS_DONE (env ${ENV.timeout}; default ${DEFAULTS.testTimeout})`);
  return cmd;
}

/** Adds `tsion vm` to the program; actions report their exit status through `setStatus`. */
export function registerVm(program: Command, setStatus: (status: number) => void = (s) => (process.exitCode = s)): void {
  const vm = program.command("vm").description("run a Redox VM (Cloud Hypervisor or QEMU), its boot timeline and in-guest checks (docs/vm.md)");
  vmOptions(vm.command("run").description("boot IMAGE; the console goes to the terminal and the timestamped log; the timeline is printed at the end"), "run").action(
    async (image: string | undefined, flags: Flags) => setStatus(await (await import("./commands.ts")).vmCommand("run", image, flags)),
  );
  vmOptions(
    vm.command("test").description("boot IMAGE, wait for the in-guest checks (TSION_CHECK lines, then TSION_CHECKS_DONE), print them and the timeline; exit 1 on a FAIL or a timeout"),
    "test",
  ).action(async (image: string | undefined, flags: Flags) => setStatus(await (await import("./commands.ts")).vmCommand("test", image, flags)));
  vm.command("timeline")
    .description("the boot timeline (and checks) of a saved serial log written by vm run / vm test")
    .argument("<log>", "timestamped serial log")
    .option("--profile <name|file>", `boot milestones (default ${DEFAULTS.profile})`)
    .option("--json", "as JSON")
    .action(async (file: string, flags: { profile?: string; json?: boolean }) => setStatus((await import("./commands.ts")).timelineCommand(file, flags)));
}
