/**
 * Compiles the guest scripts a file set needs, with the compiler API (not
 * from dist/), so `tsion pack` works on a fresh clone. Paths in the scripts'
 * headers are relative to the repository root whatever the current
 * directory, so the same input gives the same bytes.
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "../compiler/src/cli/errors.ts";
import type { Diagnostic } from "../compiler/src/diagnostics.ts";
import type { ScriptName } from "./init-units.ts";
import type { CompiledScript, ScriptCommand } from "./file-set.ts";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function scriptSource(script: ScriptName): string {
  return path.join(REPO_ROOT, "guest-scripts", `${script}.ts`);
}

interface CompilerResult {
  ion?: string;
  diagnostics: Diagnostic[];
  /** The programs the script can run (compiler/src/ion/commands.ts). */
  externalCommands?: { name: string; optional: boolean }[];
}

interface CompilerModule {
  compileEntries(entries: string[], options?: { cwd?: string }): Map<string, CompilerResult>;
}

export interface CompiledScripts {
  scripts: Map<ScriptName, CompiledScript>;
  diagnostics: Diagnostic[];
  /** True when every script compiled (diagnostics hold no error). */
  ok: boolean;
}

/** Compiles `names` in one project. Loaded lazily: ts-morph is slow to import and `--help` needs none of it. */
export async function compileScripts(names: readonly ScriptName[]): Promise<CompiledScripts> {
  let compiler: CompilerModule;
  try {
    compiler = (await import("../compiler/src/compile.ts")) as unknown as CompilerModule;
  } catch (err) {
    throw new CliError(`compiler not available: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
  }
  const entries = names.map(scriptSource);
  const results = compiler.compileEntries(entries, { cwd: REPO_ROOT });
  const scripts = new Map<ScriptName, CompiledScript>();
  const diagnostics: Diagnostic[] = [];
  let ok = true;
  names.forEach((name, i) => {
    const r = results.get(entries[i]!);
    if (r === undefined) throw new Error(`the compiler returned no result for ${entries[i]}`);
    diagnostics.push(...r.diagnostics);
    if (r.ion === undefined || r.diagnostics.some((d) => d.category === "error")) {
      ok = false;
      return;
    }
    const compiled: CompiledScript = { text: r.ion };
    if (r.externalCommands !== undefined) {
      compiled.commands = r.externalCommands.map((c): ScriptCommand => ({ name: c.name, optional: c.optional }));
    }
    scripts.set(name, compiled);
  });
  return { scripts, diagnostics, ok };
}
