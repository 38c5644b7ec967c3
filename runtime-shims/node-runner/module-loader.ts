/**
 * A tiny CommonJS loader for guest TypeScript inside a fresh `node:vm`
 * context: each module is transpiled with the TypeScript bundled in ts-morph
 * (`ts.transpileModule`, no type checking; `tsion check` does that), relative
 * imports are resolved to `.ts` files, and `tsion/runtime` is the real
 * runtime module of the host realm.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import { ts } from "ts-morph";
import { registerSourceMap } from "../runtime/location.ts";

const transpiled = new Map<string, { mtimeMs: number; code: string }>();

/** CommonJS JavaScript of a TS file (cached by path and mtime). */
export function transpileFile(file: string): string {
  const mtimeMs = fs.statSync(file).mtimeMs;
  const hit = transpiled.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.code;
  const out = ts.transpileModule(fs.readFileSync(file, "utf8"), {
    fileName: file,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      // kept so that a runtime failure names the TypeScript line (runtime-shims/runtime/location.ts)
      sourceMap: true,
      inlineSourceMap: false,
    },
  });
  if (out.sourceMapText) registerSourceMap(file, JSON.parse(out.sourceMapText));
  transpiled.set(file, { mtimeMs, code: out.outputText });
  return out.outputText;
}

function resolveRelative(fromDir: string, spec: string): string {
  const base = path.resolve(fromDir, spec);
  for (const candidate of [base, `${base}.ts`, path.join(base, "index.ts")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`Cannot find module '${spec}' imported from ${fromDir}`);
}

export interface LoaderOptions {
  /** Modules provided by the host realm, by import specifier (e.g. `tsion/runtime`). */
  builtins: Record<string, unknown>;
  /** Globals of the fresh context (e.g. `console`). */
  globals: Record<string, unknown>;
}

/** Load and run `entry` (and its imports) in a new vm context. Exceptions propagate. */
export function runModuleGraph(entry: string, opts: LoaderOptions): void {
  const context = vm.createContext({ ...opts.globals });
  const cache = new Map<string, { exports: unknown }>();

  const load = (file: string): unknown => {
    const cached = cache.get(file);
    if (cached) return cached.exports;
    const module = { exports: {} as unknown };
    cache.set(file, module);
    const wrapper = vm.runInContext(
      `(function (exports, require, module, __filename, __dirname) {${transpileFile(file)}\n})`,
      context,
      { filename: file },
    ) as (e: unknown, r: (s: string) => unknown, m: { exports: unknown }, f: string, d: string) => void;
    const dir = path.dirname(file);
    const require = (spec: string): unknown => {
      if (Object.prototype.hasOwnProperty.call(opts.builtins, spec)) return opts.builtins[spec];
      if (spec.startsWith("./") || spec.startsWith("../")) return load(resolveRelative(dir, spec));
      throw new Error(`guest code cannot import '${spec}' (only relative modules and tsion/runtime)`);
    };
    wrapper(module.exports, require, module, file, dir);
    return module.exports;
  };

  load(path.resolve(entry));
}
