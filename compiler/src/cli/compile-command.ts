/** `tsion compile FILE.ts [-o OUT]`: one entry point to Ion, on stdout or atomically to OUT. */
import * as path from "node:path";
import { compileAll } from "./compiler-api.ts";
import { writeFileAtomic } from "./atomic-write.ts";
import { requireSourceFile } from "./entries.ts";
import { EXIT_DIAGNOSTICS, EXIT_OK } from "./errors.ts";
import { reportDiagnostics } from "./report.ts";

export const SCRIPT_MODE = 0o755;

export async function runCompile(file: string, options: { output?: string }, cwd = process.cwd()): Promise<number> {
  const entry = requireSourceFile(file, cwd);
  const result = (await compileAll([entry])).get(entry)!;
  const failed = reportDiagnostics(result.diagnostics);
  if (failed || result.ion === undefined) return EXIT_DIAGNOSTICS;
  if (options.output === undefined || options.output === "-") {
    process.stdout.write(result.ion);
  } else {
    writeFileAtomic(path.resolve(cwd, options.output), result.ion, SCRIPT_MODE);
  }
  return EXIT_OK;
}
