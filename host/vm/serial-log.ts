/**
 * The timestamped serial log that `vm run` / `vm test` write and
 * `vm timeline` reads back:
 *
 *   # tsion serial log: started 2026-01-01T10:00:00.000Z; cloud-hypervisor; profile redox
 *   +0.412 Redox OS Bootloader 1.0.0 on x86_64/UEFI
 *   +0.901 kernel::arch::x86_shared::start:INFO -- Redox OS starting...
 *   # hypervisor exited with status 0
 *
 * One serial line per log line: "+" seconds since the hypervisor started
 * (when the line's first byte arrived), one space, the line as received
 * (escape codes kept). Lines starting with "#" are tsion's own notes.
 */
import * as fs from "node:fs";
import type { SerialLine } from "./serial-lines.ts";

export const LOG_HEADER = "# tsion serial log";

export class SerialLogWriter {
  private fd: number | null;

  /** Creates (truncates) `file`; throws the fs error when it cannot. */
  constructor(
    readonly file: string,
    header: string,
  ) {
    this.fd = fs.openSync(file, "w", 0o644);
    this.write(`${LOG_HEADER}: ${header}\n`);
  }

  line(l: SerialLine): void {
    this.write(`+${l.t.toFixed(3)} ${l.text}\n`);
  }

  note(text: string): void {
    this.write(`# ${text}\n`);
  }

  close(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
  }

  private write(s: string): void {
    if (this.fd !== null) fs.writeSync(this.fd, s);
  }
}

export class SerialLogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SerialLogError";
  }
}

const LINE = /^\+(\d+(?:\.\d+)?)(?: (.*))?$/;

/** The serial lines of a saved log; the first malformed line is an error naming file and line. */
export function parseSerialLog(text: string, file: string): SerialLine[] {
  const rows = text.split("\n");
  if (rows.at(-1) === "") rows.pop();
  if (rows.length > 0 && !rows[0]!.startsWith(LOG_HEADER)) {
    throw new SerialLogError(
      `${file}:1: not a tsion serial log (it starts with '${LOG_HEADER}'); a raw console capture has no timestamps to build a timeline from`,
    );
  }
  const lines: SerialLine[] = [];
  rows.forEach((row, i) => {
    if (row.startsWith("#")) return;
    const m = LINE.exec(row);
    if (!m) throw new SerialLogError(`${file}:${i + 1}: expected '+SECONDS TEXT' or a '#' note, found '${row.slice(0, 60)}'`);
    lines.push({ t: Number(m[1]), text: m[2] ?? "" });
  });
  return lines;
}
