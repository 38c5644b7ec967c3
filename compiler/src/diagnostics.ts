/**
 * The diagnostic type shared by the compiler and the CLI, and its tsc-style
 * rendering:
 *
 *   guest-scripts/a.ts(12,7): error TSION1001: message
 *
 *   12   const x = eval("1");
 *                  ~~~~
 *     hint: what to write instead
 *
 * Rendering is pure (no I/O): callers pass the source text, the cwd and
 * whether to colour, so output is reproducible in tests.
 */
import * as path from "node:path";

export interface Diagnostic {
  /** Absolute (or cwd-relative) path of the file the span is in; "" for global diagnostics. */
  file: string;
  /** 1-based line of the span start. */
  line: number;
  /** 1-based column (UTF-16 code units, as the TS compiler counts) of the span start. */
  col: number;
  /** Span length in UTF-16 code units; 0 for a point. */
  length: number;
  /** "TS2322" for TypeScript checker errors, "TSION1001" for subset errors. */
  code: string;
  message: string;
  /** A suggestion of what to write instead. */
  hint?: string;
  category: "error" | "warning";
}

export interface FormatOptions {
  /** Paths are printed relative to this directory. Default: process.cwd(). */
  cwd?: string;
  /** ANSI colours. Default: colorEnabled(process.stderr). */
  color?: boolean;
}

/** Colours only on a TTY, never when NO_COLOR is set (https://no-color.org), always when FORCE_COLOR is. */
export function colorEnabled(stream: { isTTY?: boolean } = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}

const ansi = {
  red: "\x1b[91m",
  yellow: "\x1b[93m",
  cyan: "\x1b[96m",
  grey: "\x1b[90m",
  reverse: "\x1b[7m",
  reset: "\x1b[0m",
};

type Paint = (style: keyof typeof ansi, text: string) => string;

function painter(color: boolean): Paint {
  return color ? (style, text) => `${ansi[style]}${text}${ansi.reset}` : (_style, text) => text;
}

/** Path as printed: relative to cwd with forward slashes, absolute when outside cwd's tree would be clearer. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  if (file === "") return "";
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  const shown = rel === "" ? path.basename(abs) : rel;
  return shown.split(path.sep).join("/");
}

function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * The code frame: the source line with a line-number gutter and a marker
 * line under the span. `~` under each character of the span (clamped to the
 * end of the line for multi-line spans), a single `^` for empty spans.
 * Tabs before the span are kept in the marker line so it lines up.
 */
export function codeFrame(d: Diagnostic, sourceText: string, color = false): string {
  const paint = painter(color);
  const lines = splitLines(sourceText);
  if (d.line < 1 || d.line > lines.length) return "";
  const text = lines[d.line - 1]!;
  const start = Math.min(Math.max(d.col - 1, 0), text.length);
  const visibleLength = Math.min(d.length, text.length - start);
  const gutter = String(d.line);
  const blankGutter = " ".repeat(gutter.length);
  const lead = text.slice(0, start).replace(/[^\t]/g, " ");
  const marker = visibleLength > 0 ? "~".repeat(visibleLength) : "^";
  const markStyle = d.category === "error" ? "red" : "yellow";
  return [
    `${paint("reverse", gutter)} ${text}`,
    `${paint("reverse", blankGutter)} ${lead}${paint(markStyle, marker)}`,
  ].join("\n");
}

/** The header line: `path(line,col): error CODE: message`. */
export function formatHeader(d: Diagnostic, options: FormatOptions = {}): string {
  const paint = painter(options.color ?? colorEnabled());
  const where = d.file === "" ? "" : `${paint("cyan", displayPath(d.file, options.cwd))}(${paint("yellow", `${d.line},${d.col}`)}): `;
  const category = paint(d.category === "error" ? "red" : "yellow", d.category);
  return `${where}${category} ${paint("grey", d.code)}: ${d.message}`;
}

/** One diagnostic: header, code frame (when the line exists), and the hint. */
export function formatDiagnostic(d: Diagnostic, sourceText: string | undefined, options: FormatOptions = {}): string {
  const color = options.color ?? colorEnabled();
  const parts = [formatHeader(d, { ...options, color })];
  const frame = sourceText === undefined ? "" : codeFrame(d, sourceText, color);
  if (frame !== "") parts.push("", frame);
  if (d.hint !== undefined && d.hint !== "") {
    if (frame !== "") parts.push("");
    parts.push(`  ${painter(color)("cyan", "hint")}: ${d.hint}`);
  }
  return parts.join("\n");
}

/** Order of output: by file, then line, then column, then code (stable otherwise). */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.col !== b.col) return a.col - b.col;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return 0;
}

export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(compareDiagnostics);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * tsc's summary wording: `Found 1 error in a.ts:3`, `Found 2 errors in the
 * same file, starting at: a.ts:3`, `Found 5 errors in 3 files.`; warnings are
 * counted alongside (`Found 1 error and 2 warnings in 2 files.`). Empty string
 * when there is nothing to report.
 */
export function formatSummary(list: readonly Diagnostic[], options: Pick<FormatOptions, "cwd"> = {}): string {
  if (list.length === 0) return "";
  const sorted = sortDiagnostics(list);
  const errors = sorted.filter((d) => d.category === "error").length;
  const warnings = sorted.length - errors;
  const files = new Set(sorted.map((d) => d.file));
  const counted =
    errors > 0 && warnings > 0
      ? `${plural(errors, "error")} and ${plural(warnings, "warning")}`
      : errors > 0
        ? plural(errors, "error")
        : plural(warnings, "warning");
  const first = sorted[0]!;
  const firstAt = first.file === "" ? "" : `${displayPath(first.file, options.cwd)}:${first.line}`;
  if (files.size === 1 && firstAt !== "") {
    return sorted.length === 1 ? `Found ${counted} in ${firstAt}` : `Found ${counted} in the same file, starting at: ${firstAt}`;
  }
  return `Found ${counted} in ${plural(files.size, "file")}.`;
}

/**
 * All diagnostics, sorted, each followed by a blank line, then the summary.
 * `readSource` returns a file's text, or undefined when it cannot be read (the
 * code frame is then left out).
 */
export function formatDiagnostics(
  list: readonly Diagnostic[],
  readSource: (file: string) => string | undefined,
  options: FormatOptions = {},
): string {
  if (list.length === 0) return "";
  const color = options.color ?? colorEnabled();
  const cache = new Map<string, string | undefined>();
  const source = (file: string): string | undefined => {
    if (file === "") return undefined;
    if (!cache.has(file)) cache.set(file, readSource(file));
    return cache.get(file);
  };
  // One construct often draws several diagnostics on one line with the same
  // hint (an arrow function: TSION1001 and TSION1002): say it once.
  const hinted = new Set<string>();
  const blocks = sortDiagnostics(list).map((d) => {
    const key = `${d.file}:${d.line}:${d.hint ?? ""}`;
    const repeat = d.hint !== undefined && hinted.has(key);
    hinted.add(key);
    return formatDiagnostic(repeat ? { ...d, hint: undefined } : d, source(d.file), { ...options, color });
  });
  return `${blocks.join("\n\n")}\n\n${formatSummary(list, options)}\n`;
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.category === "error");
}
