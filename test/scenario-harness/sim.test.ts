// `tsion sim`: real host vs mocked Redox, exit status, usage errors.
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runSim, SimUsageError } from "../../compiler/src/cli/sim.ts";
import { REPO_ROOT } from "../../runtime-shims/mock/scenario.ts";

const FIX = path.join(REPO_ROOT, "test/scenario-harness/fixtures");
const ionSim = fs.existsSync(path.join(REPO_ROOT, "runtime-shims/ion-sim/index.ts"));

function capture() {
  const io = { stdout: "", stderr: "", out: (s: string) => void (io.stdout += s), err: (s: string) => void (io.stderr += s) };
  return io;
}

describe("tsion sim", () => {
  it("with --scenario runs against the mock (commands are Redox shims, clock virtual)", async () => {
    const io = capture();
    const t0 = Date.now();
    const status = await runSim(path.join(FIX, "static-fallback.ts"), [], { scenario: path.join(REPO_ROOT, "test/scenarios/example-static-fallback.toml") }, io);
    expect(status).toBe(0);
    expect(io.stdout).toContain("default via 10.0.2.2 dev eth0 src 10.0.2.15\n");
    expect(io.stderr).toBe("dhcpd: failed to receive offer: Resource temporarily unavailable (os error 11)\n");
    expect(Date.now() - t0).toBeLessThan(10_000); // dhcpd's 30 s were virtual
  });
  it("with --root keeps the guest filesystem in DIR", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "sim-root-"));
    try {
      const io = capture();
      expect(await runSim(path.join(FIX, "wait-and-dns.ts"), [], { root }, io)).toBe(1);
      expect(io.stdout).toBe("no address after 20 tries\n");
      expect(fs.readFileSync(path.join(root, "etc/net/dns"), "utf8")).toBe("9.9.9.9\n");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
  it("rejects a bad --clock, a missing script and a bad scenario", async () => {
    await expect(runSim(path.join(FIX, "no-adapter.ts"), [], { root: os.tmpdir(), clock: "fast" }, capture())).rejects.toThrow(SimUsageError);
    await expect(runSim("/nope.ion", [], {}, capture())).rejects.toThrow("cannot read /nope.ion: no such file or directory");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-bad-"));
    try {
      const bad = path.join(dir, "bad.toml");
      fs.writeFileSync(bad, 'description = "x"\nnope = 1\n');
      await expect(runSim(path.join(FIX, "no-adapter.ts"), [], { scenario: bad }, capture())).rejects.toThrow(/bad\.toml:2: unknown key "nope"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it.skipIf(!ionSim)("runs an .ion script on the real host without --root/--scenario (ion-sim present)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-ion-"));
    try {
      const script = path.join(dir, "s.ion");
      fs.writeFileSync(script, "echo hello @args\nexit 4\n");
      const io = capture();
      expect(await runSim(script, ["a", "b"], {}, io)).toBe(4);
      expect(io.stdout).toBe(`hello ${script} a b\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
