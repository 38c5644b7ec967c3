// sleep() without a sleep program (runtime-shims/runtime/sleep-fallback.ts):
// bounded for any argument, never instant for a positive one (each scheme
// open costs virtual time in the mock), and the Ion helper f_rt_sleep does
// exactly what the Node implementation does.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { MockRedox, SCHEME_OPEN_SECONDS, type MockConfig } from "../../runtime-shims/mock/mock-redox.ts";
import { runIon } from "../../runtime-shims/ion-sim/index.ts";
import { runGuestOnNode } from "../../runtime-shims/node-runner/index.ts";
import { SLEEP_CACHE, SLEEP_FALLBACK, SLEEP_HELPER_ION, sleepFallbackTicks } from "../../runtime-shims/runtime/sleep-fallback.ts";
import type { Host } from "../../runtime-shims/host/types.ts";

const { MAX_TICKS, TICKS_PER_SECOND, OPENS_PER_TICK } = SLEEP_FALLBACK;
const TICK = OPENS_PER_TICK * SCHEME_OPEN_SECONDS;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sleep-fallback-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Exact reference: ceil(decimal × 10^4) with BigInt, capped. */
function reference(text: string): number {
  const m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(text);
  if (!m) return -1;
  const frac = m[2] ?? "";
  const scaled = BigInt(m[1]!) * 10000n + BigInt((frac + "0000").slice(0, 4));
  const up = /[1-9]/.test(frac.slice(4)) ? 1n : 0n;
  const ticks = scaled + up;
  return ticks > BigInt(MAX_TICKS) ? MAX_TICKS : Number(ticks);
}

describe("sleepFallbackTicks", () => {
  it("a tick is OPENS_PER_TICK opens of the calibrated cost: 10 000 ticks make a second", () => {
    expect(TICKS_PER_SECOND * OPENS_PER_TICK * SLEEP_FALLBACK.SECONDS_PER_OPEN).toBeCloseTo(1, 12);
    expect(SLEEP_FALLBACK.MAX_TICKS).toBe(SLEEP_FALLBACK.MAX_SECONDS * TICKS_PER_SECOND);
  });
  it("rounds decimal seconds up to whole ticks of 100 µs and caps at 60 s", () => {
    expect(sleepFallbackTicks("0.2")).toBe(2000);
    expect(sleepFallbackTicks("0.5")).toBe(5000);
    expect(sleepFallbackTicks("1")).toBe(10000);
    expect(sleepFallbackTicks("0.00001")).toBe(1);
    expect(sleepFallbackTicks("0.12345")).toBe(1235);
    expect(sleepFallbackTicks("0.123400000")).toBe(1234);
    expect(sleepFallbackTicks("60")).toBe(MAX_TICKS);
    expect(sleepFallbackTicks("60.0001")).toBe(MAX_TICKS);
    expect(sleepFallbackTicks("61")).toBe(MAX_TICKS);
    expect(sleepFallbackTicks("99999999999999999999999")).toBe(MAX_TICKS);
    expect(sleepFallbackTicks("1e+21")).toBe(MAX_TICKS);
    expect(sleepFallbackTicks("Infinity")).toBe(MAX_TICKS);
    expect(sleepFallbackTicks("1e-7")).toBe(1);
    for (const none of ["0", "0.0", "-1", "-0.5", "NaN", "-Infinity", "", "abc", "1e+", " 1"]) expect(sleepFallbackTicks(none), none).toBe(0);
  });
  it("for any number: bounded, and at least as long as asked (up to the cap), less than one tick more", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: false }), (x) => {
        const text = String(x);
        const ticks = sleepFallbackTicks(text);
        expect(Number.isInteger(ticks) && ticks >= 0 && ticks <= MAX_TICKS).toBe(true);
        if (x > 0) expect(ticks).toBeGreaterThanOrEqual(1); // never instant
        if (x > 0 && /^[0-9.]+$/.test(text)) {
          expect(ticks).toBe(reference(text));
          expect(ticks / TICKS_PER_SECOND).toBeGreaterThanOrEqual(Math.min(x, 60) - 1e-12);
          if (x < 60) expect(ticks / TICKS_PER_SECOND).toBeLessThan(x + 1 / TICKS_PER_SECOND + 1e-12);
        }
        if (!(x > 0)) expect(ticks).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });
});

/** A guest program calling sleep() with these literals, run on the Node backend. */
function onNode(calls: string[], cfg: MockConfig): { mock: MockRedox; status: number } {
  const file = path.join(tmp, `g${Math.random().toString(36).slice(2)}.ts`);
  fs.writeFileSync(file, `import { sleep } from "tsion/runtime";\n${calls.map((c) => `sleep(${c});`).join("\n")}\n`);
  const mock = new MockRedox(cfg);
  const { status } = runGuestOnNode(file, { host: mock, env: { PATH: "/usr/bin" } });
  return { mock, status };
}

/** f_rt_sleep called with these words, run in ion-sim. */
function onIon(words: string[], cfg: MockConfig, host?: (m: MockRedox) => Host): { mock: MockRedox; status: number; stdout: string } {
  const mock = new MockRedox(cfg);
  const src = `${SLEEP_HELPER_ION}\n${words.map((w) => `f_rt_sleep ${w}`).join("\n")}\necho "\${env::${SLEEP_CACHE}}"\nexit 0\n`;
  const { status } = runIon(src, { fileName: "s.ion", env: { PATH: "/usr/bin" }, host: host ? host(mock) : mock });
  return { mock, status, stdout: mock.stdoutText };
}

/** The helper's tick count alone (its delay loop cut off), for arguments too long to wait out in ion-sim. */
function ionTicks(word: string): number {
  const head = SLEEP_HELPER_ION.slice(0, SLEEP_HELPER_ION.indexOf('  while test "${l_i}"'));
  const mock = new MockRedox({ missingCommands: ["sleep"] });
  try {
    runIon(`${head}  echo "\${l_n}"\nend\nf_rt_sleep ${word}\nexit 0\n`, { fileName: "t.ion", env: { PATH: "/usr/bin" }, host: mock });
    return Number(mock.stdoutText.trim());
  } finally {
    mock.dispose();
  }
}

const SLEEPLESS: MockConfig = { missingCommands: ["sleep"] };

describe("sleep() on an image without sleep", () => {
  it("Node: runs no command, and the virtual clock advances by the ticks (0.2 s -> 0.2 s)", () => {
    const { mock, status } = onNode(["0.2", "0.5"], SLEEPLESS);
    try {
      expect(status).toBe(0);
      expect(mock.commandLog).toEqual([]);
      expect(mock.now()).toBeCloseTo(0.7, 9);
      expect(mock.timeline.first("command-not-found")).toBeNull();
    } finally {
      mock.dispose();
    }
  });
  it("Node: any argument returns, within 60 s of virtual time", () => {
    const { mock } = onNode(["Infinity", "1e308", "-5", "NaN", "0"], SLEEPLESS);
    try {
      expect(mock.now()).toBeCloseTo(120, 6);
    } finally {
      mock.dispose();
    }
  });
  it("Ion: f_rt_sleep makes the same opens as Node (same virtual time), spawns nothing, caches 'loop'", () => {
    const ion = onIon(["0.2", "0.0003", "'1e-7'"], SLEEPLESS);
    const node = onNode(["0.2", "0.0003", "1e-7"], SLEEPLESS);
    try {
      expect(ion.status).toBe(0);
      expect(ion.stdout).toBe("loop\n");
      expect(ion.mock.commandLog).toEqual([]);
      expect(ion.mock.now()).toBe(node.mock.now());
      expect(ion.mock.now()).toBeCloseTo((2000 + 3 + 1) * TICK, 9);
    } finally {
      ion.mock.dispose();
      node.mock.dispose();
    }
  });
  it("Ion: the helper computes the same tick count as sleepFallbackTicks for any number text", () => {
    const samples = ["0.2", "0.5", "0.1", "1", "7.25", "0.00001", "0.000049", "12.3456789", "59.99999", "60", "60.5", "61", "123456789012345678901234567890", "1e-7", "5e-324", "1e+21", "1.7976931348623157e+308", "Infinity", "NaN", "-1", "-0.2", "0", "x", "1.", ".5", "1e5"];
    for (const s of samples) expect(ionTicks(`'${s}'`), s).toBe(sleepFallbackTicks(s));
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), (x) => {
        expect(ionTicks(`'${String(x)}'`)).toBe(sleepFallbackTicks(String(x)));
      }),
      { numRuns: 150 },
    );
  });
  it("Ion: decides once per run whether sleep exists (one PATH lookup for several calls)", () => {
    let lookups = 0;
    const counting = (m: MockRedox): Host =>
      new Proxy(m, {
        get(target, key, receiver) {
          if (key === "which") return (c: string) => (lookups++, target.which(c));
          const v = Reflect.get(target, key, receiver);
          return typeof v === "function" ? v.bind(target) : v;
        },
      });
    const r = onIon(["0.1", "0.1", "0.1"], SLEEPLESS, counting);
    r.mock.dispose();
    expect(lookups).toBe(1);
  });
});

describe("sleep() on an image with sleep", () => {
  it("runs the sleep program, on both backends, and caches 'cmd'", () => {
    const ion = onIon(["0.2", "'0.5'"], {});
    const node = onNode(["0.2", "0.5"], {});
    try {
      expect(ion.stdout).toBe("cmd\n");
      expect(ion.mock.commandLog.map((c) => c.argv)).toEqual([
        ["sleep", "0.2"],
        ["sleep", "0.5"],
      ]);
      expect(node.mock.commandLog.map((c) => c.argv)).toEqual(ion.mock.commandLog.map((c) => c.argv));
      expect(ion.mock.now()).toBeCloseTo(0.7, 9);
    } finally {
      ion.mock.dispose();
      node.mock.dispose();
    }
  });
});
