/**
 * extrautils grep (redox-os/extrautils src/bin/grep.rs): the pattern is a FIXED SUBSTRING,
 * not a regex. Flags (anywhere on the line, combinable) -c -H -h -i -n -q -v
 * and -m NUM / --max-count=NUM, plus the long forms. Exit 0 on a match, 1 on
 * none, 2 on an error (an unopenable file still lets the others be searched).
 */
import type { Shim } from "./types.ts";

const LONG: Record<string, string> = {
  count: "c",
  "with-filename": "H",
  "no-filename": "h",
  "ignore-case": "i",
  "line-number": "n",
  quiet: "q",
  "invert-match": "v",
};

export const grep: Shim = (ctx) => {
  const flags = new Set<string>();
  let max: string | undefined;
  const operands: string[] = [];
  const args = ctx.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--help") {
      ctx.io.stdout("NAME\n    grep - print lines matching a pattern\n\nSYNOPSIS\n    grep [--help] [-chHinqv] [-m NUM] PATTERN [FILE...]\n");
      return 0;
    } else if (a.startsWith("--max-count=")) max = a.slice("--max-count=".length);
    else if (a === "--max-count" || a === "-m") max = args[++i] ?? "";
    else if (a.startsWith("--") && a.length > 2) {
      const f = LONG[a.slice(2)];
      if (!f) {
        ctx.io.stderr(`Invalid option: ${a}\n`);
        return 2;
      }
      flags.add(f);
    } else if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j]!;
        if (f === "m") {
          max = a.slice(j + 1) || (args[++i] ?? "");
          break;
        }
        if (!"cHhinqv".includes(f)) {
          ctx.io.stderr(`Invalid option: -${f}\n`);
          return 2;
        }
        flags.add(f);
      }
    } else operands.push(a);
  }
  let maxCount = Infinity;
  if (max !== undefined) {
    if (!/^\d+$/.test(max)) {
      ctx.io.stderr(`Invalid max count ${max}: invalid digit found in string\n`);
      return 2;
    }
    if (Number(max) === 0) return 1;
    maxCount = Number(max);
  }
  if (operands.length === 0) {
    ctx.io.stderr("You must provide a pattern\n");
    return 2;
  }
  const ignoreCase = flags.has("i");
  const pattern = ignoreCase ? operands[0]!.toLowerCase() : operands[0]!;
  const files = operands.slice(1);
  let withNames = flags.has("H");
  if (!flags.has("h") && files.length > 1) withNames = true;
  else if (flags.has("H") && flags.has("h")) ctx.io.stderr("WARNING: filename flag overrides not yet supported\n");

  const search = (text: string, label: string): boolean => {
    // Rust's lines(): split on \n, drop one trailing \r, no empty last line
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    let count = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.endsWith("\r") ? lines[i]!.slice(0, -1) : lines[i]!;
      const hit = (ignoreCase ? line.toLowerCase() : line).includes(pattern) !== flags.has("v");
      if (!hit) continue;
      if (flags.has("q")) return true;
      count++;
      if (!flags.has("c")) ctx.io.stdout(`${withNames ? `${label}:` : ""}${flags.has("n") ? `${i + 1}:` : ""}${line}\n`);
      if (count >= maxCount) break;
    }
    if (flags.has("c") && !flags.has("q")) ctx.io.stdout(`${withNames ? `${label}:` : ""}${count}\n`);
    return count > 0;
  };

  let found = false;
  let error = false;
  if (files.length === 0) found = search(ctx.io.stdin, "(standard input)");
  for (const f of files) {
    let text: string;
    try {
      text = ctx.mock.readFile(ctx.abs(f));
    } catch {
      ctx.io.stderr(`Error opening ${f}: No such file or directory (os error 2)\n`);
      error = true;
      continue;
    }
    found = search(text, f) || found;
  }
  if (error) return 2;
  return found ? 0 : 1;
};
