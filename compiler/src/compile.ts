/**
 * Public compiler API. One ts-morph Project (the real TypeScript checker)
 * per call; TypeScript's own errors and the subset diagnostics are reported
 * together, and no Ion is produced for an entry with any error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Project, ts, type SourceFile } from "ts-morph";
import type { Diagnostic } from "./diagnostics.ts";
import { ProgramContext } from "./lower/context.ts";
import { Codes, nodeAt, refineDiagnostic } from "./diagnostic-codes.ts";
import { lowerProgram, type ScriptStats } from "./lower/program.ts";
import { checkEmittedIon, formatProblems } from "./ion/check.ts";
import { externalCommands, type ExternalCommand } from "./ion/commands.ts";

export type { Diagnostic, ExternalCommand, ScriptStats };

export interface CompileResult {
  ion?: string;
  diagnostics: Diagnostic[];
  /** Size of the script against its source (set when Ion was produced). */
  stats?: ScriptStats;
  /** The external programs the script can run, sorted by name (set when Ion was produced). */
  externalCommands?: ExternalCommand[];
}

export interface CompileOptions {
  /** Diagnostics only. */
  checkOnly?: boolean;
  /** Paths in headers and markers are relative to this directory (default: cwd). */
  cwd?: string;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The guest API's source: `tsion/runtime` resolves here wherever the guest code lives. */
export const RUNTIME_INDEX = path.join(ROOT, "runtime-shims/runtime/index.ts");

/** Where the guest API's declarations live inside the compiler's project (in memory only). */
export const RUNTIME_DECLARATIONS = path.join(ROOT, "runtime-shims/runtime/.tsion-runtime.d.ts");

/**
 * The guest API as the type checker sees it: the exported functions of
 * runtime-shims/runtime/index.ts with their doc comments, bodies dropped.
 * Derived from the source each time, so index.ts stays the one declaration;
 * and guest programs are checked without Node's own types (no `process`,
 * no `require`), which is also what makes a build cheap.
 */
export function runtimeDeclarations(): string {
  const text = fs.readFileSync(RUNTIME_INDEX, "utf8");
  const sf = ts.createSourceFile(RUNTIME_INDEX, text, ts.ScriptTarget.ES2022, true);
  const out: string[] = [
    "// Declarations of tsion/runtime derived from runtime-shims/runtime/index.ts.",
    "declare global {",
    "  interface Console {",
    "    /** Print the arguments as Node does, then a newline, on stdout. */",
    "    log(...data: unknown[]): void;",
    "    /** Like log, on stderr. */",
    "    error(...data: unknown[]): void;",
    "  }",
    "  var console: Console;",
    "}",
  ];
  for (const st of sf.statements) {
    if (!ts.isFunctionDeclaration(st) || !st.body || !st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    const full = st.getFullText(sf);
    const head = text.slice(st.getFullStart(), st.body.getStart(sf)).trimEnd();
    out.push(head.replace(/export function/, "export declare function") + ";");
    void full;
  }
  return out.join("\n") + "\n";
}

function createProject(): Project {
  const project = new Project({
    compilerOptions: {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      noFallthroughCasesInSwitch: false,
      // Unreachable code is an error (TS7027), not silently dropped.
      allowUnreachableCode: false,
      lib: ["lib.es2022.d.ts"],
      types: [],
      paths: { "tsion/runtime": [RUNTIME_DECLARATIONS] },
    },
    skipAddingFilesFromTsConfig: true,
  });
  project.createSourceFile(RUNTIME_DECLARATIONS, runtimeDeclarations(), { overwrite: true });
  return project;
}

function fromTs(d: import("ts-morph").Diagnostic): Diagnostic {
  const sf = d.getSourceFile();
  const start = d.getStart() ?? 0;
  const pos = sf ? sf.getLineAndColumnAtPos(start) : { line: 1, column: 1 };
  const msg = d.getMessageText();
  const length = d.getLength() ?? 0;
  const code = `TS${d.getCode()}`;
  const text = typeof msg === "string" ? msg : ts.flattenDiagnosticMessageText(msg.compilerObject, "\n");
  // TypeScript's advice to install Node's types becomes what a guest uses instead.
  const { message, hint } = refineDiagnostic({ code, message: text }, sf ? nodeAt(sf.compilerNode, pos.line, pos.column, length) : undefined);
  return {
    file: sf?.getFilePath() ?? "",
    line: pos.line,
    col: pos.column,
    length,
    code,
    message,
    ...(hint === undefined ? {} : { hint }),
    category: d.getCategory() === ts.DiagnosticCategory.Warning ? "warning" : "error",
  };
}

function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds
    .filter((d) => {
      const k = `${d.file}:${d.line}:${d.col}:${d.code}:${d.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}

function compileOne(project: Project, entry: SourceFile, options: CompileOptions): CompileResult {
  const cwd = options.cwd ?? process.cwd();
  // TypeScript errors in the guest's own files (the runtime's own sources are ours to keep clean).
  const tsDiags = project
    .getProgram()
    .getSemanticDiagnostics(entry)
    .concat(project.getProgram().getSyntacticDiagnostics(entry));
  const diagnostics: Diagnostic[] = tsDiags.map(fromTs);
  const ctx = new ProgramContext(project, entry, cwd);
  ctx.runtimeFile = RUNTIME_DECLARATIONS;
  let ion: string | undefined;
  let stats: ScriptStats | undefined;
  const internalError = (message: string) =>
    diagnostics.push({
      file: entry.getFilePath(),
      line: 1,
      col: 1,
      length: 0,
      code: Codes.InternalError.code,
      message: `internal compiler error: ${message}`,
      hint: Codes.InternalError.hint,
      category: "error",
    });
  try {
    ({ ion, stats } = lowerProgram(ctx));
  } catch (e) {
    if (process.env.TSION_DEBUG) console.error(e);
    // A compiler bug must never print a stack trace for user input, nor emit a script.
    internalError((e as Error).message);
  }
  if (ion !== undefined && ctx.diagnostics.length === 0) {
    // The script must use only pinned constructs, pass no splittable method argument, hold only printable text.
    const problems = checkEmittedIon(ion).problems;
    if (problems.length > 0) {
      internalError(`the generated Ion breaks a rule of compiler/src/ion/check.ts:\n${formatProblems(problems)}`);
      ion = undefined;
    }
  }
  for (const d of ctx.diagnostics) diagnostics.push(d);
  // The guest modules this entry imports are checked too (not other entries).
  for (const sf of ctx.modules) {
    if (sf === entry) continue;
    for (const d of project.getProgram().getSemanticDiagnostics(sf).concat(project.getProgram().getSyntacticDiagnostics(sf))) diagnostics.push(fromTs(d));
  }
  const all = sortDiagnostics(diagnostics);
  const failed = all.some((d) => d.category === "error");
  if (failed || options.checkOnly || ion === undefined) return { diagnostics: all };
  return { ion, diagnostics: all, stats, externalCommands: externalCommands(ion) };
}

/**
 * Every guest file is a module, even without imports, so scripts compiled
 * together never share a global scope. (ts-morph ignores the compiler option
 * moduleDetection, so mark them in memory; the files on disk are untouched
 * and positions do not move because the marker is appended.)
 */
function forceModules(project: Project): void {
  for (const sf of project.getSourceFiles()) {
    if (sf.isDeclarationFile() || sf.getFilePath().includes("/node_modules/")) continue;
    if ((sf.compilerNode as { externalModuleIndicator?: unknown }).externalModuleIndicator) continue;
    sf.insertText(sf.getEnd(), "\nexport {};\n");
  }
}

/** Compile several entry points sharing one Project (one type check). */
export function compileEntries(entries: string[], options: CompileOptions = {}): Map<string, CompileResult> {
  const project = createProject();
  const results = new Map<string, CompileResult>();
  const files = entries.map((e) => {
    try {
      return project.addSourceFileAtPath(path.resolve(e));
    } catch (err) {
      results.set(e, {
        diagnostics: [{ file: path.resolve(e), line: 1, col: 1, length: 0, code: Codes.FileUnreadable.code, message: `cannot read ${e}: ${(err as Error).message.split("\n")[0]}`, hint: Codes.FileUnreadable.hint, category: "error" }],
      });
      return undefined;
    }
  });
  project.resolveSourceFileDependencies();
  forceModules(project);
  entries.forEach((e, i) => {
    const sf = files[i];
    if (sf) results.set(e, compileOne(project, sf, options));
  });
  return results;
}

export function compileFile(entry: string, options: CompileOptions = {}): CompileResult {
  return compileEntries([entry], options).get(entry)!;
}
