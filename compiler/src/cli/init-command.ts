/**
 * `tsion init [DIR]`: a guest-script project in DIR (default: the current
 * directory) from templates/init/: an example entry point and lib module in
 * guest-scripts/, example scenarios in scenarios/, a tsconfig.json that
 * type-checks the guest code against `tsion/runtime` without Node's types,
 * and the package scripts build, test and check.
 *
 * An existing file is never changed, with one exception: an existing
 * package.json gets the scripts it lacks (its own scripts win). If anything
 * cannot be written, what this run created is removed again (exit 2).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "./atomic-write.ts";
import { CliError, describeIoError, EXIT_OK } from "./errors.ts";
import { PACKAGE_ROOT, packageVersion, typescriptRange } from "./package-info.ts";

export const TEMPLATE_DIR = path.join(PACKAGE_ROOT, "templates", "init");

/** The package scripts a project gets. */
export const PROJECT_SCRIPTS: Record<string, string> = {
  build: "tsion build",
  test: "tsion test",
  check: "tsc --noEmit && tsion check",
};

/** Template files whose name npm would not pack: `gitignore` becomes `.gitignore`. */
function targetName(rel: string): string {
  return rel === "gitignore" ? ".gitignore" : rel;
}

function templateFiles(dir = TEMPLATE_DIR, rel = ""): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, d.name);
    if (d.isDirectory()) out.push(...templateFiles(dir, r));
    else if (d.isFile()) out.push(r);
  }
  return out.sort();
}

/** A package name npm accepts, from the directory name. */
function packageName(dir: string): string {
  const name = path
    .basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+/, "");
  return name === "" ? "guest-scripts" : name;
}

function newPackageJson(dir: string): string {
  const pkg = {
    name: packageName(dir),
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: PROJECT_SCRIPTS,
    devDependencies: { tsion: `^${packageVersion()}`, typescript: typescriptRange() },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** The existing package.json with the scripts it lacks, or undefined when it has them all. */
function mergedPackageJson(file: string, shown: string): { text: string; added: string[] } | undefined {
  let pkg: { scripts?: Record<string, string> };
  try {
    pkg = JSON.parse(fs.readFileSync(file, "utf8")) as typeof pkg;
  } catch (err) {
    if (err instanceof SyntaxError) throw new CliError(`cannot parse ${shown}: ${err.message}`);
    throw describeIoError(err, "read", shown);
  }
  if (typeof pkg !== "object" || pkg === null || Array.isArray(pkg)) throw new CliError(`cannot parse ${shown}: not a JSON object`);
  const scripts = { ...(pkg.scripts ?? {}) };
  const added = Object.keys(PROJECT_SCRIPTS).filter((k) => scripts[k] === undefined);
  if (added.length === 0) return undefined;
  for (const k of added) scripts[k] = PROJECT_SCRIPTS[k]!;
  return { text: `${JSON.stringify({ ...pkg, scripts }, null, 2)}\n`, added };
}

export async function runInit(dirArg: string | undefined, cwd = process.cwd()): Promise<number> {
  const dir = path.resolve(cwd, dirArg ?? ".");
  const shownDir = dirArg ?? ".";
  const shown = (rel: string) => path.join(shownDir, rel);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new CliError(`cannot create ${shownDir}: not a directory`);

  // Plan everything first: what to write, what exists already.
  const writes: { rel: string; content: string | Buffer; mode: number }[] = [];
  const kept: string[] = [];
  for (const rel of templateFiles()) {
    const target = targetName(rel);
    if (fs.existsSync(path.join(dir, target))) kept.push(target);
    else writes.push({ rel: target, content: fs.readFileSync(path.join(TEMPLATE_DIR, rel)), mode: 0o644 });
  }
  let packageNote: string;
  const pkgFile = path.join(dir, "package.json");
  if (!fs.existsSync(pkgFile)) {
    writes.push({ rel: "package.json", content: newPackageJson(dir), mode: 0o644 });
    packageNote = `created ${shown("package.json")} (scripts: ${Object.keys(PROJECT_SCRIPTS).join(", ")})`;
  } else {
    const merged = mergedPackageJson(pkgFile, shown("package.json"));
    if (merged === undefined) packageNote = `${shown("package.json")} already has the scripts ${Object.keys(PROJECT_SCRIPTS).join(", ")}`;
    else {
      writes.push({ rel: "package.json", content: merged.text, mode: fs.statSync(pkgFile).mode & 0o777 });
      packageNote = `added the scripts ${merged.added.join(", ")} to ${shown("package.json")}`;
    }
  }

  // Then write; on failure, undo what this run created or replaced.
  const created: string[] = [];
  const createdDirs: string[] = [];
  const originalPackage = fs.existsSync(pkgFile) ? fs.readFileSync(pkgFile) : undefined;
  try {
    for (let d = dir; !fs.existsSync(d); d = path.dirname(d)) createdDirs.unshift(d);
    for (const w of writes) {
      const target = path.join(dir, w.rel);
      for (let d = path.dirname(target); !fs.existsSync(d) && !createdDirs.includes(d); d = path.dirname(d)) createdDirs.push(d);
      writeFileAtomic(target, w.content, w.mode, shown(w.rel));
      if (!(w.rel === "package.json" && originalPackage !== undefined)) created.push(target);
    }
  } catch (err) {
    for (const f of created.reverse()) fs.rmSync(f, { force: true });
    if (originalPackage !== undefined) {
      try {
        writeFileAtomic(pkgFile, originalPackage, fs.statSync(pkgFile).mode & 0o777);
      } catch {
        // the package.json write itself failed: the original is still in place
      }
    }
    for (const d of [...createdDirs].sort((a, b) => b.length - a.length)) fs.rmSync(d, { recursive: true, force: true });
    throw err;
  }

  const out = (s: string) => process.stdout.write(`${s}\n`);
  for (const w of writes) if (w.rel !== "package.json") out(`created ${shown(w.rel)}`);
  for (const k of kept) out(`kept ${shown(k)} (exists)`);
  out(packageNote);
  const hasTsion = fs.existsSync(path.join(dir, "node_modules", "tsion", "package.json"));
  out("");
  out("Next:");
  if (shownDir !== ".") out(`  cd ${shownDir}`);
  if (!hasTsion) out("  npm install            # tsion and typescript");
  out("  npm run check          # tsc --noEmit and tsion check: types and the subset");
  out("  npm run build          # guest-scripts/*.ts -> dist/ion/*.ion");
  out("  npm test               # the scenarios in scenarios/ on Node and ion-sim");
  return EXIT_OK;
}
