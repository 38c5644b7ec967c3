/** `tsion check [FILES...]`: diagnostics only, no output files. Default: every entry point. */
import { compileAll } from "./compiler-api.ts";
import { findEntries, requireSourceFile } from "./entries.ts";
import { EXIT_DIAGNOSTICS, EXIT_OK } from "./errors.ts";
import { reportDiagnostics } from "./report.ts";

export async function runCheck(files: string[], cwd = process.cwd()): Promise<number> {
  const entries = files.length > 0 ? files.map((f) => requireSourceFile(f, cwd)) : findEntries(cwd);
  const results = await compileAll(entries, { checkOnly: true });
  const failed = reportDiagnostics([...results.values()].flatMap((r) => r.diagnostics));
  if (failed) return EXIT_DIAGNOSTICS;
  process.stdout.write(`${entries.length} ${entries.length === 1 ? "file" : "files"} checked, no errors.\n`);
  return EXIT_OK;
}
