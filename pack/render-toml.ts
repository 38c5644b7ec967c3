/**
 * `--format redox-toml`: `[[files]]` entries for a Redox build config
 * (installer src/config/file.rs: path, data, integer mode). A file's
 * content goes into a literal string when TOML allows it, otherwise into a
 * basic string with every backslash, quote and control character escaped.
 */
import type { GuestFileSet } from "./file-set.ts";
import { headerLines } from "./summary.ts";

/**
 * Multi-line literal strings ('''…''') escape nothing, so they can hold only
 * newlines, tabs and printable text. CR is excluded too: parsers may turn
 * CRLF into LF. A content ending in ' would run into the closing delimiter.
 */
export function literalAllowed(content: string): boolean {
  return !/[\u0000-\u0008\u000B-\u001F\u007F]/.test(content) && !content.includes("'''") && !content.endsWith("'");
}

const SHORT_ESCAPES: Record<string, string> = { "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\" };

/** The body of a basic string; newlines stay literal in multi-line ones. */
function escapeBasic(content: string, multiline: boolean): string {
  return content.replace(/[\u0000-\u001F\u007F"\\]/g, (ch) => {
    if (multiline && ch === "\n") return ch;
    return SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  });
}

/** A TOML string whose value is exactly `content`. */
export function tomlString(content: string): string {
  // One line (with or without its final newline) reads best as "value\n".
  if (!content.slice(0, -1).includes("\n")) return `"${escapeBasic(content, false)}"`;
  // The newline right after an opening delimiter is not part of the value.
  if (literalAllowed(content)) return `'''\n${content}'''`;
  return `"""\n${escapeBasic(content, true)}"""`;
}

export function renderRedoxToml(set: GuestFileSet, version: string): string {
  const out: string[] = headerLines(set, version).map((l) => `# ${l}`);
  out.push("# Include this file from a Redox build config; a later [[files]] entry for the same path wins.");
  for (const f of set.files) {
    out.push("", "[[files]]", `path = ${tomlString(`/${f.path}`)}`, `mode = 0o${f.mode.toString(8)}`, `data = ${tomlString(f.content)}`);
  }
  return `${out.join("\n")}\n`;
}
