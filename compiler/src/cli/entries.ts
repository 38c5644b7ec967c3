/**
 * Which files are programs: every top-level `guest-scripts/*.ts` is an entry
 * point (compiled to one .ion); `guest-scripts/lib/` holds modules that entry
 * points import, and `guest-scripts/init/` holds init units copied verbatim.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CliError, describeIoError } from "./errors.ts";

export const GUEST_DIR = "guest-scripts";
export const INIT_DIR = "init";
export const DEFAULT_OUT_DIR = path.join("dist", "ion");

function isEntryName(name: string): boolean {
  return name.endsWith(".ts") && !name.endsWith(".d.ts") && !name.endsWith(".test.ts");
}

/** Absolute paths of the entry points under `<root>/guest-scripts/`, sorted. */
export function findEntries(root: string): string[] {
  const dir = path.join(root, GUEST_DIR);
  let dirents: fs.Dirent[];
  try {
    dirents = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw describeIoError(err, "read", path.relative(root, dir) || dir);
  }
  const entries = dirents.filter((d) => d.isFile() && isEntryName(d.name)).map((d) => path.join(dir, d.name));
  if (entries.length === 0) throw new CliError(`no entry points (*.ts) in ${path.relative(root, dir) || dir}`);
  return entries.sort();
}

/** Files under `<root>/guest-scripts/init/` (recursively), as paths relative to that directory. */
export function findInitFiles(root: string): string[] {
  const dir = path.join(root, GUEST_DIR, INIT_DIR);
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const d of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, d.name);
      if (d.isDirectory()) walk(r);
      else if (d.isFile()) out.push(r);
    }
  };
  walk("");
  return out.sort();
}

/** The .ion name for an entry: `guest-scripts/netcfg-auto.ts` → `netcfg-auto.ion`. */
export function ionName(entry: string): string {
  return `${path.basename(entry, ".ts")}.ion`;
}

/** Resolves and stats a path the user named, failing with the CLI's I/O error (`cannot read FILE: …`). */
export function statUserPath(file: string, cwd: string): { abs: string; stat: fs.Stats } {
  const abs = path.resolve(cwd, file);
  try {
    return { abs, stat: fs.statSync(abs) };
  } catch (err) {
    throw describeIoError(err, "read", file);
  }
}

/** Resolves a user-given input file, failing with an I/O error if it is not a readable file. */
export function requireSourceFile(file: string, cwd: string): string {
  const { abs, stat } = statUserPath(file, cwd);
  if (!stat.isFile()) throw new CliError(`cannot read ${file}: not a regular file`);
  return abs;
}
