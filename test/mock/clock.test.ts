// Virtual and real clocks: event order, events during sleeps, timeline.
import { describe, expect, it } from "vitest";
import { RealClock, Timeline, VirtualClock } from "../../runtime-shims/mock/clock.ts";

describe("VirtualClock", () => {
  it("fires events in time order (ties in scheduling order) at their own time, during sleeps", () => {
    const c = new VirtualClock();
    const seen: string[] = [];
    c.schedule(2, "b", () => seen.push(`b@${c.now()}`));
    c.schedule(1, "a", () => seen.push(`a@${c.now()}`));
    c.schedule(2, "c", () => {
      seen.push(`c@${c.now()}`);
      c.schedule(2.5, "d", () => seen.push(`d@${c.now()}`)); // events may schedule events
    });
    c.sleep(0.5);
    expect(seen).toEqual([]);
    c.sleep(2);
    expect(seen).toEqual(["a@1", "b@2", "c@2", "d@2.5"]);
    expect(c.now()).toBe(2.5);
    expect(c.pending()).toEqual([]);
  });
  it("fires events at time 0 on pump, and does not drift with fractional sleeps", () => {
    const c = new VirtualClock();
    let fired = false;
    c.schedule(0, "zero", () => (fired = true));
    c.pump();
    expect(fired).toBe(true);
    for (let i = 0; i < 10; i++) c.sleep(0.1);
    expect(c.now()).toBe(1);
    c.sleep(-3);
    expect(c.now()).toBe(1);
  });
  it("timeline records event times and finds the first of a kind", () => {
    const c = new VirtualClock();
    const t = new Timeline(c);
    c.schedule(3, "x", () => t.record("addr", "10.0.2.15/24"));
    t.record("start");
    c.sleep(5);
    t.record("addr", "10.0.2.16/24");
    expect(t.first("addr")).toBe(3);
    expect(t.first("addr", (d) => d.startsWith("10.0.2.16"))).toBe(5);
    expect(t.first("nope")).toBeNull();
  });
});

describe("RealClock", () => {
  it("really sleeps and fires due events by wall time", () => {
    const c = new RealClock();
    let at = -1;
    c.schedule(0.05, "e", () => (at = c.now()));
    const t0 = performance.now();
    c.sleep(0.12);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
    expect(at).toBeGreaterThanOrEqual(0.05);
    expect(at).toBeLessThan(0.12);
  });
});
