/**
 * `--format nix`: the attribute set an image builder takes as extra files,
 * `"etc/net/dns" = { text = "…"; mode = "0644"; }` (relative paths, mode as
 * a string). mkNetworkFiles (nix/lib) returns the same set.
 */
import type { GuestFileSet } from "./file-set.ts";
import { headerLines, modeString } from "./summary.ts";

/**
 * A Nix double-quoted string whose value is exactly `content`. `\`, `"` and
 * every `$` are escaped (so no `${` can start an interpolation); CR must be
 * escaped because the lexer turns a raw CR into LF; NUL cannot be put in a
 * Nix string at all. Other characters, newlines included, stay as they are.
 */
export function nixString(content: string): string {
  if (content.includes("\u0000")) throw new Error("a Nix string cannot hold a NUL character");
  return `"${content.replace(/[\\"$\r]/g, (ch) => (ch === "\r" ? "\\r" : `\\${ch}`))}"`;
}

export function renderNix(set: GuestFileSet, version: string): string {
  const out: string[] = headerLines(set, version).map((l) => `# ${l}`);
  out.push("# Extra files for an image builder: { text; mode; } per path relative to the image root.");
  out.push("{");
  for (const f of set.files) {
    out.push(`  ${nixString(f.path)} = {`, `    mode = ${nixString(modeString(f.mode))};`, `    text = ${nixString(f.content)};`, "  };");
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}
