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

export interface BuildOptions {
  outDir?: string;
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

export async function runBuild(options: BuildOptions, cwd = process.cwd()): Promise<number> {
  const entries = findEntries(cwd);
  const outDir = path.resolve(cwd, options.outDir ?? DEFAULT_OUT_DIR);
  const results = await compileAll(entries);
  const diagnostics: Diagnostic[] = [];
  const table: Line[] = [];
  let failures = 0;
  for (const entry of entries) {
    const result = results.get(entry)!;
    diagnostics.push(...result.diagnostics);
    const source = path.relative(cwd, entry);
    const errors = result.diagnostics.filter((d) => d.category === "error").length;
    if (errors > 0 || result.ion === undefined) {
      failures++;
      table.push({ name: ionName(entry), detail: `not written: ${errors} ${errors === 1 ? "error" : "errors"}`, source });
      continue;
    }
    writeFileAtomic(path.join(outDir, ionName(entry)), result.ion, SCRIPT_MODE);
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
  reportDiagnostics(diagnostics);
  printTable(table);
  const rel = path.relative(cwd, outDir);
  // Outside the working tree an absolute path reads better than ../../..
  const shownOut = rel === "" ? "." : rel.startsWith("..") ? outDir : rel;
  const initNote = initFiles.length > 0 ? `, ${initFiles.length} init ${initFiles.length === 1 ? "file" : "files"} copied to ${path.join(shownOut, INIT_DIR)}/` : "";
  const written = entries.length - failures;
  process.stdout.write(`${written} of ${entries.length} ${entries.length === 1 ? "script" : "scripts"} written to ${shownOut}/${initNote}\n`);
  return failures > 0 ? EXIT_DIAGNOSTICS : EXIT_OK;
}
