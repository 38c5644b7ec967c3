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

/** Writes all diagnostics (sorted, with the summary) to stderr; true when any is an error. */
export function reportDiagnostics(list: readonly Diagnostic[]): boolean {
  if (list.length > 0) {
    process.stderr.write(formatDiagnostics(list, readSource, { color: colorEnabled(process.stderr) }));
  }
  return hasErrors(list);
}
