/**
 * The actions behind `tsion vm run | test | timeline` (registered in cli.ts,
 * loaded only when a vm command runs).
 *
 * Exit status: 0 the guest ran (run) / every check passed (test);
 * 1 the hypervisor failed, a check failed, or the checks never finished;
 * 2 usage or environment errors found before anything started
 * (missing TAP, firmware, hypervisor, /dev/kvm...); 128+N after signal N.
 */
import * as fs from "node:fs";
import { CliError } from "../../compiler/src/cli/errors.ts";
import { commandLine, shellLine } from "./command-line.ts";
import { summarize } from "./checks.ts";
import { VmNetworkModel } from "./network.ts";
import { DEFAULTS, resolveConfig, type VmConfig, type VmFlags } from "./options.ts";
import { preflight, resolveFirmware } from "./preflight.ts";
import { loadProfile, ProfileError, type BootProfile } from "./profile.ts";
import { runVm, VmInterrupted, VmStartError, type VmOutcome } from "./runner.ts";
import { parseSerialLog, SerialLogError } from "./serial-log.ts";
import { BootTimeline, renderTimeline, timelineJson } from "./timeline.ts";

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

function profileOrUsage(nameOrFile: string): BootProfile {
  try {
    return loadProfile(nameOrFile);
  } catch (e) {
    if (e instanceof ProfileError) throw new CliError(e.message);
    throw e;
  }
}

export type Flags = VmFlags & { hypervisorArg: string[] };

export async function vmCommand(mode: "run" | "test", image: string | undefined, flags: Flags): Promise<number> {
  const networkHints = new VmNetworkModel({ vm: flags.vm, config: flags.config, stateDir: flags.stateDir });
  const c = resolveConfig(mode, image, flags, flags.hypervisorArg, process.env, () => networkHints.defaults(), { stdinIsTty: process.stdin.isTTY === true });
  const profile = profileOrUsage(c.profile);
  const firmware = resolveFirmware(c);
  if (c.dryRun) {
    const disk = c.image === null ? null : `$VM_DIR/disk${c.image.match(/\.[^./]+$/)?.[0] ?? ".img"}`;
    process.stdout.write(`${shellLine(commandLine({ ...c, firmware }, { disk, serialFile: "$VM_DIR/serial.log" }))}\n`);
    process.stderr.write("tsion: $VM_DIR is the per-VM directory created at start (removed at the end)\n");
    for (const p of await preflight(c, process.env, networkHints)) process.stderr.write(`tsion: note: a real run would stop here: ${p}\n`);
    return 0;
  }
  const problems = await preflight(c, process.env, networkHints);
  if (problems.length === 1) throw new CliError(problems[0]!);
  if (problems.length > 1) throw new CliError(`cannot start the VM:\n${problems.map((p) => `  - ${p}`).join("\n")}`);

  const consoleStream = c.quiet ? null : c.json ? process.stderr : process.stdout;
  let outcome: VmOutcome;
  try {
    outcome = await runVm(c, firmware, profile, { console: consoleStream, notes: process.stderr });
  } catch (e) {
    if (e instanceof VmInterrupted) return 128 + (SIGNAL_NUMBERS[e.signal] ?? 0);
    if (e instanceof VmStartError) throw new CliError(e.message);
    throw e;
  }
  return report(c, outcome);
}

function report(c: VmConfig, o: VmOutcome): number {
  const r = o.report;
  const checks = summarize(r.checks, r.checksDoneAt !== null);
  const hvName = o.argv[0]!.split("/").pop()!;
  let status = 0;
  let verdict = "";
  if (o.signal) {
    status = 128 + (SIGNAL_NUMBERS[o.signal] ?? 0);
    verdict = `interrupted by ${o.signal}; the hypervisor was stopped`;
  } else if (c.mode === "test") {
    if (o.stoppedBy === "timeout") verdict = `no TSION_CHECKS_DONE within ${c.timeout} s`;
    else if (o.stoppedBy === "hypervisor-exited") verdict = `${hvName} exited (${o.exitSignal ?? `status ${o.exitCode}`}) before TSION_CHECKS_DONE`;
    else if (checks.failed > 0) verdict = `${checks.failed} of ${r.checks.length} checks failed: ${r.checks.filter((x) => x.status === "FAIL").map((x) => x.name).join(", ")}`;
    else if (r.checks.length === 0) verdict = "TSION_CHECKS_DONE without any TSION_CHECK line";
    status = verdict === "" ? 0 : 1;
  } else if (o.exitCode !== 0) {
    status = 1;
    verdict = `${hvName} exited with ${o.exitSignal ?? `status ${o.exitCode}`}`;
  }
  const hvError = status !== 0 && o.stoppedBy === "hypervisor-exited" ? lastLines(o.stderrTail) : "";
  if (c.json) {
    process.stdout.write(
      timelineJson(r, {
        mode: c.mode,
        ok: status === 0,
        verdict: verdict || "ok",
        stoppedBy: o.stoppedBy,
        hypervisor: { argv: o.argv, exitCode: o.exitCode, exitSignal: o.exitSignal, seconds: Math.round(o.seconds * 1000) / 1000 },
        log: c.log,
      }),
    );
  } else {
    const out = process.stdout;
    if (!c.quiet) out.write("\n");
    out.write(renderTimeline(r, { withChecks: c.mode === "test" }));
    out.write(`serial log: ${c.log}\n`);
  }
  if (verdict !== "") process.stderr.write(`tsion: vm ${c.mode} failed: ${verdict}${hvError ? `\n${hvError}` : ""}\n`);
  else if (c.mode === "test" && !c.json) process.stdout.write(`vm test passed: ${checks.passed} checks\n`);
  return status;
}

function lastLines(text: string, n = 8): string {
  const lines = text.trimEnd().split("\n").filter((l) => l.trim() !== "");
  return lines.slice(-n).map((l) => `  | ${l}`).join("\n");
}

export function timelineCommand(file: string, flags: { profile?: string; json?: boolean }): number {
  const profile = profileOrUsage(flags.profile ?? DEFAULTS.profile);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === "ENOENT" ? "no such file or directory" : (e as Error).message}`);
  }
  let lines;
  try {
    lines = parseSerialLog(text, file);
  } catch (e) {
    if (e instanceof SerialLogError) throw new CliError(e.message);
    throw e;
  }
  const timeline = new BootTimeline(profile);
  for (const l of lines) timeline.add(l);
  const r = timeline.report();
  process.stdout.write(flags.json ? timelineJson(r, { log: file }) : renderTimeline(r));
  return 0;
}

