// The Node backend: guest TS run in node:vm against a Host.
import { afterEach, describe, expect, it } from "vitest";
import * as path from "node:path";
import * as util from "node:util";
import { runGuestOnNode } from "../../runtime-shims/node-runner/index.ts";
import { MockRedox } from "../../runtime-shims/mock/mock-redox.ts";
import { runtimeContext } from "../../runtime-shims/runtime/context.ts";

const FIX = path.join(import.meta.dirname, "fixtures/runner");
const mocks: MockRedox[] = [];
afterEach(() => {
  while (mocks.length) mocks.pop()!.dispose();
});
const mk = () => {
  const m = new MockRedox();
  mocks.push(m);
  return m;
};

describe("runGuestOnNode", () => {
  it("formats console output like Node, passes args/env, loads relative imports, exits with exit()", () => {
    const m = mk();
    const r = runGuestOnNode(path.join(FIX, "console.ts"), { host: m, args: ["x", "y"], env: { NAME: "n" } });
    const expected =
      util.format("%s=%d", "a", 42, "extra", { k: [1, "x"] }) + "\n" + util.format("hello x,y", "n", 1) + "\n";
    expect(r).toEqual({ status: 3, stdout: expected, stderr: util.format("err %o", "s") + "\n" });
    expect(m.stdoutText).toBe(expected);
  });
  it("gives every run a fresh context (module state and globals)", () => {
    const m = mk();
    runGuestOnNode(path.join(FIX, "console.ts"), { host: m, args: [], env: {} });
    const r = runGuestOnNode(path.join(FIX, "console.ts"), { host: m, args: [], env: {} });
    expect(r.stdout.split("\n")[1]).toBe("hello   1");
  });
  it("reports an uncaught exception with status 1 and the message on stderr", () => {
    const r = runGuestOnNode(path.join(FIX, "throws.ts"), { host: mk() });
    expect(r).toEqual({ status: 1, stdout: "before\n", stderr: "RangeError: boom\n" });
  });
  it("takes the exit status modulo 256 and uses the mock's filesystem", () => {
    const m = mk();
    const r = runGuestOnNode(path.join(FIX, "exit-big.ts"), { host: m });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("data\n");
    expect(m.files()["/tmp/x"]).toBe("data\n");
  });
  it("restores the previous runtime context", () => {
    const before = runtimeContext();
    runGuestOnNode(path.join(FIX, "throws.ts"), { host: mk() });
    expect(runtimeContext()).toBe(before);
  });
});
