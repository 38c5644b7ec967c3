// The guest file set of each mode (pack/file-set.ts): exactly the files a mode
// needs, the init files of each era, and the commands they run.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import { buildFileSet, type CompiledScript } from "../../pack/file-set.ts";
import type { ScriptName } from "../../pack/init-units.ts";
import type { NetworkConfig } from "../../pack/network-config.ts";
import { validateNetworkConfig } from "../../pack/validate.ts";
import { repoRoot } from "../cli/helpers.ts";

const fake = (name: string, commands?: CompiledScript["commands"]): CompiledScript => ({ text: `#!/usr/bin/ion\necho ${name}\n`, commands });
const SCRIPTS = new Map<ScriptName, CompiledScript>([
  ["netcfg-auto", fake("auto", [{ name: "sleep", optional: false }, { name: "ls", optional: true }])],
  ["netcfg-ch", fake("ch", [{ name: "sleep", optional: false }])],
  ["netcfg-static", fake("static", [{ name: "ls", optional: true }])],
]);

function config(raw: Record<string, unknown>): NetworkConfig {
  const r = validateNetworkConfig(raw);
  if (!r.ok) throw new Error("invalid test configuration");
  return r.config;
}
function files(raw: Record<string, unknown>): Record<string, string> {
  const set = buildFileSet(config(raw), SCRIPTS);
  return Object.fromEntries(set.files.map((f) => [f.path, f.content]));
}
function paths(raw: Record<string, unknown>): string[] {
  return buildFileSet(config(raw), SCRIPTS).files.map((f) => f.path);
}

describe("per mode, exactly the files it needs", () => {
  it("auto: netcfg-auto, its unit and the static fallback; dhcpd left alone", () => {
    expect(paths({ mode: "auto" })).toEqual([
      "etc/init.d/16_netcfg.service",
      "etc/net/cloud-hypervisor/gateway",
      "etc/net/cloud-hypervisor/ip",
      "etc/net/cloud-hypervisor/netmask",
      "usr/bin/netcfg-auto",
    ]);
    expect(paths({ mode: "auto", static: null })).toEqual(["etc/init.d/16_netcfg.service", "usr/bin/netcfg-auto"]);
  });
  it("static: netcfg-ch, its unit, the values, /etc/net/dns and the DHCP shadow", () => {
    const f = files({ mode: "static", static: { ip: "10.0.0.5", netmask: "/24", gateway: "10.0.0.1", dns: ["10.0.0.53"] } });
    expect(Object.keys(f)).toEqual([
      "etc/init.d/10_dhcpd.service",
      "etc/init.d/16_netcfg.service",
      "etc/net/cloud-hypervisor/gateway",
      "etc/net/cloud-hypervisor/ip",
      "etc/net/cloud-hypervisor/netmask",
      "etc/net/dns",
      "usr/bin/netcfg-ch",
    ]);
    expect(f["etc/net/cloud-hypervisor/ip"]).toBe("10.0.0.5\n");
    expect(f["etc/net/cloud-hypervisor/netmask"]).toBe("/24\n");
    expect(f["etc/net/cloud-hypervisor/gateway"]).toBe("10.0.0.1\n");
    expect(f["etc/net/dns"]).toBe("10.0.0.53\n");
  });
  it("dhcp: netcfg-static with the mode file, no static values, no shadow", () => {
    const f = files({ mode: "dhcp" });
    expect(Object.keys(f)).toEqual(["etc/init.d/16_netcfg.service", "etc/net/netcfg/mode", "usr/bin/netcfg-static"]);
    expect(f["etc/net/netcfg/mode"]).toBe("dhcp\n");
  });
  it("none: the DHCP shadow only, no network script", () => {
    expect(paths({ mode: "none" })).toEqual(["etc/init.d/10_dhcpd.service"]);
    expect(paths({ mode: "none", init: "legacy" })).toEqual(["etc/init.d/10_net"]);
  });
  it("a label other than the default names the directory and is written to /etc/net/netcfg/label", () => {
    const f = files({ mode: "static", label: "tap0" });
    expect(f["etc/net/netcfg/label"]).toBe("tap0\n");
    expect(f["etc/net/tap0/ip"]).toBe("172.16.0.2\n");
    expect(Object.keys(f).filter((p) => p.includes("cloud-hypervisor"))).toEqual([]);
    expect(files({ mode: "static" })["etc/net/netcfg/label"]).toBe(undefined);
  });
  it("scripts are 0755, everything else 0644", () => {
    for (const f of buildFileSet(config({ mode: "static" }), SCRIPTS).files) {
      expect(f.mode).toBe(f.path.startsWith("usr/bin/") ? 0o755 : 0o644);
    }
  });
});

describe("init files per era", () => {
  it("current: a .service unit running the mode's script through ion, after netstack, without blocking boot", () => {
    for (const [mode, script] of [["auto", "netcfg-auto"], ["static", "netcfg-ch"], ["dhcp", "netcfg-static"]] as const) {
      const unit = parse(files({ mode })["etc/init.d/16_netcfg.service"]!) as { unit: Record<string, unknown>; service: Record<string, unknown> };
      expect(unit.unit.requires_weak).toEqual(["10_smolnetd.service"]);
      expect(unit.service).toEqual({ cmd: "ion", args: [`/usr/bin/${script}`], type: "oneshot_async" });
    }
  });
  it("legacy: one nowait line", () => {
    expect(files({ mode: "static", init: "legacy" })["etc/init.d/16_netcfg"]).toBe("nowait ion /usr/bin/netcfg-ch\n");
  });
  it("the auto units are the ones shipped in guest-scripts/init", () => {
    const shippedCurrent = parse(fs.readFileSync(path.join(repoRoot, "guest-scripts/init/current/16_netcfg.service"), "utf8"));
    expect(parse(files({ mode: "auto" })["etc/init.d/16_netcfg.service"]!)).toEqual(shippedCurrent);
    const shippedLegacy = fs.readFileSync(path.join(repoRoot, "guest-scripts/init/init-rc/16_netcfg"), "utf8");
    expect(files({ mode: "auto", init: "legacy" })["etc/init.d/16_netcfg"]).toBe(shippedLegacy);
  });
  it("the current-era DHCP shadow is a valid unit that runs only the ion builtin true, and is done at once", () => {
    const shadow = parse(files({ mode: "static" })["etc/init.d/10_dhcpd.service"]!) as { unit: Record<string, unknown>; service: Record<string, unknown> };
    expect(Object.keys(shadow.unit)).toEqual(["description"]);
    expect(shadow.service).toEqual({ cmd: "ion", args: ["-c", "true"], type: "oneshot" });
  });
  it("the legacy DHCP shadow starts netstack as era B's 10_net does, without dhcpd", () => {
    const text = files({ mode: "static", init: "legacy" })["etc/init.d/10_net"]!;
    expect(text.split("\n")).toEqual(["requires_weak 00_drivers", "notify smolnetd", ""]);
    expect(text).not.toContain("dhcpd");
  });
});

describe("commands", () => {
  it("lists each command once, required if any file needs it, with the files that run it", () => {
    const set = buildFileSet(config({ mode: "auto" }), SCRIPTS);
    expect(set.commands).toEqual([
      { name: "ion", optional: false, usedBy: ["/etc/init.d/16_netcfg.service"] },
      { name: "ls", optional: true, usedBy: ["/usr/bin/netcfg-auto"] },
      { name: "sleep", optional: false, usedBy: ["/usr/bin/netcfg-auto"] },
    ]);
    expect(buildFileSet(config({ mode: "static" }), SCRIPTS).commands!.find((c) => c.name === "ion")!.usedBy).toEqual([
      "/etc/init.d/10_dhcpd.service",
      "/etc/init.d/16_netcfg.service",
    ]);
    expect(buildFileSet(config({ mode: "none", init: "legacy" }), SCRIPTS).commands).toEqual([
      { name: "smolnetd", optional: false, usedBy: ["/etc/init.d/10_net"] },
    ]);
  });
  it("says nothing rather than something partial when the compiler does not report a script's commands", () => {
    const unknown = new Map<ScriptName, CompiledScript>([["netcfg-auto", fake("auto")]]);
    expect(buildFileSet(config({ mode: "auto" }), unknown).commands).toBe(undefined);
  });
});
