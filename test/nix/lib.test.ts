// nix/: every .nix file parses, and the Nix port of the guest's IPv4 rules
// (nix/lib/ipv4.nix) answers exactly as guest-scripts/lib/ipv4.ts on the same inputs.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as ipv4 from "../../guest-scripts/lib/ipv4.ts";
import { repoRoot } from "../cli/helpers.ts";
import { initFile, type InitRole } from "../../pack/init-units.ts";
import type { InitEra } from "../../pack/network-config.ts";
import { nixEval, nixInstantiate } from "./nix-env.ts";
import { NIX_LIB, nixRequirement, useNixFixture } from "./support.ts";

const need = await nixRequirement("test/nix");

function nixFiles(): string[] {
  const out = [path.join(repoRoot, "flake.nix")];
  for (const dir of ["nix", "test/nix"]) {
    for (const rel of fs.readdirSync(path.join(repoRoot, dir), { recursive: true }) as string[]) {
      if (rel.endsWith(".nix")) out.push(path.join(repoRoot, dir, rel));
    }
  }
  return out.sort();
}

describe.skipIf(need.skip)("nix/ with the real nix", () => {
  const fx = useNixFixture(need);

  it("every .nix file parses (nix-instantiate --parse)", async () => {
    const files = nixFiles();
    expect(files.map((f) => path.relative(repoRoot, f))).toEqual(expect.arrayContaining(["flake.nix", "nix/lib/default.nix", "nix/module.nix", "nix/package.nix"]));
    for (const file of files) {
      const r = await nixInstantiate(fx.nix, ["--parse", file]);
      expect(r.stderr, path.relative(repoRoot, file)).toBe("");
      expect(r.exitCode).toBe(0);
    }
  });

  describe("the init files come from guest-scripts/init, as tsion pack reads them", () => {
    const INIT = path.join(repoRoot, "guest-scripts", "init");
    const roles = (era: string): string[] => fs.readdirSync(path.join(INIT, era)).sort();

    it("units.nix gives every era's and role's file, path and bytes, exactly as pack/init-units.ts", async () => {
      const wanted = ["current", "legacy"].flatMap((era) => roles(era).map((role) => ({ era, role })));
      expect(wanted.length).toBeGreaterThanOrEqual(10);
      const fromNix = await nixEval(fx.nix, `let u = import ${NIX_LIB}/units.nix; in map (w: u.initFile w.era w.role) ${fx.json("init-roles", wanted)}`);
      expect(fromNix).toEqual(wanted.map((w) => initFile(w.era as InitEra, w.role as InitRole)));
    });

    it("a unit changed in guest-scripts/init is what Nix evaluates (a copy of the tree with one file edited)", async () => {
      const copy = fs.mkdtempSync(path.join(fx.nix.dir, "tree-"));
      fs.cpSync(path.join(repoRoot, "nix"), path.join(copy, "nix"), { recursive: true });
      fs.cpSync(INIT, path.join(copy, "guest-scripts", "init"), { recursive: true });
      fs.writeFileSync(path.join(copy, "guest-scripts/init/legacy/netcfg-ch/16_netcfg"), "nowait ion /usr/bin/edited\n");
      const files = (await nixEval(
        fx.nix,
        `builtins.mapAttrs (_: f: f.text) ((import ${copy}/nix/lib).mkNetworkFiles { scripts = { netcfg-ch = "x"; }; networkMode = "static"; init = "legacy"; })`,
      )) as Record<string, string>;
      expect(files["etc/init.d/16_netcfg"]).toBe("nowait ion /usr/bin/edited\n");
      fs.writeFileSync(path.join(copy, "guest-scripts/init/legacy/netcfg-ch/17_extra"), "x\n");
      const r = await nixInstantiate(fx.nix, ["--eval", "--strict", "-E", `((import ${copy}/nix/lib/units.nix).initFile "legacy" "netcfg-ch").content`]);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toContain("guest-scripts/init/legacy/netcfg-ch must hold exactly one init file, not 2");
    });

    it("restricted evaluation: the library reads nothing outside the repository (as a flake's source) but the scripts it is given", async () => {
      for (const [mode, init] of [["static", "current"], ["none", "legacy"], ["auto", "legacy"]]) {
        const r = await nixInstantiate(fx.nix, [
          "--eval", "--strict", "--json", "--option", "restrict-eval", "true", "-I", `tsion=${repoRoot}`, "-I", `scripts=${fx.scriptsDir}`,
          "-E", `builtins.attrNames ((import <tsion/nix/lib>).mkNetworkFiles { scripts = <scripts>; networkMode = "${mode}"; init = "${init}"; })`,
        ]);
        expect(r.stderr, `${mode} ${init}`).toBe("");
        expect((JSON.parse(r.stdout) as string[]).filter((p) => p.startsWith("etc/init.d/")).length).toBeGreaterThan(0);
      }
      // and the restriction is real: the same evaluation without the repository as a root is refused
      const outside = await nixInstantiate(fx.nix, [
        "--eval", "--strict", "--option", "restrict-eval", "true", "-I", `tsion=${path.join(repoRoot, "nix")}`,
        "-E", `builtins.attrNames ((import <tsion/lib>).mkNetworkFiles { scripts = { netcfg-ch = "x"; }; networkMode = "static"; })`,
      ]);
      expect(outside.stderr).toMatch(/forbidden in restricted mode/);
    });
  });

  it("the IPv4 functions agree with the guest's on edge cases and 600 generated inputs", async () => {
    const texts = [
      "", " ", "1.2.3.4", "0.0.0.0", "0.1.2.3", "127.0.0.1", "224.0.0.1", "239.255.255.255", "240.0.0.1", "255.255.255.255",
      "10.0.0.256", "10.0.0.01", "10.0.0.0", "10.0.0", "10.0.0.1.2", "1..2.3", ".1.2.3", "1.2.3.", "fe80::1", "::ffff:1.2.3.4",
      "1.2.3.4/24", "1.2.3.4 5.6.7.8", "1.2.3.4\n", "\t1.2.3.4", "1.2.3.4\r", "-1.2.3.4", "+1.2.3.4", "1e1.2.3.4", "0x1.2.3.4",
      "24", "/24", "0", "/0", "00", "08", "32", "33", "/33", "/", "//24", "255.255.255.0", "255.255.255.255", "255.0.255.0",
      "128.0.0.0", "254.0.0.0", "0.255.255.255", "255.255.254.0", "255.255.255.254", "é.1.2.3", "1.2.3.٣",
    ];
    const arb = fc.oneof(
      fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((o) => o.join(".")),
      fc.string({ unit: fc.constantFrom(..."0123456789./: \t\n\r-ax"), maxLength: 16 }),
      fc.nat(40).map(String),
    );
    const generated = fc.sample(arb, { numRuns: 600, seed: 9 });
    const all = [...texts, ...generated];
    const hosts = fc.sample(fc.tuple(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join(".")), fc.nat(32)), { numRuns: 200, seed: 10 });
    const gateways = fc.sample(
      fc.tuple(fc.nat(3), fc.nat(255), fc.nat(255), fc.nat(3), fc.nat(255), fc.integer({ min: 8, max: 32 })).map(([a, b, c, d, e, p]) => [
        `10.${a}.${b}.${c}`,
        `10.${d}.${e}.${c}`,
        p,
      ] as [string, string, number]),
      { numRuns: 300, seed: 11 },
    ).concat([["10.0.0.1", "10.0.0.2", 24], ["10.0.0.0", "10.0.0.2", 24], ["10.0.0.255", "10.0.0.2", 24], ["10.0.0.2", "10.0.0.2", 24], ["10.0.1.1", "10.0.0.2", 24], ["10.0.0.3", "10.0.0.2", 31], ["10.0.0.2", "10.0.0.3", 31]]);
    const values = [0, 1, 255, 256, 65535, 16777216, 167772161, 4294967295];

    const expected = {
      address: all.map(ipv4.addressProblem),
      netmask: all.map(ipv4.netmaskProblem),
      prefix: all.map(ipv4.prefixOf),
      value: all.map(ipv4.ipValue),
      dns: all.map(ipv4.dnsProblem),
      shown: all.map(ipv4.shown),
      host: hosts.map(([ip, p]) => ipv4.hostProblem(ip, p)),
      gateway: gateways.map(([gw, ip, p]) => ipv4.gatewayProblem(gw, ip, p)),
      text: values.map(ipv4.ipText),
      mask: Array.from({ length: 33 }, (_, p) => ipv4.maskText(p)),
    };
    const input = fx.json("ipv4-input", { all, hosts, gateways, values });
    const actual = await nixEval(
      fx.nix,
      `let i = ${input}; v = import ${NIX_LIB}/ipv4.nix; in {
        address = map v.addressProblem i.all;
        netmask = map v.netmaskProblem i.all;
        prefix = map v.prefixOf i.all;
        value = map v.ipValue i.all;
        dns = map v.dnsProblem i.all;
        shown = map v.shown i.all;
        host = map (h: v.hostProblem (builtins.elemAt h 0) (builtins.elemAt h 1)) i.hosts;
        gateway = map (g: v.gatewayProblem (builtins.elemAt g 0) (builtins.elemAt g 1) (builtins.elemAt g 2)) i.gateways;
        text = map v.ipText i.values;
        mask = builtins.genList v.maskText 33;
      }`,
    );
    expect(actual).toEqual(expected);
  });
});
