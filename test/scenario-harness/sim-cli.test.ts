// `tsion sim` through the real launcher: exit status is the script's; usage errors are 2.
import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { execa } from "execa";
import { REPO_ROOT } from "../../runtime-shims/mock/scenario.ts";

const BIN = path.join(REPO_ROOT, "bin/tsion.mjs");
const FIX = path.join(REPO_ROOT, "test/scenario-harness/fixtures");

describe("tsion sim (CLI)", () => {
  it("passes the script's exit status and output through", async () => {
    const r = await execa("node", [BIN, "sim", "--scenario", "test/scenarios/example-no-adapter.toml", path.join(FIX, "runner/exit-big.ts")], {
      cwd: REPO_ROOT,
      reject: false,
    });
    expect(r.stdout).toBe("data");
    expect(r.exitCode).toBe(1); // exit(257) is 1 modulo 256
  });
  it("passes every argument after SCRIPT to the script, options included", async () => {
    const r = await execa("node", [BIN, "sim", "--scenario", "test/scenarios/example-no-adapter.toml", path.join(FIX, "runner/console.ts"), "-v", "--root", "x"], {
      cwd: REPO_ROOT,
      reject: false,
    });
    expect(r.exitCode).toBe(3);
    expect(r.stdout.split("\n")[1]).toBe("hello -v,--root,x  1");
  });
  it("reports a bad scenario as a usage error naming file and line", async () => {
    const r = await execa("node", [BIN, "sim", "--scenario", "test/scenario-harness/fixtures/bad-scenario.toml", path.join(FIX, "no-adapter.ts")], {
      cwd: REPO_ROOT,
      reject: false,
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('tsion: error: test/scenario-harness/fixtures/bad-scenario.toml:5: [dhcp] unknown key "lease_time" (known: server, reply_after, ack, ip, prefix, gateway, dns, background)');
  });
});
