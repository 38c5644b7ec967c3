/**
 * The boot timeline: which profile milestones were reached when, and the
 * in-guest check results, from committed serial lines (serial-lines.ts).
 * The same code runs live (vm run / vm test) and on a saved log
 * (vm timeline), so both give the same answer.
 */
import { isDoneLine, parseCheckLine, summarize, type CheckResult } from "./checks.ts";
import type { BootProfile } from "./profile.ts";
import { visibleText, type SerialLine } from "./serial-lines.ts";

export interface MilestoneReport {
  name: string;
  label: string;
  /** Seconds since the hypervisor started; null when never reached. */
  at: number | null;
  /** The visible text of the line that reached it. */
  line: string | null;
}

export interface TimelineReport {
  profile: string;
  milestones: MilestoneReport[];
  checks: CheckResult[];
  /** When TSION_CHECKS_DONE was seen, or null. */
  checksDoneAt: number | null;
  /** Time of the last serial line (null: the console stayed silent). */
  lastLineAt: number | null;
  lines: number;
}

export class BootTimeline {
  private readonly reached = new Map<string, { at: number; line: string }>();
  private readonly checks: CheckResult[] = [];
  private doneAt: number | null = null;
  private lastAt: number | null = null;
  private count = 0;

  constructor(
    readonly profile: BootProfile,
    private readonly onEvent: (event: TimelineEvent) => void = () => {},
  ) {}

  /** Feed one committed line. */
  add(line: SerialLine): void {
    const text = visibleText(line.text);
    this.count++;
    this.lastAt = line.t;
    for (const m of this.profile.milestones) {
      if (!this.reached.has(m.name) && m.matches(text)) {
        this.reached.set(m.name, { at: line.t, line: text.trim() });
        this.onEvent({ kind: "milestone", name: m.name, at: line.t });
      }
    }
    const check = parseCheckLine(text, line.t);
    if (check) {
      this.checks.push(check);
      this.onEvent({ kind: "check", name: check.name, at: line.t });
    } else if (this.doneAt === null && isDoneLine(text)) {
      this.doneAt = line.t;
      this.onEvent({ kind: "done", at: line.t });
    }
  }

  get checksDone(): boolean {
    return this.doneAt !== null;
  }

  report(): TimelineReport {
    return {
      profile: this.profile.name,
      milestones: this.profile.milestones.map((m) => {
        const r = this.reached.get(m.name);
        return { name: m.name, label: m.label, at: r?.at ?? null, line: r?.line ?? null };
      }),
      checks: [...this.checks],
      checksDoneAt: this.doneAt,
      lastLineAt: this.lastAt,
      lines: this.count,
    };
  }
}

export type TimelineEvent =
  | { kind: "milestone"; name: string; at: number }
  | { kind: "check"; name: string; at: number }
  | { kind: "done"; at: number };

function seconds(t: number): string {
  return `${t.toFixed(3)} s`;
}

/** The timeline (and the checks, when there are any or `withChecks`) as text, in the order things happened. */
export function renderTimeline(r: TimelineReport, opts: { withChecks?: boolean } = {}): string {
  const out: string[] = [];
  out.push(`Boot timeline (profile ${r.profile}; seconds since the hypervisor started)`);
  // Reached milestones by time (profile order among equal times), then the others.
  const reached = r.milestones.filter((m) => m.at !== null).sort((a, b) => a.at! - b.at!);
  const rows = [...reached, ...r.milestones.filter((m) => m.at === null)];
  const nameWidth = Math.max(...rows.map((m) => m.name.length), 4);
  const times = rows.map((m) => (m.at === null ? "-" : seconds(m.at)));
  const timeWidth = Math.max(...times.map((t) => t.length));
  let previous: number | null = null;
  rows.forEach((m, i) => {
    const delta = m.at !== null && previous !== null ? `  (+${(m.at - previous).toFixed(3)})` : "";
    const what = m.at === null ? `${m.label}: not reached` : m.label;
    out.push(`  ${times[i]!.padStart(timeWidth)}  ${m.name.padEnd(nameWidth)}  ${what}${delta}`);
    if (m.at !== null) previous = m.at;
  });
  if (r.lines === 0) out.push("  (no serial output)");
  if (r.checks.length > 0 || r.checksDoneAt !== null || opts.withChecks) {
    out.push("", "In-guest checks");
    const w = Math.max(...r.checks.map((c) => c.name.length), 4);
    for (const c of r.checks) out.push(`  ${c.status}  ${c.name.padEnd(w)}  ${c.reason}`);
    const s = summarize(r.checks, r.checksDoneAt !== null);
    const done = r.checksDoneAt === null ? "TSION_CHECKS_DONE never seen" : `done at ${seconds(r.checksDoneAt)}`;
    out.push(`  ${s.passed} passed, ${s.failed} failed; ${done}`);
  }
  return `${out.join("\n")}\n`;
}

/** The report as JSON (stable key order, times in seconds with millisecond precision). */
export function timelineJson(r: TimelineReport, extra: Record<string, unknown> = {}): string {
  const round = (t: number | null) => (t === null ? null : Math.round(t * 1000) / 1000);
  const s = summarize(r.checks, r.checksDoneAt !== null);
  return `${JSON.stringify(
    {
      profile: r.profile,
      milestones: r.milestones.map((m) => ({ ...m, at: round(m.at) })),
      checks: r.checks.map((c) => ({ ...c, at: round(c.at) })),
      checksDoneAt: round(r.checksDoneAt),
      passed: s.passed,
      failed: s.failed,
      lastLineAt: round(r.lastLineAt),
      lines: r.lines,
      ...extra,
    },
    null,
    2,
  )}\n`;
}
