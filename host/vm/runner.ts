/**
 * One VM run: per-VM directory and image copy, the hypervisor process, its
 * serial console (to the terminal, to the timestamped log, through the
 * timeline), and the way out. tsion stays the hypervisor's parent (it never
 * execs it), so the cleanup runs however the run ends: the guest stops, the
 * hypervisor fails, `vm test` is done or times out, or tsion gets SIGINT,
 * SIGTERM or SIGHUP.
 */
import * as fs from "node:fs";
import { performance } from "node:perf_hooks";
import { execa, type ResultPromise } from "execa";
import { commandLine } from "./command-line.ts";
import { FileTail } from "./file-tail.ts";
import type { VmConfig } from "./options.ts";
import type { BootProfile } from "./profile.ts";
import { SerialLogWriter } from "./serial-log.ts";
import { LineAssembler } from "./serial-lines.ts";
import { BootTimeline, type TimelineReport } from "./timeline.ts";
import { supportsDirectIo, VmDir } from "./vm-dir.ts";

/** How often the serial file is read and an unterminated line checked for idleness. */
const POLL_MS = 25;
/** After SIGTERM, how long the hypervisor gets before SIGKILL. */
const KILL_GRACE_MS = 3000;
const STDERR_TAIL_BYTES = 4096;

export type StopReason = "hypervisor-exited" | "checks-done" | "timeout" | "signal";

export interface VmOutcome {
  report: TimelineReport;
  stoppedBy: StopReason;
  /** The hypervisor's own exit (code, or the signal that ended it). */
  exitCode: number | null;
  exitSignal: string | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
  argv: string[];
  vmDir: string;
  /** Wall-clock seconds from the hypervisor's start to its end. */
  seconds: number;
}

export interface VmStreams {
  /** Where the guest's console is echoed (null: not echoed). */
  console: NodeJS.WritableStream | null;
  /** tsion's own progress notes and the hypervisor's stderr. */
  notes: NodeJS.WritableStream;
}

/** The run could not start (after the preflight checks passed). */
export class VmStartError extends Error {}

/** A signal arrived before the hypervisor was started. */
export class VmInterrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
  }
}

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** Save and change the terminal with stty (keeps Ctrl-C working, unlike Node's raw mode). */
async function stty(args: string[]): Promise<string | null> {
  const r = await execa("stty", args, { stdin: "inherit", reject: false });
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

export async function runVm(c: VmConfig, firmware: string | null, profile: BootProfile, streams: VmStreams): Promise<VmOutcome> {
  let signal: NodeJS.Signals | null = null;
  let child: ResultPromise | null = null;
  let wake: () => void = () => {};
  const onSignal = (s: NodeJS.Signals) => {
    signal ??= s;
    wake();
  };
  for (const s of SIGNALS) process.on(s, onSignal);

  let vmDir: VmDir | null = null;
  // Backstop for a process.exit() somewhere below: the directory still goes.
  const onExit = () => vmDir?.remove();
  process.on("exit", onExit);
  let log: SerialLogWriter | null = null;
  let tail: FileTail | null = null;
  let savedTty: string | null = null;

  try {
    try {
      log = new SerialLogWriter(c.log, `started ${new Date().toISOString()}; ${c.binary}; profile ${profile.name}`);
    } catch (e) {
      throw new VmStartError(`cannot write the serial log ${c.log}: ${(e as Error).message}`);
    }
    for (const d of VmDir.sweepStale(c.vmParent)) streams.notes.write(`tsion: removed ${d}, left by a run that was killed\n`);
    vmDir = VmDir.create(c.vmParent);
    const disk = c.image === null ? null : await vmDir.copyImage(c.image);
    if (signal) throw new VmInterrupted(signal);
    if (disk !== null && c.hypervisor === "ch" && c.directIo && !supportsDirectIo(disk))
      throw new VmStartError(
        `${vmDir.path} does not support direct I/O (tmpfs?), which CH_DIRECT_IO=on needs: set CH_DIRECT_IO=off, or TSION_VM_DIR to a directory on a disk`,
      );
    const serialFile = vmDir.file("serial.log");
    const argv = commandLine({ ...c, firmware }, { disk, serialFile });

    const timeline = new BootTimeline(profile);
    const assembler = new LineAssembler((line) => {
      log?.line(line);
      timeline.add(line);
    });

    if (c.serial === "file") {
      // The hypervisor truncates and appends; following from offset 0 is right either way.
      fs.writeFileSync(serialFile, "");
      tail = new FileTail(serialFile);
    }
    if (c.hypervisor === "ch" && c.interactive) savedTty = await stty(["-g"]).then(async (saved) => ((await stty(["-icanon", "-echo"])) !== null ? saved : null));

    const start = performance.now();
    const now = () => (performance.now() - start) / 1000;
    const consume = (chunk: Uint8Array) => {
      streams.console?.write(chunk);
      assembler.push(chunk, now());
    };

    child = execa(argv[0]!, argv.slice(1), {
      stdin: c.interactive ? "inherit" : "ignore",
      stdout: "pipe",
      stderr: "pipe",
      buffer: false,
      reject: false,
      cleanup: true,
      forceKillAfterDelay: KILL_GRACE_MS,
    });
    let stderrTail = "";
    let stopping = false;
    child.stderr!.on("data", (chunk: Buffer) => {
      // Once tsion stops it, the hypervisor's "terminating on signal" is no news.
      if (!stopping) streams.notes.write(chunk);
      stderrTail = (stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL_BYTES);
    });
    const stdoutEnded = new Promise<void>((resolve) => child!.stdout!.once("close", resolve));
    if (c.serial !== "file") child.stdout!.on("data", consume);
    else child.stdout!.on("data", (chunk: Buffer) => streams.notes.write(chunk));

    let exited = false;
    const finished = child.then((r) => {
      exited = true;
      wake();
      return r;
    });

    let stoppedBy: StopReason = "hypervisor-exited";
    const deadline = c.mode === "test" ? c.timeout : Infinity;
    for (;;) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, POLL_MS);
      });
      if (tail) {
        const bytes = tail.read();
        if (bytes.length > 0) consume(bytes);
      }
      assembler.tick(now());
      if (exited) break;
      if (signal) {
        stoppedBy = "signal";
        break;
      }
      if (c.mode === "test" && timeline.checksDone) {
        stoppedBy = "checks-done";
        break;
      }
      if (now() >= deadline) {
        stoppedBy = "timeout";
        break;
      }
    }
    stopping = !exited;
    if (!exited) child.kill("SIGTERM");
    const result = await finished;
    await stdoutEnded;
    const seconds = now();
    if (tail) {
      const bytes = tail.read();
      if (bytes.length > 0) consume(bytes);
    }
    assembler.end();
    // The guest may power off right after its last line: the checks still finished.
    if (c.mode === "test" && stoppedBy === "hypervisor-exited" && timeline.checksDone) stoppedBy = "checks-done";
    const exitSignal = result.signal ?? null;
    log.note(
      stoppedBy === "hypervisor-exited"
        ? `hypervisor exited (${exitSignal ?? `status ${result.exitCode}`}) after ${seconds.toFixed(3)} s`
        : `tsion stopped the hypervisor (${stoppedBy}) after ${seconds.toFixed(3)} s`,
    );
    return {
      report: timeline.report(),
      stoppedBy: signal ? "signal" : stoppedBy,
      exitCode: result.exitCode ?? null,
      exitSignal,
      signal,
      stderrTail,
      argv,
      vmDir: vmDir.path,
      seconds,
    };
  } finally {
    if (child && child.exitCode === null) {
      child.kill("SIGKILL");
      await child.catch(() => {});
    }
    tail?.close();
    log?.close();
    if (savedTty !== null) await stty([savedTty]);
    vmDir?.remove();
    process.off("exit", onExit);
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}
