/**
 * The CLI's only door to the compiler core. compile.ts (ts-morph, the TS
 * checker) is imported lazily so `--help`, `--version` and usage errors stay
 * fast, and so a broken or missing core gives a one-line error, not a crash.
 *
 * One rule for files the CLI cannot read, whoever names them (the command
 * line, `build`'s entry list, an import): `tsion: error: cannot read <path>:
 * <reason>`, exit 2, before anything is written. A module that an import
 * names but that does not exist is a mistake in the source, reported by
 * TypeScript (TS2307, exit 1).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Diagnostic } from "../diagnostics.ts";
import type { ExternalCommand } from "../ion/commands.ts";
import { CliError, describeIoError } from "./errors.ts";

export interface CompileResult {
  ion?: string;
  diagnostics: Diagnostic[];
  externalCommands?: ExternalCommand[];
}

interface CompilerModule {
  compileEntries?: (entries: string[], options?: { checkOnly?: boolean }) => Map<string, CompileResult>;
  compileFile?: (entry: string) => CompileResult;
}

let loaded: Promise<CompilerModule> | undefined;

function loadCompiler(): Promise<CompilerModule> {
  // Imported by URL so the CLI type-checks and starts even while compile.ts is absent.
  loaded ??= import(new URL("../compile.ts", import.meta.url).href).then(
    (m) => m as CompilerModule,
    (err: unknown) => {
      loaded = undefined;
      throw new CliError(`compiler not available: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    },
  );
  return loaded;
}

/** A path as the user knows it: relative to the working directory when inside it. */
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel === "" || rel.startsWith("..") ? file : rel;
}

/** Every entry must be a readable file before the compiler sees it (I/O error, exit 2). */
function requireReadable(entries: string[]): void {
  for (const entry of entries) {
    try {
      fs.closeSync(fs.openSync(entry, "r"));
    } catch (err) {
      throw describeIoError(err, "read", shown(entry));
    }
  }
}

/** The compiler reads imported modules itself; one it cannot read is an I/O error like an unreadable entry. */
function ioErrorOf(err: unknown): CliError | undefined {
  const e = err as NodeJS.ErrnoException | null;
  if (typeof e?.code !== "string" || typeof e.path !== "string") return undefined;
  return describeIoError(err, "read", shown(e.path));
}

/**
 * Compiles (or only checks) the given absolute entry paths in one shared
 * project; the result map is keyed by exactly the paths passed in.
 */
export async function compileAll(entries: string[], options: { checkOnly?: boolean } = {}): Promise<Map<string, CompileResult>> {
  requireReadable(entries);
  const compiler = await loadCompiler();
  const out = new Map<string, CompileResult>();
  try {
    if (typeof compiler.compileEntries === "function") {
      const results = compiler.compileEntries(entries, options);
      // Accept keys in any spelling of the same path (relative, normalized).
      const byResolved = new Map<string, CompileResult>();
      for (const [key, value] of results) byResolved.set(path.resolve(key), value);
      for (const entry of entries) {
        const r = results.get(entry) ?? byResolved.get(path.resolve(entry));
        if (r === undefined) throw new Error(`compiler returned no result for ${entry}`);
        out.set(entry, r);
      }
    } else if (typeof compiler.compileFile === "function") {
      for (const entry of entries) out.set(entry, compiler.compileFile(entry));
    } else {
      throw new CliError("compiler not available: compile.ts exports neither compileEntries nor compileFile");
    }
  } catch (err) {
    throw ioErrorOf(err) ?? err;
  }
  return out;
}
