/**
 * The guest and the host agree: what netcheck and the netcfg scripts really
 * print (run on the mocked Redox, Node backend) is what `vm test` parses.
 *
 * - every netcheck scenario: the host's parser finds one result per check,
 *   in order, with the status netcheck printed, and the end marker; netcheck
 *   exits 0 exactly when the host would call the run a pass;
 * - netcfg scenarios that configure the network in each way (static, lease,
 *   lease after the fallback, dhcp mode): the redox profile's `network`
 *   milestone is reached, on the line that says so; where nothing gets
 *   configured it is not.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../runtime-shims/mock/scenario-runner.ts";
import { loadProfile } from "../../host/vm/profile.ts";
import { summarize } from "../../host/vm/checks.ts";
import { BootTimeline } from "../../host/vm/timeline.ts";
import { repoRoot } from "./support.ts";

const SCENARIOS = path.join(repoRoot, "test", "scenarios");

function timelineOf(stdout: string) {
  const t = new BootTimeline(loadProfile("redox"));
  stdout.split("\n").forEach((text, i) => t.add({ t: i, text }));
  return t.report();
}

describe("netcheck's output, read by the host", () => {
  const files = fs.readdirSync(SCENARIOS).filter((f) => f.startsWith("netcheck-") && f.endsWith(".toml"));
  it("there are netcheck scenarios", () => expect(files.length).toBeGreaterThanOrEqual(5));

  for (const f of files) {
    it(f, async () => {
      const o = await runScenario(path.join(SCENARIOS, f), "node");
      const r = timelineOf(o.stdout);
      const printed = o.stdout.split("\n").filter((l) => l.startsWith("TSION_CHECK:"));
      expect(r.checks.map((c) => `TSION_CHECK:${c.name}:${c.status}:${c.reason}`)).toEqual(printed);
      expect(r.checks.map((c) => c.name)).toEqual(["address", "default-route", "dns", "gateway-ping"]);
      expect(r.checksDoneAt).not.toBeNull();
      expect(summarize(r.checks, true).ok).toBe(o.status === 0);
    });
  }
});

describe("the redox profile's network milestone on what netcfg prints", () => {
  const configures = ["ch-static.toml", "ch-tap-with-dhcp.toml", "ch-tap-no-dhcp.toml", "lease-after-fallback.toml", "dhcp-mode-lease.toml", "static-mode.toml", "qemu-user-dhcp.toml"];
  const configuresNothing = ["no-nic.toml", "dhcp-mode-no-lease.toml", "none-mode.toml", "bad-config-octet-300.toml"];

  for (const f of configures.filter((x) => fs.existsSync(path.join(SCENARIOS, x)))) {
    it(`${f}: reached, on netcfg's own line`, async () => {
      const o = await runScenario(path.join(SCENARIOS, f), "node");
      const m = timelineOf(o.stdout).milestones.find((x) => x.name === "network")!;
      expect(m.at, o.stdout).not.toBeNull();
      // the first line saying the network is configured (after a fallback a later lease may replace it)
      const first = o.stdout.split("\n").find((l) => / configured(: | by DHCP: )|; keeping it$/.test(l));
      expect(m.line).toBe(first);
      expect(m.line).toMatch(/^netcfg-[a-z]+: .*\d+\.\d+\.\d+\.\d+\/\d+/);
    });
  }

  for (const f of configuresNothing.filter((x) => fs.existsSync(path.join(SCENARIOS, x)))) {
    it(`${f}: not reached`, async () => {
      const o = await runScenario(path.join(SCENARIOS, f), "node");
      expect(timelineOf(o.stdout).milestones.find((x) => x.name === "network")!.at, o.stdout).toBeNull();
    });
  }
});
