/**
 * `tsion build [--out-dir DIR]`: every entry point `guest-scripts/*.ts` to
 * `<out>/<name>.ion` (mode 0755), and `guest-scripts/init/**` copied verbatim
 * to `<out>/init/`.
 *
 * When some entries have errors, those entries are not written (their older
 * .ion, if any, stays as it was) but the entries that compiled cleanly ARE
 * written: each .ion is self-contained (lib modules are bundled into it), so
 * one broken script must not hold back fixes to the others. The exit status
 * is then 1. Every file is replaced atomically (temp file + rename).
 *
 * `<out>/commands.json` lists the external programs each script can run
 * (compiler/src/ion/commands.ts), and the summary prints them, one line per
 * script, so an image can be checked for them. It is also build's record of
 * what it wrote (its `init` list names the init files it copied): a listed
 * script whose entry point was deleted, or a listed init file whose source is
 * gone, is named in a warning, and removed (file and entry) with `--clean`;
 * nothing else in the output directory is ever touched.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { compileAll } from "./compiler-api.ts";
import { writeFileAtomic } from "./atomic-write.ts";
import { SCRIPT_MODE } from "./compile-command.ts";
import { DEFAULT_OUT_DIR, findEntries, findInitFiles, GUEST_DIR, INIT_DIR, ionName } from "./entries.ts";
import { describeIoError, EXIT_DIAGNOSTICS, EXIT_OK } from "./errors.ts";
import { reportDiagnostics } from "./report.ts";
import type { Diagnostic } from "../diagnostics.ts";
import type { ExternalCommand } from "../ion/commands.ts";

export interface BuildOptions {
  outDir?: string;
  /** Remove the outputs of entry points that no longer exist (otherwise they are only named in a warning). */
  clean?: boolean;
}

/** One row of the summary: `netcfg-auto.ion  212 lines  4.1 KiB  (guest-scripts/netcfg-auto.ts)`. */
interface Line {
  name: string;
  /** [lines, size] when written, or the reason it was not. */
  detail: [string, string] | string;
  source: string;
}

function countLines(text: string): number {
  if (text === "") return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

export function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

function printTable(lines: Line[]): void {
  const width = (cells: string[]): number => Math.max(0, ...cells.map((c) => c.length));
  const nameW = width(lines.map((l) => l.name));
  const written = lines.flatMap((l) => (typeof l.detail === "string" ? [] : [l.detail]));
  const linesW = width(written.map((d) => d[0]));
  const sizeW = width(written.map((d) => d[1]));
  for (const l of lines) {
    const detail =
      typeof l.detail === "string" ? l.detail : `${l.detail[0].padStart(linesW)} lines  ${l.detail[1].padStart(sizeW)}`;
    process.stdout.write(`${l.name.padEnd(nameW)}  ${detail}  (${l.source})\n`);
  }
}

/** `<out>/commands.json`: the external programs each written script can run (for `tsion pack` and image checks). */
export const COMMANDS_FILE = "commands.json";

/** `cat, ls, sleep (optional)`: the programs one script runs, for the build summary. */
export function describeCommands(commands: ExternalCommand[]): string {
  if (commands.length === 0) return "no external program";
  return commands.map((c) => `${c.computed ? "a program named at run time" : c.name}${c.optional ? " (optional)" : ""}`).join(", ");
}

/** What an earlier build wrote, from `<out>/commands.json` (empty when there is none or it is unreadable). */
interface Manifest {
  scripts: Record<string, ExternalCommand[]>;
  /** Init files copied, relative to `<out>/init`. */
  init: string[];
}

function previousManifest(outDir: string): Manifest {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(outDir, COMMANDS_FILE), "utf8")) as Partial<Manifest>;
    return { scripts: parsed.scripts ?? {}, init: Array.isArray(parsed.init) ? parsed.init.filter((f) => typeof f === "string") : [] };
  } catch {
    return { scripts: {}, init: [] };
  }
}

/**
 * The commands file after this build: written scripts get their new list;
 * scripts not written, and stale scripts not removed, keep their old one.
 */
function commandsFile(previous: Record<string, ExternalCommand[]>, written: Map<string, ExternalCommand[]>, kept: string[], init: string[]): string {
  const scripts: Record<string, ExternalCommand[]> = {};
  for (const name of [...new Set([...written.keys(), ...kept])].sort()) {
    const list = written.get(name) ?? previous[name];
    if (list) scripts[name] = list;
  }
  const description = "External programs each script can run; an optional one is checked for before use. init: the init files this build copied (tsion build).";
  return JSON.stringify({ description, scripts, init: [...init].sort() }, null, 2) + "\n";
}

/**
 * Init files an earlier build copied whose source under guest-scripts/init
 * is gone (relative to `<out>/init`), when they are still there.
 */
function staleInitFiles(outDir: string, previous: string[], current: string[]): string[] {
  const now = new Set(current);
  return previous
    .filter((rel) => !now.has(rel) && !path.isAbsolute(rel) && !rel.split("/").includes(".."))
    .filter((rel) => fs.existsSync(path.join(outDir, INIT_DIR, rel)))
    .sort();
}

/**
 * Outputs of entry points that no longer exist. Build owns exactly the
 * scripts its commands.json lists (never other files in the directory); a
 * listed script whose `guest-scripts/<name>.ts` is gone is stale. Returns
 * their names (`old.ion`) whose file is still there.
 */
function staleScripts(outDir: string, previous: Record<string, ExternalCommand[]>, entries: string[]): string[] {
  const current = new Set(entries.map(ionName));
  return Object.keys(previous)
    .filter((name) => !current.has(name) && name.endsWith(".ion") && path.basename(name) === name)
    .filter((name) => fs.existsSync(path.join(outDir, name)))
    .sort();
}

/** Remove `dir` and its parents up to (and including) `top` while they are empty. */
function removeEmptyParents(dir: string, top: string): void {
  for (let d = dir; d === top || d.startsWith(top + path.sep); d = path.dirname(d)) {
    if (fs.readdirSync(d).length > 0) return;
    fs.rmdirSync(d);
    if (d === top) return;
  }
}

export async function runBuild(options: BuildOptions, cwd = process.cwd()): Promise<number> {
  const entries = findEntries(cwd);
  const outDir = path.resolve(cwd, options.outDir ?? DEFAULT_OUT_DIR);
  const results = await compileAll(entries);
  const manifest = previousManifest(outDir);
  const previous = manifest.scripts;
  const stale = staleScripts(outDir, previous, entries);
  const diagnostics: Diagnostic[] = [];
  const table: Line[] = [];
  const commands = new Map<string, ExternalCommand[]>();
  const notWritten: string[] = [];
  let failures = 0;
  for (const entry of entries) {
    const result = results.get(entry)!;
    diagnostics.push(...result.diagnostics);
    const source = path.relative(cwd, entry);
    const errors = result.diagnostics.filter((d) => d.category === "error").length;
    if (errors > 0 || result.ion === undefined) {
      failures++;
      notWritten.push(ionName(entry));
      table.push({ name: ionName(entry), detail: `not written: ${errors} ${errors === 1 ? "error" : "errors"}`, source });
      continue;
    }
    writeFileAtomic(path.join(outDir, ionName(entry)), result.ion, SCRIPT_MODE);
    commands.set(ionName(entry), result.externalCommands ?? []);
    table.push({
      name: ionName(entry),
      detail: [String(countLines(result.ion)), formatSize(Buffer.byteLength(result.ion))],
      source,
    });
  }
  const initFiles = findInitFiles(cwd);
  for (const rel of initFiles) {
    const from = path.join(cwd, GUEST_DIR, INIT_DIR, rel);
    let content: Buffer;
    let mode: number;
    try {
      content = fs.readFileSync(from);
      mode = fs.statSync(from).mode & 0o7777;
    } catch (err) {
      throw describeIoError(err, "read", path.relative(cwd, from));
    }
    writeFileAtomic(path.join(outDir, INIT_DIR, rel), content, mode);
  }
  const rel = path.relative(cwd, outDir);
  // Outside the working tree an absolute path reads better than ../../..
  const shownOut = rel === "" ? "." : rel.startsWith("..") ? outDir : rel;
  const staleNotes: string[] = [];
  const staleInit = staleInitFiles(outDir, manifest.init, initFiles);
  const outputs = [
    ...stale.map((name) => ({ file: name, source: path.join(GUEST_DIR, name.replace(/\.ion$/, ".ts")) })),
    ...staleInit.map((rel) => ({ file: path.join(INIT_DIR, rel), source: path.join(GUEST_DIR, INIT_DIR, rel) })),
  ];
  for (const { file, source } of outputs) {
    const shownFile = path.join(shownOut, file);
    if (options.clean) {
      try {
        fs.rmSync(path.join(outDir, file));
        removeEmptyParents(path.dirname(path.join(outDir, file)), path.join(outDir, INIT_DIR));
      } catch (err) {
        throw describeIoError(err, "remove", shownFile);
      }
      staleNotes.push(`removed ${shownFile}: ${source} no longer exists`);
    } else {
      process.stderr.write(`tsion: warning: ${shownFile} is stale: ${source} no longer exists (tsion build --clean removes it)\n`);
    }
  }
  const keep = [...notWritten, ...(options.clean ? [] : stale)];
  const initRecorded = [...initFiles, ...(options.clean ? [] : staleInit)];
  if (commands.size > 0 || initFiles.length > 0 || (options.clean && outputs.length > 0))
    writeFileAtomic(path.join(outDir, COMMANDS_FILE), commandsFile(previous, commands, keep, initRecorded), 0o644);
  reportDiagnostics(diagnostics);
  printTable(table);
  for (const [name, list] of commands) process.stdout.write(`${name} runs ${describeCommands(list)}\n`);
  for (const note of staleNotes) process.stdout.write(`${note}\n`);
  const initNote = initFiles.length > 0 ? `, ${initFiles.length} init ${initFiles.length === 1 ? "file" : "files"} copied to ${path.join(shownOut, INIT_DIR)}/` : "";
  const written = entries.length - failures;
  process.stdout.write(`${written} of ${entries.length} ${entries.length === 1 ? "script" : "scripts"} written to ${shownOut}/${initNote}\n`);
  return failures > 0 ? EXIT_DIAGNOSTICS : EXIT_OK;
}
