/**
 * `vm run` / `vm test` options: command-line flags, then the environment
 * variables of the earlier runner scripts, then the network model, then
 * defaults. Everything is validated here, before anything is created or run.
 */
import * as path from "node:path";
import { CliError } from "../../compiler/src/cli/errors.ts";
import { isUnicastMac, parseMac as parseNetMac } from "../net/addresses.ts";

export type Hypervisor = "ch" | "qemu";
export type NetMode = "tap" | "user" | "none";
export type NicModel = "e1000" | "virtio";
export type Accel = "kvm" | "tcg";
/** How the guest's serial console reaches tsion. */
export type SerialMode = "file" | "tty" | "stdio";

export { DEFAULTS, ENV, LEGACY_TIMEOUT_ENV } from "./defaults.ts";
import { DEFAULTS, ENV, LEGACY_TIMEOUT_ENV } from "./defaults.ts";

export const BINARIES: Record<Hypervisor, string> = { ch: "cloud-hypervisor", qemu: "qemu-system-x86_64" };

/** Flags as commander hands them over (all strings). */
export interface VmFlags {
  hypervisor?: string;
  hypervisorBin?: string;
  firmware?: string;
  kernel?: string;
  initrd?: string;
  append?: string;
  cpus?: string;
  memory?: string;
  net?: string;
  tap?: string;
  mac?: string;
  queues?: string;
  queueSize?: string;
  nic?: string;
  accel?: string;
  sshPort?: string;
  httpPort?: string;
  log?: string;
  profile?: string;
  json?: boolean;
  quiet?: boolean;
  interactive?: boolean;
  dryRun?: boolean;
  timeout?: string;
  vm?: string;
  config?: string;
  stateDir?: string;
}

export interface HostForward {
  hostPort: number;
  guestPort: number;
}

/** A fully resolved and validated VM. */
export interface VmConfig {
  mode: "run" | "test";
  hypervisor: Hypervisor;
  /** A name looked up on PATH, or a path. */
  binary: string;
  binarySource: string;
  image: string | null;
  firmware: string | null;
  firmwareSource: string;
  kernel: string | null;
  initrd: string | null;
  append: string | null;
  cpus: number;
  memory: string;
  hugepages: boolean;
  directIo: boolean;
  /** Cloud Hypervisor's API socket (ch-remote pause/resume/snapshot), or null. */
  apiSocket: string | null;
  net: NetMode;
  tap: string | null;
  tapSource: string;
  mac: string;
  queues: number;
  queueSize: number;
  nic: NicModel;
  accel: Accel;
  forwards: HostForward[];
  serial: SerialMode;
  /** The guest's console takes keyboard input from tsion's terminal. */
  interactive: boolean;
  extraArgs: string[];
  log: string;
  profile: string;
  json: boolean;
  quiet: boolean;
  dryRun: boolean;
  /** vm test: seconds to wait for TSION_CHECKS_DONE. */
  timeout: number;
  /** Where the per-VM directory is created. */
  vmParent: string | null;
}

/** What the network model (host/net) says about the VM's NIC. */
export interface NetworkDefaults {
  tap: string;
  mac: string;
  /** virtio-net queues (2 per TAP queue pair). */
  queues: number;
}

type Env = Record<string, string | undefined>;

function usage(message: string): CliError {
  return new CliError(message);
}

function pick(flag: string | undefined, flagName: string, env: Env, envName: string): { value: string; source: string } | null {
  if (flag !== undefined) return { value: flag, source: flagName };
  const v = env[envName];
  if (v !== undefined && v !== "") return { value: v, source: envName };
  return null;
}

function integer(v: { value: string; source: string }, min: number, max: number): number {
  if (!/^\d+$/.test(v.value.trim()) || Number(v.value) < min || Number(v.value) > max)
    throw usage(`${v.source} must be a whole number from ${min} to ${max}, not '${v.value}'`);
  return Number(v.value);
}

function oneOf<T extends string>(v: string | undefined, source: string, allowed: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if (!(allowed as readonly string[]).includes(v)) throw usage(`${source} must be one of ${allowed.join(", ")}, not '${v}'`);
  return v as T;
}

/** 2048M, 2G, 512 (MiB); the result is in the M/G form both hypervisors read. */
export function parseMemory(v: { value: string; source: string }): string {
  const m = /^(\d+)\s*([MG]?)i?B?$/i.exec(v.value.trim());
  if (!m || Number(m[1]) === 0) throw usage(`${v.source} must be a size like 2048M or 2G, not '${v.value}'`);
  const n = Number(m[1]);
  const unit = (m[2] || "M").toUpperCase();
  const mib = unit === "G" ? n * 1024 : n;
  if (mib < 64) throw usage(`${v.source} is ${mib} MiB; a guest needs at least 64 MiB`);
  return `${n}${unit}`;
}

/** A unicast MAC in colon form (hyphens accepted), by the network model's rules. */
export function parseMac(v: { value: string; source: string }): string {
  const mac = parseNetMac(v.value.trim().replaceAll("-", ":"));
  if (mac === null) throw usage(`${v.source} must be a MAC address like 52:54:00:12:34:56, not '${v.value}'`);
  if (!isUnicastMac(mac)) throw usage(`${v.source} ${mac} is not a unicast address (a NIC needs one: first byte even, not all zero)`);
  return mac;
}

function onOff(v: { value: string; source: string } | null, dflt: boolean): boolean {
  if (v === null) return dflt;
  const t = v.value.trim().toLowerCase();
  if (["1", "on", "yes", "true"].includes(t)) return true;
  if (["0", "off", "no", "false"].includes(t)) return false;
  throw usage(`${v.source} must be on or off, not '${v.value}'`);
}

/** Interface names Linux accepts: at most 15 bytes, no '/', no whitespace. */
function parseTap(v: { value: string; source: string }): string {
  if (!/^[A-Za-z0-9_.:-]{1,15}$/.test(v.value) || v.value === "." || v.value === "..")
    throw usage(`${v.source} must be an interface name (1-15 letters, digits, _ . : -), not '${v.value}'`);
  return v.value;
}

export function resolveConfig(
  mode: "run" | "test",
  image: string | undefined,
  flags: VmFlags,
  extraArgs: string[],
  env: Env,
  network: () => NetworkDefaults,
  opts: { stdinIsTty: boolean },
): VmConfig {
  const hypervisor = oneOf(flags.hypervisor, "--hypervisor", ["ch", "qemu"] as const, "ch");
  const binFlag = pick(flags.hypervisorBin, "--hypervisor-bin", env, hypervisor === "ch" ? ENV.chBin : ENV.qemuBin);
  const kernel = flags.kernel === undefined ? null : path.resolve(flags.kernel);
  const initrd = flags.initrd === undefined ? null : path.resolve(flags.initrd);
  if (initrd !== null && kernel === null) throw usage("--initrd needs --kernel");
  if (flags.append !== undefined && kernel === null) throw usage("--append needs --kernel");
  if (image === undefined && kernel === null) throw usage(`vm ${mode} needs a disk IMAGE (or --kernel for a direct kernel boot)`);

  const fwEnv = hypervisor === "ch" ? ENV.chFirmware : ENV.qemuFirmware;
  const fw = pick(flags.firmware, "--firmware", env, fwEnv);

  const cpusV = pick(flags.cpus, "--cpus", env, ENV.cpus);
  const memV = pick(flags.memory, "--memory", env, ENV.memory);
  const net = oneOf(flags.net, "--net", ["tap", "user", "none"] as const, hypervisor === "ch" ? "tap" : "user");
  if (hypervisor === "ch" && net === "user") throw usage("Cloud Hypervisor has no user-mode network: use --net tap (after `tsion net setup`) or --hypervisor qemu");

  const nic = oneOf(flags.nic, "--nic", ["e1000", "virtio"] as const, hypervisor === "ch" ? "virtio" : "e1000");
  if (hypervisor === "ch" && nic !== "virtio") throw usage("Cloud Hypervisor only has virtio network devices (--nic virtio)");
  if (hypervisor === "ch" && flags.accel !== undefined && flags.accel !== "kvm") throw usage("Cloud Hypervisor always uses KVM (--accel applies to QEMU)");
  const accel = oneOf(flags.accel, "--accel", ["kvm", "tcg"] as const, "kvm");

  // The network model is asked only when something comes from it.
  let model: NetworkDefaults | null = null;
  const fromModel = (): NetworkDefaults => (model ??= network());
  const modelSource = (value: string, envName: string) => (env[envName] !== undefined && env[envName] === value ? envName : "the network model");

  let tap: string | null = null;
  let tapSource = "";
  if (net === "tap") {
    tap = flags.tap !== undefined ? parseTap({ value: flags.tap, source: "--tap" }) : fromModel().tap;
    tapSource = flags.tap !== undefined ? "--tap" : modelSource(tap, ENV.tap);
  } else if (flags.tap !== undefined) {
    throw usage(`--tap needs --net tap (the network is '${net}')`);
  }
  const mac = flags.mac !== undefined ? parseMac({ value: flags.mac, source: "--mac" }) : parseMac({ value: fromModel().mac, source: "the network model's MAC" });

  const queuesV = pick(flags.queues, "--queues", env, ENV.queues);
  let queues = 2;
  if (queuesV) {
    queues = integer(queuesV, 2, 128);
    if (queues % 2 !== 0) throw usage(`${queuesV.source} must be even (one receive and one transmit queue per pair), not ${queues}`);
  } else if (net === "tap" && flags.tap === undefined) {
    queues = fromModel().queues;
  }
  if (hypervisor === "qemu" && queues !== 2)
    throw usage(`${queuesV ? queuesV.source : "the network model"} asks for ${queues / 2} queue pairs; QEMU runs here with one (multi-queue is for Cloud Hypervisor)`);
  const queueSizeV = pick(flags.queueSize, "--queue-size", env, ENV.queueSize);
  const queueSize = queueSizeV ? integer(queueSizeV, 2, 32768) : DEFAULTS.queueSize;
  if ((queueSize & (queueSize - 1)) !== 0) throw usage(`${queueSizeV!.source} must be a power of two, not ${queueSize}`);

  const forwards: HostForward[] = [];
  if (hypervisor === "qemu" && net === "user") {
    const ssh = pick(flags.sshPort, "--ssh-port", env, ENV.sshPort);
    const http = pick(flags.httpPort, "--http-port", env, ENV.httpPort);
    const sshPort = ssh ? integer(ssh, 0, 65535) : DEFAULTS.sshPort;
    const httpPort = http ? integer(http, 0, 65535) : DEFAULTS.httpPort;
    if (sshPort !== 0) forwards.push({ hostPort: sshPort, guestPort: 22 });
    if (httpPort !== 0) forwards.push({ hostPort: httpPort, guestPort: 80 });
    if (sshPort !== 0 && sshPort === httpPort) throw usage(`the SSH and HTTP forwards both use host port ${sshPort}`);
  }

  if (flags.interactive && !opts.stdinIsTty) throw usage("--interactive needs a terminal on standard input");
  if (flags.interactive && mode === "test") throw usage("--interactive applies to vm run");
  // QEMU's serial on stdio takes keystrokes reliably, so a terminal makes a run interactive;
  // Cloud Hypervisor's interactive serial (tty) drops keystrokes, so it is opt-in there.
  const interactive = mode === "run" && (flags.interactive === true || (hypervisor === "qemu" && opts.stdinIsTty));
  // Cloud Hypervisor's interactive serial (tty) drops keystrokes; its file output is reliable.
  const serial: SerialMode = hypervisor === "ch" ? (interactive ? "tty" : "file") : "stdio";

  const timeoutV = mode === "test" ? (pick(flags.timeout, "--timeout", env, ENV.timeout) ?? legacyTimeout(env)) : null;
  if (mode === "run" && flags.timeout !== undefined) throw usage("--timeout applies to vm test");

  return {
    mode,
    hypervisor,
    binary: binFlag ? binFlag.value : BINARIES[hypervisor],
    binarySource: binFlag ? binFlag.source : "PATH",
    image: image === undefined ? null : path.resolve(image),
    firmware: fw ? path.resolve(fw.value) : null,
    firmwareSource: fw ? fw.source : "",
    kernel,
    initrd,
    append: flags.append ?? null,
    cpus: cpusV ? integer(cpusV, 1, 254) : DEFAULTS.cpus,
    memory: memV ? parseMemory(memV) : DEFAULTS.memory,
    hugepages: onOff(pick(undefined, "", env, ENV.hugepages), false),
    directIo: onOff(pick(undefined, "", env, ENV.directIo), DEFAULTS.directIo),
    apiSocket: hypervisor === "ch" && env[ENV.apiSocket] ? path.resolve(env[ENV.apiSocket]!) : null,
    net,
    tap,
    tapSource,
    mac,
    queues,
    queueSize,
    nic,
    accel,
    forwards,
    serial,
    interactive,
    extraArgs,
    log: path.resolve(flags.log ?? DEFAULTS.log),
    profile: flags.profile ?? DEFAULTS.profile,
    json: flags.json ?? false,
    quiet: flags.quiet ?? false,
    dryRun: flags.dryRun ?? false,
    timeout: timeoutV ? integer(timeoutV, 1, 86400) : DEFAULTS.testTimeout,
    vmParent: env[ENV.vmDir] ? path.resolve(env[ENV.vmDir]!) : null,
  };
}

function legacyTimeout(env: Env): { value: string; source: string } | null {
  for (const name of LEGACY_TIMEOUT_ENV) {
    const v = env[name];
    if (v !== undefined && v !== "") return { value: v, source: name };
  }
  return null;
}
