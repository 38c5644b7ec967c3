/**
 * Shared by the vm tests: a sandbox directory per test (fake hypervisors on
 * PATH, a stand-in /dev/kvm, a disk image, the per-VM parent directory),
 * running `tsion vm …` as a real process, and reading what the fake recorded.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { execa, type ResultPromise } from "execa";
import { isAlive } from "../../host/processes.ts";

export { isAlive };

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const bin = path.join(repoRoot, "bin", "tsion.mjs");
export const FAKE = path.join(repoRoot, "test", "vm", "fake-hypervisor", "fake-hypervisor.mjs");
export const FIXTURES = path.join(repoRoot, "test", "vm", "fixtures");

export interface Sandbox {
  dir: string;
  binDir: string;
  /** The disk image handed to vm (1 MiB, recognisable content). */
  image: string;
  firmware: string;
  kvm: string;
  /** TSION_VM_DIR: where per-VM directories appear (and must disappear). */
  vmParent: string;
  record: string;
  log: string;
  /** Environment for tsion: fakes first on PATH, the stand-in KVM device, the VM parent. */
  env: Record<string, string>;
  remove(): void;
}

export const IMAGE_BYTES = Buffer.concat([Buffer.from("redox-test-image\n"), Buffer.alloc(1024 * 1024 - 17, 0x5a)]);

export function makeSandbox(): Sandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-vm-test-"));
  const binDir = path.join(dir, "bin");
  fs.mkdirSync(binDir);
  for (const name of ["cloud-hypervisor", "qemu-system-x86_64"]) fs.symlinkSync(FAKE, path.join(binDir, name));
  const image = path.join(dir, "redox.img");
  fs.writeFileSync(image, IMAGE_BYTES);
  const firmware = path.join(dir, "CLOUDHV.fd");
  fs.writeFileSync(firmware, "firmware");
  const kvm = path.join(dir, "kvm");
  fs.writeFileSync(kvm, "");
  const vmParent = path.join(dir, "vms");
  fs.mkdirSync(vmParent);
  const record = path.join(dir, "record.json");
  const log = path.join(dir, "serial.log");
  const env: Record<string, string> = {
    PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
    TSION_KVM_DEVICE: kvm,
    TSION_VM_DIR: vmParent,
    FAKE_HV_RECORD: record,
    NO_COLOR: "1",
  };
  return { dir, binDir, image, firmware, kvm, vmParent, record, log, env, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The environment variables of the runner scripts, cleared so the machine's own cannot leak in. */
const RUNNER_ENV = ["CH_CPUS", "CH_MEMORY", "CH_HUGEPAGES", "CH_DIRECT_IO", "CH_NET_QUEUES", "CH_NET_QUEUE_SIZE", "TAP_NAME", "GUEST_MAC", "REDOX_SSH_PORT", "REDOX_HTTP_PORT", "CH_FIRMWARE", "QEMU_FIRMWARE", "CH_BIN", "QEMU_BIN", "VM_TEST_TIMEOUT", "NETWORK_TEST_TIMEOUT", "BOOT_TEST_TIMEOUT"];

export interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function cleanEnv(extra: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of RUNNER_ENV) delete env[k];
  return { ...env, ...extra };
}

/** `tsion ARGS` as a process (optionally inside a network namespace). */
export function spawnTsion(args: string[], env: Record<string, string>, opts: { netns?: string; cwd?: string } = {}): ResultPromise {
  const argv = opts.netns ? ["ip", "netns", "exec", opts.netns, process.execPath, bin, ...args] : [process.execPath, bin, ...args];
  return execa(argv[0]!, argv.slice(1), { env: cleanEnv(env), extendEnv: false, reject: false, cwd: opts.cwd ?? repoRoot, timeout: 120_000, stripFinalNewline: false });
}

export async function tsion(args: string[], env: Record<string, string>, opts: { netns?: string; cwd?: string } = {}): Promise<Run> {
  const r = await spawnTsion(args, env, opts);
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

export interface Recorded {
  argv: string[];
  pid: number;
  disk: string | null;
  diskExisted: boolean;
  diskWritable: boolean;
  stdinIsTty: boolean;
  /** `stty -a` of its terminal, or null without one. */
  stty: string | null;
}

export function recorded(sb: Sandbox): Recorded | null {
  return fs.existsSync(sb.record) ? (JSON.parse(fs.readFileSync(sb.record, "utf8")) as Recorded) : null;
}

/** Per-VM directories still present. */
export function vmDirs(sb: Sandbox): string[] {
  return fs.readdirSync(sb.vmParent);
}

/** The value after `flag` in an argv. */
export function after(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

export async function waitFor(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
