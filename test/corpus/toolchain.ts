/**
 * Lazy access to the compiler (compiler/src/compile.ts) and ion-sim
 * (runtime-shims/ion-sim/index.ts): when one cannot be loaded, suites that
 * need it skip with a visible reason outside CI, and fail under CI=true
 * (test/support/requirements.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { execaSync } from "execa";
import { REPO_ROOT } from "./corpus.ts";
import type { Host } from "../../runtime-shims/host/types.ts";
import { requirement } from "../support/requirements.ts";

export interface Diag {
  file: string;
  line: number;
  col: number;
  code: string;
  message: string;
  hint?: string;
  category?: "error" | "warning";
}
export interface CompileResult {
  ion?: string;
  diagnostics: Diag[];
}
export interface Compiler {
  compileFile(entry: string): CompileResult;
  /** Many entries in one project when the compiler offers it (much faster). */
  compileMany(entries: string[]): Map<string, CompileResult>;
}
export interface IonSim {
  runIon(
    source: string,
    opts: { fileName: string; args?: string[]; env: Record<string, string>; host: Host; stdin?: string },
  ): { status: number };
}

export const COMPILE_TS = path.join(REPO_ROOT, "compiler/src/compile.ts");
export const ION_SIM_TS = path.join(REPO_ROOT, "runtime-shims/ion-sim/index.ts");

export type Loaded<T> = { ok: true; value: T } | { ok: false; reason: string };

async function importIfPresent(file: string): Promise<Loaded<Record<string, unknown>>> {
  if (!fs.existsSync(file)) return { ok: false, reason: `${path.relative(REPO_ROOT, file)} does not exist yet` };
  try {
    return { ok: true, value: (await import(file)) as Record<string, unknown> };
  } catch (e) {
    return { ok: false, reason: `${path.relative(REPO_ROOT, file)} fails to load: ${String(e).split("\n")[0]}` };
  }
}

/** A part that cannot be loaded: skipped visibly outside CI; under CI=true the suite fails here. */
function unavailable<T>(what: string, reason: string): Loaded<T> {
  const need = requirement(`test (${what})`, reason);
  if (!need.skip) need.assert();
  return { ok: false, reason };
}

export async function loadCompiler(): Promise<Loaded<Compiler>> {
  const m = await importIfPresent(COMPILE_TS);
  if (!m.ok) return unavailable("compiler", m.reason);
  const compileFile = m.value.compileFile as Compiler["compileFile"] | undefined;
  const compileEntries = m.value.compileEntries as ((entries: string[]) => Map<string, CompileResult>) | undefined;
  if (typeof compileFile !== "function") return unavailable("compiler", "compile.ts does not export compileFile");
  const compileMany = (entries: string[]): Map<string, CompileResult> => {
    if (typeof compileEntries !== "function") return new Map(entries.map((e) => [e, compileFile(e)]));
    const got = compileEntries(entries);
    const byResolved = new Map<string, CompileResult>();
    for (const [k, v] of got) byResolved.set(path.resolve(k), v);
    return new Map(entries.map((e) => [e, got.get(e) ?? byResolved.get(path.resolve(e)) ?? compileFile(e)]));
  };
  return { ok: true, value: { compileFile, compileMany } };
}

export async function loadIonSim(): Promise<Loaded<IonSim>> {
  const m = await importIfPresent(ION_SIM_TS);
  if (!m.ok) return unavailable("ion-sim", m.reason);
  if (typeof m.value.runIon !== "function") return unavailable("ion-sim", "ion-sim/index.ts does not export runIon");
  return { ok: true, value: { runIon: m.value.runIon as IonSim["runIon"] } };
}

/** The real ion binary: $ION_BIN, else `ion` on PATH, else undefined. */
export function findIonBinary(): string | undefined {
  if (process.env.ION_BIN) return process.env.ION_BIN;
  try {
    const r = execaSync("sh", ["-c", "command -v ion"], { reject: false });
    return r.exitCode === 0 && r.stdout.trim() !== "" ? r.stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** The rendered text of a diagnostic list, for assertion messages. */
export function showDiagnostics(ds: Diag[]): string {
  return ds.map((d) => `${d.file}(${d.line},${d.col}): ${d.code}: ${d.message}`).join("\n");
}
