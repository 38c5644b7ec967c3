/**
 * Clocks for the mocked Redox. Scenario events (a NIC appears, netstack
 * registers netcfg, a DHCP lease lands, ...) are scheduled on the clock and
 * fire in time order as it passes them.
 *
 * - VirtualClock: `sleep` advances simulated time instantly (tests, CI).
 * - RealClock: time is the wall clock since start; `sleep` really sleeps and
 *   due events fire whenever the mock is touched (`tsion sim --clock real`).
 */

export interface Clock {
  /** Seconds since the guest program started. */
  now(): number;
  /** Block for `seconds`, firing every event that falls due meanwhile. */
  sleep(seconds: number): void;
  /** Run `fire` once when the clock reaches `time` (immediately at the next pump if already past). */
  schedule(time: number, name: string, fire: () => void): void;
  /** Fire every event whose time has come. */
  pump(): void;
  /** Names and times of events not yet fired. */
  pending(): { time: number; name: string }[];
}

interface Scheduled {
  time: number;
  seq: number;
  name: string;
  fire: () => void;
}

abstract class EventQueue {
  private queue: Scheduled[] = [];
  private seq = 0;
  private firing = false;

  abstract now(): number;

  schedule(time: number, name: string, fire: () => void): void {
    this.queue.push({ time, seq: this.seq++, name, fire });
    this.queue.sort((a, b) => a.time - b.time || a.seq - b.seq);
  }

  pending(): { time: number; name: string }[] {
    return this.queue.map(({ time, name }) => ({ time, name }));
  }

  protected nextTime(): number | undefined {
    return this.queue[0]?.time;
  }

  /** Fire events due at or before `limit`; `setTime` moves the clock to each event's time first. */
  protected fireUntil(limit: number, setTime?: (t: number) => void): void {
    if (this.firing) return; // an event's own actions never re-enter the queue
    this.firing = true;
    try {
      while (this.queue.length > 0 && this.queue[0]!.time <= limit) {
        const ev = this.queue.shift()!;
        setTime?.(Math.max(ev.time, this.now()));
        ev.fire();
      }
    } finally {
      this.firing = false;
    }
  }
}

export class VirtualClock extends EventQueue implements Clock {
  private t = 0;

  now(): number {
    return this.t;
  }

  sleep(seconds: number): void {
    // rounded to the nanosecond so that repeated fractional sleeps do not drift (0.1 * 10 = 1)
    const target = Math.round((this.t + (seconds > 0 ? seconds : 0)) * 1e9) / 1e9;
    this.fireUntil(target, (t) => (this.t = t));
    this.t = Math.max(this.t, target);
  }

  pump(): void {
    this.fireUntil(this.t);
  }
}

export class RealClock extends EventQueue implements Clock {
  private readonly start = performance.now();

  now(): number {
    return (performance.now() - this.start) / 1000;
  }

  sleep(seconds: number): void {
    const target = this.now() + (seconds > 0 ? seconds : 0);
    for (;;) {
      this.pump();
      const remaining = target - this.now();
      if (remaining <= 0) break;
      const next = this.nextTime();
      const wait = next === undefined ? remaining : Math.min(remaining, Math.max(0, next - this.now()));
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(1, wait * 1000));
    }
    this.pump();
  }

  pump(): void {
    this.fireUntil(this.now());
  }
}

/** What happened and when, for timing expectations. */
export interface TimelineEntry {
  time: number;
  event: string;
  detail: string;
}

export class Timeline {
  readonly entries: TimelineEntry[] = [];

  constructor(private readonly clock: { now(): number }) {}

  record(event: string, detail = ""): void {
    this.entries.push({ time: this.clock.now(), event, detail });
  }

  /** Time of the first entry named `event` (optionally matching `detail`), or null. */
  first(event: string, detail?: (d: string) => boolean): number | null {
    const e = this.entries.find((x) => x.event === event && (!detail || detail(x.detail)));
    return e ? e.time : null;
  }
}
