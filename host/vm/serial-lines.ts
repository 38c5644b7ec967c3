/**
 * Serial console bytes → timestamped lines.
 *
 * A line's time is when its first byte arrived. A line ends at "\n" (one
 * trailing "\r" is dropped: consoles send "\r\n"). Text that stays without a
 * newline (a login prompt) is committed as a line once the console has been
 * silent for IDLE_COMMIT_SECONDS, so it shows up in the log and the timeline;
 * whatever follows starts a new line. Lines are committed exactly once, so
 * the live timeline and one rebuilt from the saved log see the same lines.
 */

/** Silence after which an unterminated line is committed. */
export const IDLE_COMMIT_SECONDS = 0.2;

export interface SerialLine {
  /** Seconds since the hypervisor started, when the line's first byte arrived. */
  t: number;
  /** The line as received, without "\n" and without one trailing "\r". */
  text: string;
}

export class LineAssembler {
  private readonly decoder = new TextDecoder("utf-8", { fatal: false });
  private pending = "";
  private pendingSince = 0;
  private lastByteAt = 0;

  constructor(private readonly onLine: (line: SerialLine) => void) {}

  /** Bytes that arrived at time `t`. */
  push(chunk: Uint8Array, t: number): void {
    const text = this.decoder.decode(chunk, { stream: true });
    if (text === "") return;
    this.lastByteAt = t;
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      const piece = text.slice(start, nl < 0 ? undefined : nl);
      if (piece !== "" || nl >= 0) {
        if (this.pending === "") this.pendingSince = t;
        this.pending += piece;
      }
      if (nl < 0) break;
      this.commit();
      start = nl + 1;
    }
  }

  /** Commit an unterminated line once the console has been quiet long enough. */
  tick(now: number): void {
    if (this.pending !== "" && now - this.lastByteAt >= IDLE_COMMIT_SECONDS) this.commit();
  }

  /** End of the stream: commit whatever is left. */
  end(): void {
    const rest = this.decoder.decode();
    if (rest !== "") {
      if (this.pending === "") this.pendingSince = this.lastByteAt;
      this.pending += rest;
    }
    if (this.pending !== "") this.commit();
  }

  private commit(): void {
    const text = this.pending.endsWith("\r") ? this.pending.slice(0, -1) : this.pending;
    this.pending = "";
    this.onLine({ t: this.pendingSince, text });
  }
}

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), character set selection (ESC ( B), two-byte escapes.
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()*+][0-9A-Za-z]|\x1b[@-Z\\-_]/g;

/** The visible text of a console line: escape sequences and other control characters removed. */
export function visibleText(line: string): string {
  return line.replace(ESCAPES, "").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");
}
