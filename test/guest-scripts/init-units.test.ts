// The init files in guest-scripts/init/ (the one source of tsion build, tsion
// pack and nix/lib): one file per era and role, in the init formats of each
// era (docs/guest-scripts.md "Init units"), never blocking boot.
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "smol-toml";

const INIT = path.resolve(import.meta.dirname, "../../guest-scripts/init");
const ENTRY_DIR = path.resolve(import.meta.dirname, "../../guest-scripts");
const ERAS = ["current", "legacy"];
const SCRIPTS = ["netcfg-auto", "netcfg-ch", "netcfg-static", "netcheck"];
const ROLES = ["dhcpd-shadow", ...SCRIPTS].sort();
/** The file each role installs in /etc/init.d, per era. */
const NAMES: Record<string, Record<string, string>> = {
  current: { "netcfg-auto": "16_netcfg.service", "netcfg-ch": "16_netcfg.service", "netcfg-static": "16_netcfg.service", netcheck: "17_netcheck.service", "dhcpd-shadow": "10_dhcpd.service" },
  legacy: { "netcfg-auto": "16_netcfg", "netcfg-ch": "16_netcfg", "netcfg-static": "16_netcfg", netcheck: "17_netcheck", "dhcpd-shadow": "10_net" },
};

function read(era: string, role: string): string {
  return fs.readFileSync(path.join(INIT, era, role, NAMES[era]![role]!), "utf8");
}
type Unit = { unit: Record<string, unknown>; service: Record<string, unknown> };

it("one directory per era, the same roles in each, one file per role named as installed", () => {
  expect(fs.readdirSync(INIT).sort()).toEqual(ERAS);
  for (const era of ERAS) {
    expect(fs.readdirSync(path.join(INIT, era)).sort(), era).toEqual(ROLES);
    for (const role of ROLES) expect(fs.readdirSync(path.join(INIT, era, role)), `${era}/${role}`).toEqual([NAMES[era]![role]]);
  }
  // Every entry script has its units; no unit for a script that does not exist.
  const entries = fs.readdirSync(ENTRY_DIR).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3)).sort();
  expect(SCRIPTS).toEqual(entries);
});

describe("current init: .service units", () => {
  for (const role of ROLES) {
    it(`${role}: only the sections and keys init knows (unknown keys are errors)`, () => {
      const unit = parse(read("current", role)) as Unit;
      expect(Object.keys(unit).sort()).toEqual(["service", "unit"]);
      for (const k of Object.keys(unit.unit)) expect(["description", "requires_weak", "default_dependencies"]).toContain(k);
      for (const k of Object.keys(unit.service)) expect(["cmd", "args", "envs", "inherit_envs", "type"]).toContain(k);
      expect(typeof unit.unit.description).toBe("string");
    });
  }
  for (const script of SCRIPTS) {
    it(`${script}: runs the script through ion from /usr/bin, without blocking boot, after what it needs`, () => {
      const unit = parse(read("current", script)) as Unit;
      expect(unit.service).toEqual({ cmd: "ion", args: [`/usr/bin/${script}`], type: "oneshot_async" });
      expect(unit.unit.requires_weak).toEqual([script === "netcheck" ? "16_netcfg.service" : "10_smolnetd.service"]);
    });
  }
  it("descriptions name no device: the scripts find the interface at run time", () => {
    for (const role of ROLES) {
      const description = (parse(read("current", role)) as Unit).unit.description as string;
      expect(description, role).not.toMatch(/eth0|pci-|\blo\b/);
    }
  });
  it("the DHCP shadow runs only the ion builtin true, and is done at once", () => {
    const unit = parse(read("current", "dhcpd-shadow")) as Unit;
    expect(Object.keys(unit.unit)).toEqual(["description"]);
    expect(unit.service).toEqual({ cmd: "ion", args: ["-c", "true"], type: "oneshot" });
  });
});

describe("legacy init (init.rc + run.d): line scripts", () => {
  for (const role of ROLES) {
    it(`${role}: lines split on single spaces, no shell syntax, no comment lines (unconfirmed in that parser)`, () => {
      const text = read("legacy", role);
      expect(text.endsWith("\n")).toBe(true);
      for (const line of text.split("\n").filter((l) => l !== "")) {
        expect(line).not.toMatch(/[|&;<>"'#$]|  |^ | $/);
      }
    });
  }
  for (const script of SCRIPTS) {
    it(`${script}: one nowait line running the script through ion`, () => {
      expect(read("legacy", script)).toBe(`nowait ion /usr/bin/${script}\n`);
    });
  }
  it("the DHCP shadow starts netstack as era B's 10_net does, without dhcpd", () => {
    expect(read("legacy", "dhcpd-shadow")).toBe("requires_weak 00_drivers\nnotify smolnetd\n");
  });
});
