// The Nix library and `tsion pack` describe the same files and refuse the same
// configurations: the validator, mkNetworkFiles and the module (with a stub lib)
// evaluated by the real nix, compared with the real CLI and the TypeScript validator.
import { describe, expect, it } from "vitest";
import type { GuestFileSet } from "../../pack/file-set.ts";
import { renderNix } from "../../pack/render-nix.ts";
import { formatProblem, validateNetworkConfig } from "../../pack/validate.ts";
import { repoRoot, tsion } from "../cli/helpers.ts";
import { INVALID, VALID } from "../pack/configs.ts";
import { ALL_CONTROLS, HOSTILE } from "../pack/hostile.ts";
import * as fs from "node:fs";
import * as path from "node:path";
import { nixEval, nixEvalError } from "./nix-env.ts";
import { mkArgs, NIX_LIB, nixRequirement, thrownProblems, TO_JSON_SHAPE, useNixFixture } from "./support.ts";

const need = await nixRequirement("test/nix");

type JsonFiles = Record<string, { mode: string; content: string }>;

/** The compiled scripts in a `tsion pack --format json` output, as mkNetworkFiles' `scripts` attribute set. */
function scriptsOf(files: JsonFiles): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files)
      .filter(([p]) => p.startsWith("usr/bin/"))
      .map(([p, f]) => [p.slice("usr/bin/".length), f.content]),
  );
}

function tsMessages(config: unknown): string[] {
  const r = validateNetworkConfig(config);
  return r.ok ? [] : r.problems.map(formatProblem);
}

/** Renames the leading field of each message as a front end names it (longest match first). */
function renamed(messages: string[], renames: Record<string, string>): string[] {
  const froms = Object.keys(renames).sort((a, b) => b.length - a.length);
  return messages.map((m) => {
    const from = froms.find((f) => m.startsWith(`${f}:`) || m.startsWith(`${f}.`) || m.startsWith(`${f}[`));
    return from === undefined ? m : renames[from] + m.slice(from.length);
  });
}

/** The module's options for a configuration, when it has an equivalent (one interface named by the label). */
function moduleConfig(c: Record<string, unknown>, scripts: string): string {
  const label = (c.label as string | undefined) ?? "cloud-hypervisor";
  return `c: {
    networking = (if c ? mode then { inherit (c) mode; } else { })
      // (if c ? netcheck then { netcheck.enable = c.netcheck; } else { })
      // (if (c.static or { }) == null then { } else let s = c.static or (import ${NIX_LIB}/defaults.nix).static; in {
        interfaces.${JSON.stringify(label)} = builtins.removeAttrs s [ "ip" "dns" ] // (if s ? ip then { address = s.ip; } else { });
      } // (if (c.static or { }) ? dns then { dns = c.static.dns; } else { }));
    tsion = { scripts = ${scripts}; } // (if c ? init then { inherit (c) init; } else { });
  }`;
}

function moduleRenames(c: Record<string, unknown>): Record<string, string> {
  const at = `networking.interfaces.${(c.label as string | undefined) ?? "cloud-hypervisor"}`;
  return {
    mode: "networking.mode",
    init: "tsion.init",
    netcheck: "networking.netcheck.enable",
    label: "networking.interfaces",
    static: "networking.interfaces",
    "static.ip": `${at}.address`,
    "static.netmask": `${at}.netmask`,
    "static.gateway": `${at}.gateway`,
    "static.dns": "networking.dns",
  };
}

describe.skipIf(need.skip)("Nix and tsion pack agree", () => {
  const fx = useNixFixture(need);

  describe("the file set of every mode and era equals `tsion pack --format json`", () => {
    for (const c of VALID) {
      it(c.name, async () => {
        const project = fs.mkdtempSync(path.join(fx.nix.dir, "cfg-"));
        fs.writeFileSync(path.join(project, "net.json"), JSON.stringify(c.config));
        const cli = await tsion(["pack", "--config", path.join(project, "net.json"), "--format", "json"]);
        expect(cli.exitCode).toBe(0);
        const expected = JSON.parse(cli.stdout) as unknown;

        const config = fx.json(`valid-${VALID.indexOf(c)}`, c.config);
        // The script as this very CLI run compiled it (as an attribute set of texts), so the
        // comparison is about the file set, not about the compiler between two runs.
        const scripts = fx.json(`valid-scripts-${VALID.indexOf(c)}`, scriptsOf(expected as JsonFiles));
        const lib = `(import ${NIX_LIB})`;
        const viaMk = await nixEval(fx.nix, `${TO_JSON_SHAPE} (${lib}.mkNetworkFiles ((${mkArgs(scripts)}) ${config}))`);
        expect(viaMk).toEqual(expected);

        // The module's options, where the configuration has an equivalent (a label without static values has none).
        if (c.config.static !== null || c.config.label === undefined) {
          const viaModule = await nixEval(
            fx.nix,
            `${TO_JSON_SHAPE} (import ${repoRoot}/test/nix/eval-module.nix { module = import ${repoRoot}/nix/module.nix; config = (${moduleConfig(c.config, scripts)}) ${config}; }).config.tsion.networkFiles`,
          );
          expect(viaModule).toEqual(expected);
        }

        // `tsion pack --format nix` is a Nix expression for the very same attribute set (its own run's scripts again).
        const nixOut = await tsion(["pack", "--config", path.join(project, "net.json"), "--format", "nix", "--out", path.join(project, "files.nix")]);
        expect(nixOut.exitCode).toBe(0);
        const fromNixFormat = (await nixEval(fx.nix, `${TO_JSON_SHAPE} (import ${path.join(project, "files.nix")})`)) as JsonFiles;
        const scriptsAgain = fx.json(`valid-scripts-nix-${VALID.indexOf(c)}`, scriptsOf(fromNixFormat));
        expect(await nixEval(fx.nix, `${TO_JSON_SHAPE} (${lib}.mkNetworkFiles ((${mkArgs(scriptsAgain)}) ${config}))`)).toEqual(fromNixFormat);
        expect(Object.keys(fromNixFormat)).toEqual(Object.keys(expected as JsonFiles));
      });
    }
  });

  describe("every invalid configuration is refused with the same fields, values and reasons", () => {
    for (const c of INVALID) {
      it(c.name, async () => {
        const expected = tsMessages(c.config);
        expect(expected).toEqual(c.messages);
        const config = fx.json(`invalid-${INVALID.indexOf(c)}`, c.config);

        const validated = await nixEval(fx.nix, `let v = import ${NIX_LIB}/validate.nix; in map v.formatProblem (v.validate ${config}).problems`);
        expect(validated).toEqual(expected);

        const mk = await nixEvalError(fx.nix, `(import ${NIX_LIB}).mkNetworkFiles ((${mkArgs(fx.scriptsDir)}) ${config})`);
        expect(thrownProblems(mk, "mkNetworkFiles")).toEqual(renamed(expected, { mode: "networkMode", static: "staticNetworkConfig" }));

        if (c.module !== false) {
          const mod = await nixEvalError(
            fx.nix,
            `(import ${repoRoot}/test/nix/eval-module.nix { module = import ${repoRoot}/nix/module.nix; config = (${moduleConfig(c.config, fx.scriptsDir)}) ${config}; }).config.tsion.networkFiles`,
          );
          expect(thrownProblems(mod, "networking")).toEqual(renamed(expected, moduleRenames(c.config)));
        }
      });
    }

    it("configurations only JSON can express: unknown settings, not an object", async () => {
      for (const raw of [{ mode: "auto", modes: "static" }, ["auto"], { mode: "static", static: "172.16.0.2" }, { mode: null }]) {
        const config = fx.json("json-only", raw);
        expect(await nixEval(fx.nix, `let v = import ${NIX_LIB}/validate.nix; in map v.formatProblem (v.validate ${config}).problems`)).toEqual(tsMessages(raw));
      }
    });

    it("module only: more than one interface, unknown interface settings", async () => {
      const err = await nixEvalError(
        fx.nix,
        `(import ${NIX_LIB}).networkFilesFromOptions { scripts = ${fx.scriptsDir}; mode = "static";
          interfaces = { a = { address = "10.0.0.2"; netmask = "24"; gateway = "10.0.0.1"; }; b = { address = "10.0.1.2"; netmask = "24"; gateway = "10.0.1.1"; ip = "x"; }; }; }`,
      );
      expect(thrownProblems(err, "networking")).toEqual([
        'networking.interfaces: ["a","b"] names 2 interfaces; the scripts configure one (netstack drives only the first NIC)',
      ]);
      const unknown = await nixEvalError(
        fx.nix,
        `(import ${NIX_LIB}).networkFilesFromOptions { scripts = ${fx.scriptsDir}; mode = "static";
          interfaces.lab = { address = "10.0.0.2"; netmask = "24"; gateway = "10.0.0.1"; ip = "10.0.0.2"; }; }`,
      );
      expect(thrownProblems(unknown, "networking")).toEqual(["networking.interfaces.lab.ip: unknown setting (expected address, netmask, gateway)"]);
    });
  });

  it("the module declares networking.mode, networking.dns, networking.interfaces.<label> and tsion.*, with the defaults of mkNetworkFiles", async () => {
    const options = (await nixEval(
      fx.nix,
      `let m = import ${repoRoot}/test/nix/eval-module.nix { module = import ${repoRoot}/nix/module.nix; config = { tsion.scripts = ${fx.scriptsDir}; }; };
           o = m.options; in {
        mode = { inherit (o.networking.mode) type default; };
        dns = { inherit (o.networking.dns) type default; };
        interfaces = { inherit (o.networking.interfaces) default; type = o.networking.interfaces.type.name; elem = o.networking.interfaces.type.elemType.name;
                       fields = builtins.mapAttrs (_: f: f.type.name) o.networking.interfaces.type.elemType.options; };
        init = { inherit (o.tsion.init) type default; };
        netcheck = { inherit (o.networking.netcheck.enable) type default; };
        networkFilesReadOnly = o.tsion.networkFiles.readOnly;
        files = builtins.attrNames m.config.tsion.networkFiles;
      }`,
    )) as Record<string, unknown>;
    expect(options).toEqual({
      mode: { type: { name: "str" }, default: "auto" },
      dns: { type: { name: "listOf", elemType: { name: "str" } }, default: [] },
      interfaces: { default: {}, type: "attrsOf", elem: "submodule", fields: { address: "str", netmask: "str", gateway: "str" } },
      init: { type: { name: "str" }, default: "current" },
      netcheck: { type: { name: "bool" }, default: false },
      networkFilesReadOnly: true,
      // auto with no interface: no fallback, so no /etc/net/<label> files.
      files: ["etc/init.d/16_netcfg.service", "usr/bin/netcfg-auto"],
    });
  });

  it("the Nix renderer writes any content (hostile strings, every control character but NUL) exactly", async () => {
    const contents = [...HOSTILE, ALL_CONTROLS, `${ALL_CONTROLS}\n${ALL_CONTROLS}`];
    const set: GuestFileSet = {
      config: { mode: "auto", label: "cloud-hypervisor", init: "current" },
      files: contents.map((content, i) => ({ path: `f/${String(i).padStart(3, "0")}`, mode: 0o644, content })),
    };
    const file = path.join(fx.nix.dir, "hostile.nix");
    fs.writeFileSync(file, renderNix(set, "0.0.0"));
    const actual = (await nixEval(fx.nix, `builtins.mapAttrs (_: f: f.text) (import ${file})`)) as Record<string, string>;
    expect(actual).toEqual(Object.fromEntries(set.files.map((f) => [f.path, f.content])));
    expect(() => renderNix({ ...set, files: [{ path: "nul", mode: 0o644, content: "a\u0000b" }] }, "0.0.0")).toThrow(/NUL/);
  });
});
