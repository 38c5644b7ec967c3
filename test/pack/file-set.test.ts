// The guest file set of each mode (pack/file-set.ts): exactly the files a mode
// needs, the init files of each era, and the commands they run.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import { buildFileSet, scriptsFor, shadowsDhcp, type CompiledScript } from "../../pack/file-set.ts";
import { initFile, unitCommands, type ScriptName } from "../../pack/init-units.ts";
import { NETWORK_MODES, type NetworkConfig, type NetworkMode } from "../../pack/network-config.ts";
import { validateNetworkConfig } from "../../pack/validate.ts";
import { repoRoot } from "../cli/helpers.ts";

const fake = (name: string, commands?: CompiledScript["commands"]): CompiledScript => ({ text: `#!/usr/bin/ion\necho ${name}\n`, commands });
const SCRIPTS = new Map<ScriptName, CompiledScript>([
  ["netcfg-auto", fake("auto", [{ name: "sleep", optional: false }, { name: "ls", optional: true }])],
  ["netcfg-ch", fake("ch", [{ name: "sleep", optional: false }])],
  ["netcfg-static", fake("static", [{ name: "ls", optional: true }])],
  ["netcheck", fake("netcheck", [{ name: "ping", optional: false }, { name: "sleep", optional: true }])],
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
  it("netcheck: its script and init unit on top of the mode's files, in every mode but none and in both eras", () => {
    for (const mode of ["auto", "static", "dhcp"]) {
      const without = files({ mode });
      const withIt = files({ mode, netcheck: true });
      expect(Object.keys(withIt).sort()).toEqual([...Object.keys(without), "etc/init.d/17_netcheck.service", "usr/bin/netcheck"].sort());
      expect(withIt["usr/bin/netcheck"]).toBe(SCRIPTS.get("netcheck")!.text);
    }
    const legacy = files({ mode: "static", init: "legacy", netcheck: true });
    expect(legacy["etc/init.d/17_netcheck"]).toBe("nowait ion /usr/bin/netcheck\n");
    expect(legacy["etc/init.d/17_netcheck.service"]).toBe(undefined);
    expect(buildFileSet(config({ mode: "dhcp", netcheck: true }), SCRIPTS).files.find((f) => f.path === "usr/bin/netcheck")!.mode).toBe(0o755);
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
});

describe("one source: guest-scripts/init", () => {
  const INIT = path.join(repoRoot, "guest-scripts/init");
  it("every init file of every mode and era is the file in guest-scripts/init/<era>/<role>/, byte for byte", () => {
    for (const init of ["current", "legacy"] as const) {
      const variants: [NetworkMode, boolean][] = NETWORK_MODES.flatMap((m): [NetworkMode, boolean][] => (m === "none" ? [[m, false]] : [[m, false], [m, true]]));
      for (const [mode, netcheck] of variants) {
        const set = buildFileSet(config({ mode, init, netcheck }), SCRIPTS);
        const units = set.files.filter((f) => f.path.startsWith("etc/init.d/"));
        const roles: string[] = [...scriptsFor(set.config), ...(shadowsDhcp(mode) ? ["dhcpd-shadow"] : [])];
        expect(units.map((u) => u.path).sort(), `${mode} ${init} netcheck ${netcheck}`).toEqual(roles.map((r) => `etc/init.d/${fs.readdirSync(path.join(INIT, init, r))[0]}`).sort());
        for (const role of roles) {
          const name = fs.readdirSync(path.join(INIT, init, role))[0]!;
          expect(units.find((u) => u.path === `etc/init.d/${name}`)!.content).toBe(fs.readFileSync(path.join(INIT, init, role, name), "utf8"));
        }
      }
    }
  });

  it("initFile reads whatever the directory holds (no text of its own), and refuses a directory without exactly one file", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-init-"));
    try {
      fs.mkdirSync(path.join(root, "legacy", "netcfg-ch"), { recursive: true });
      fs.writeFileSync(path.join(root, "legacy", "netcfg-ch", "42_other"), "changed here\n");
      expect(initFile("legacy", "netcfg-ch", root)).toEqual({ path: "etc/init.d/42_other", content: "changed here\n" });
      fs.writeFileSync(path.join(root, "legacy", "netcfg-ch", "43_second"), "x\n");
      expect(() => initFile("legacy", "netcfg-ch", root)).toThrow(/must hold exactly one init file, not 2/);
      expect(() => initFile("current", "netcfg-ch", root)).toThrow(/cannot read .*current\/netcfg-ch: no such file or directory/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("no unit text in the code of pack/ or nix/", () => {
    const code = [
      ...fs.readdirSync(path.join(repoRoot, "pack")).map((f) => path.join(repoRoot, "pack", f)),
      ...(fs.readdirSync(path.join(repoRoot, "nix"), { recursive: true }) as string[]).filter((f) => f.endsWith(".nix")).map((f) => path.join(repoRoot, "nix", f)),
    ];
    for (const file of code) {
      const text = fs.readFileSync(file, "utf8");
      for (const unitText of ["[service]", "oneshot", "nowait ion", "notify smolnetd", "requires_weak = [", 'cmd = "ion"', "Configure the network", "DHCP client disabled", "10_smolnetd.service"]) {
        expect(text.includes(unitText), `${path.relative(repoRoot, file)} holds '${unitText}'`).toBe(false);
      }
    }
  });

  it("the commands of an init file are read from it, as its era's init reads it", () => {
    expect(unitCommands("current", '[unit]\ndescription = "x"\n\n[service]\ncmd = "ion"\nargs = ["-c", "true"]\ntype = "oneshot"\n')).toEqual(["ion"]);
    expect(unitCommands("legacy", "requires_weak 00_drivers\nnotify smolnetd\n")).toEqual(["smolnetd"]);
    expect(unitCommands("legacy", "nowait ion /usr/bin/netcfg-ch\n")).toEqual(["ion"]);
    expect(unitCommands("legacy", "\n# c\nRUST_LOG=info nowait dhcpd -b\nscheme net smolnetd\nls /\n")).toEqual(["dhcpd", "smolnetd", "ls"]);
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
  it("with netcheck, its commands and its unit's join the list", () => {
    expect(buildFileSet(config({ mode: "dhcp", netcheck: true }), SCRIPTS).commands).toEqual([
      { name: "ion", optional: false, usedBy: ["/etc/init.d/16_netcfg.service", "/etc/init.d/17_netcheck.service"] },
      { name: "ls", optional: true, usedBy: ["/usr/bin/netcfg-static"] },
      { name: "ping", optional: false, usedBy: ["/usr/bin/netcheck"] },
      { name: "sleep", optional: true, usedBy: ["/usr/bin/netcheck"] },
    ]);
  });
  it("says nothing rather than something partial when the compiler does not report a script's commands", () => {
    const unknown = new Map<ScriptName, CompiledScript>([["netcfg-auto", fake("auto")]]);
    expect(buildFileSet(config({ mode: "auto" }), unknown).commands).toBe(undefined);
  });
});
