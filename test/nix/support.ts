/** Shared set-up of the nix suites: the requirement, a private nix, the compiled scripts as files. */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { compileScripts } from "../../pack/compile-scripts.ts";
import type { ScriptName } from "../../pack/init-units.ts";
import { requirement, type Requirement } from "../support/requirements.ts";
import { makeNixEnv, whyNoNix, type NixEnv } from "./nix-env.ts";
import { repoRoot } from "../cli/helpers.ts";

export const NIX_LIB = path.join(repoRoot, "nix", "lib");
export const SCRIPT_NAMES: ScriptName[] = ["netcfg-auto", "netcfg-ch", "netcfg-static", "netcheck"];

export async function nixRequirement(suite: string): Promise<Requirement> {
  return requirement(suite, await whyNoNix());
}

export interface NixFixture {
  nix: NixEnv;
  /** A directory holding <script>.ion for every script, compiled as `tsion pack` compiles them. */
  scriptsDir: string;
  /** Writes a JSON value to a file under the fixture and returns the Nix expression reading it. */
  json(name: string, value: unknown): string;
}

export async function makeFixture(): Promise<NixFixture> {
  const nix = makeNixEnv();
  const scriptsDir = path.join(nix.dir, "scripts");
  fs.mkdirSync(scriptsDir);
  const compiled = await compileScripts(SCRIPT_NAMES).catch((err: unknown) => {
    nix.cleanup();
    throw err;
  });
  if (!compiled.ok) {
    nix.cleanup();
    const errors = compiled.diagnostics.filter((d) => d.category === "error").map((d) => `${d.file}(${d.line},${d.col}): ${d.code} ${d.message}`);
    throw new Error(`the guest scripts do not compile:\n${errors.join("\n")}`);
  }
  for (const [name, script] of compiled.scripts) fs.writeFileSync(path.join(scriptsDir, `${name}.ion`), script.text);
  return {
    nix,
    scriptsDir,
    json(name, value) {
      const file = path.join(nix.dir, `${name}.json`);
      fs.writeFileSync(file, JSON.stringify(value));
      return `(builtins.fromJSON (builtins.readFile ${file}))`;
    },
  };
}

/**
 * A suite's private nix with the compiled scripts: made in its beforeAll (after
 * the requirement is asserted), removed in its afterAll. Call inside describe();
 * the returned object is filled in before the first test runs.
 */
export function useNixFixture(need: Requirement): NixFixture {
  const fx = {} as NixFixture;
  beforeAll(async () => {
    need.assert();
    Object.assign(fx, await makeFixture());
  });
  afterAll(() => (fx as Partial<NixFixture>).nix?.cleanup());
  return fx;
}

/** The lines of a nix `throw` after its first line ("who: invalid network configuration:"), trimmed. */
export function thrownProblems(stderr: string, who: string): string[] {
  const lines = stderr.split("\n");
  const start = lines.findIndex((l) => l.includes(`${who}: invalid network configuration:`));
  if (start < 0) throw new Error(`no '${who}' error in:\n${stderr}`);
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!/^\s+\S/.test(l)) break;
    out.push(l.trim());
  }
  return out;
}

/** A Nix function from a configuration as `tsion pack --config` takes it to mkNetworkFiles' arguments; `scripts` is a Nix expression. */
export const mkArgs = (scripts: string): string => `c: { scripts = ${scripts}; }
  // (if c ? mode then { networkMode = c.mode; } else { })
  // (if c ? static then { staticNetworkConfig = c.static; } else { })
  // (if c ? label then { inherit (c) label; } else { })
  // (if c ? init then { inherit (c) init; } else { })
  // (if c ? netcheck then { inherit (c) netcheck; } else { })`;

/** The files in the JSON format's shape ({ mode, content }). */
export const TO_JSON_SHAPE = "builtins.mapAttrs (_: f: { inherit (f) mode; content = f.text; })";
