/** Printing diagnostics to stderr with code frames read from disk. */
import * as fs from "node:fs";
import { colorEnabled, formatDiagnostics, hasErrors, type Diagnostic } from "../diagnostics.ts";

function readSource(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * An error in a lib module is found once per entry point importing it; report
 * it once.
 */
export function uniqueDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = JSON.stringify([d.file, d.line, d.col, d.length, d.code, d.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Writes all diagnostics (deduplicated, sorted, with the summary) to stderr,
 * or to `write` (in colour only when told); true when any is an error.
 */
export function reportDiagnostics(
  all: readonly Diagnostic[],
  write: (s: string) => void = (s) => void process.stderr.write(s),
  color = colorEnabled(process.stderr),
): boolean {
  const list = uniqueDiagnostics(all);
  if (list.length > 0) write(formatDiagnostics(list, readSource, { color }));
  return hasErrors(list);
}
