/**
 * The in-guest self-test protocol, as the host reads it from the serial
 * console:
 *
 *   TSION_CHECK:<name>:PASS:<reason>
 *   TSION_CHECK:<name>:FAIL:<reason>
 *   TSION_CHECKS_DONE
 *
 * guest-scripts/netcheck.ts prints it (and so does the stand-in test guest's
 * shell script). Lines are searched anywhere in a console line: init may
 * prefix what a unit prints, and the console may interleave escape codes.
 */

export type CheckStatus = "PASS" | "FAIL";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  reason: string;
  /** Seconds since the hypervisor started. */
  at: number;
}

const CHECK = /TSION_CHECK:([A-Za-z0-9_.-]+):(PASS|FAIL)(?::(.*))?$/;
const DONE = "TSION_CHECKS_DONE";

/** A check line in `text` (visible text of one console line), or null. */
export function parseCheckLine(text: string, at: number): CheckResult | null {
  const m = CHECK.exec(text);
  if (!m) return null;
  return { name: m[1]!, status: m[2] as CheckStatus, reason: (m[3] ?? "").trim(), at };
}

export function isDoneLine(text: string): boolean {
  return text.includes(DONE);
}

export interface CheckSummary {
  passed: number;
  failed: number;
  /** Every check passed, at least one ran, and the done line was seen. */
  ok: boolean;
}

export function summarize(checks: CheckResult[], done: boolean): CheckSummary {
  const failed = checks.filter((c) => c.status === "FAIL").length;
  const passed = checks.length - failed;
  return { passed, failed, ok: done && failed === 0 && checks.length > 0 };
}
