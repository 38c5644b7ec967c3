/**
 * The declaration file a packed tsion gives TypeScript for `tsion/runtime`
 * (package.json "exports" → "./runtime" → "types"): the same declarations the
 * compiler checks guest code against (compile.ts runtimeDeclarations, derived
 * from runtime-shims/runtime/index.ts), so a guest project type-checks with
 * `tsc` without Node's types. Written by `npm pack` (prepack) and removed
 * after it (postpack); inside this repository, TypeScript falls back to the
 * runtime's source.
 *
 *   node --import tsx compiler/src/cli/runtime-types.ts            write types/runtime.d.ts
 *   node --import tsx compiler/src/cli/runtime-types.ts --remove   remove it again
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { writeFileAtomic } from "./atomic-write.ts";
import { PACKAGE_ROOT } from "./package-info.ts";

/** Where package.json's "types" condition for ./runtime points. */
export const RUNTIME_TYPES = path.join(PACKAGE_ROOT, "types", "runtime.d.ts");

export async function writeRuntimeTypes(file = RUNTIME_TYPES): Promise<void> {
  const { runtimeDeclarations } = await import("../compile.ts");
  writeFileAtomic(file, runtimeDeclarations(), 0o644);
}

export function removeRuntimeTypes(file = RUNTIME_TYPES): void {
  fs.rmSync(file, { force: true });
  try {
    fs.rmdirSync(path.dirname(file));
  } catch {
    // not empty, or already gone
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  if (process.argv.includes("--remove")) removeRuntimeTypes();
  else await writeRuntimeTypes();
}
