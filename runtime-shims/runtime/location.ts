/**
 * Where a runtime failure happened, as both backends name it: the guest's
 * TypeScript file and line of the call that failed (`tsion: FILE:LINE:
 * MESSAGE`, docs/runtime-api.md).
 *
 * FILE is relative to the project root, the nearest directory above the
 * file that holds a package.json (the file's absolute path when there is
 * none), so it does not depend on the directory a script runs in. The
 * compiler writes the same label into the generated Ion (`sourceLabel`);
 * the Node implementation finds the calling frame on the stack
 * (`callerLocation`).
 */
import * as fs from "node:fs";
import { findSourceMap, SourceMap } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const roots = new Map<string, string | null>();

/** The project root of `dir`: the nearest directory at or above it with a package.json. */
function projectRoot(dir: string): string | null {
  const known = roots.get(dir);
  if (known !== undefined) return known;
  const parent = path.dirname(dir);
  const root = fs.existsSync(path.join(dir, "package.json")) ? dir : parent === dir ? null : projectRoot(parent);
  roots.set(dir, root);
  return root;
}

/** `file` as failure messages name it: relative to its project root, `/`-separated. */
export function sourceLabel(file: string): string {
  const root = projectRoot(path.dirname(file));
  return root === null ? file : path.relative(root, file).split(path.sep).join("/");
}

/** Source maps of guest modules a runner transpiled itself (runtime-shims/node-runner), by file. */
const registered = new Map<string, SourceMap>();

/** Record how `file`'s transpiled code maps back to its TypeScript lines. */
export function registerSourceMap(file: string, payload: object): void {
  registered.set(file, new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0]));
}

/** This folder: frames here are the runtime's own, never the failing call. */
const RUNTIME_DIR = path.dirname(fileURLToPath(import.meta.url));

interface CallSite {
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
}

/** The stack of the caller, as V8 call sites (positions in the code that runs). */
function callSites(): CallSite[] {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    Error.prepareStackTrace = (_e, sites) => sites;
    Error.stackTraceLimit = 50;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, callSites);
    return (holder.stack as CallSite[]) ?? [];
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

/**
 * `FILE:LINE` of the guest code that called into the runtime: the first
 * frame outside this folder, its line mapped back to the TypeScript source
 * (the runner's own source map, or the one Node keeps for code a loader
 * such as tsx transformed). Undefined when no such frame exists.
 */
export function callerLocation(): string | undefined {
  for (const site of callSites()) {
    let file = site.getFileName();
    if (!file) continue;
    if (file.startsWith("file://")) file = fileURLToPath(file);
    if (!path.isAbsolute(file) || path.dirname(file) === RUNTIME_DIR) continue;
    let line = site.getLineNumber() ?? 0;
    const map = registered.get(file) ?? findSourceMap(file);
    const entry = map?.findEntry(line - 1, (site.getColumnNumber() ?? 1) - 1) as { originalLine?: number } | undefined;
    if (entry && typeof entry.originalLine === "number") line = entry.originalLine + 1;
    return `${sourceLabel(file)}:${line}`;
  }
  return undefined;
}
