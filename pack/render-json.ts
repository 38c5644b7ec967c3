/** `--format json`: { "<relative path>": { "mode": "0644", "content": "..." } }, paths sorted. */
import type { GuestFileSet } from "./file-set.ts";
import { modeString } from "./summary.ts";

export function renderJson(set: GuestFileSet): string {
  const out: Record<string, { mode: string; content: string }> = {};
  for (const f of set.files) out[f.path] = { mode: modeString(f.mode), content: f.content };
  return `${JSON.stringify(out, null, 2)}\n`;
}
