/** This package's own package.json (version, the TypeScript it is checked with), and where it lives. */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: where package.json, templates/ and runtime-shims/ are. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

interface PackageJson {
  version: string;
  devDependencies?: Record<string, string>;
}

let cached: PackageJson | undefined;

function packageJson(): PackageJson {
  cached ??= JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as PackageJson;
  return cached;
}

export function packageVersion(): string {
  return packageJson().version;
}

/** The TypeScript version range tsion itself is developed with (for the projects `tsion init` makes). */
export function typescriptRange(): string {
  return packageJson().devDependencies?.typescript ?? "^5";
}
