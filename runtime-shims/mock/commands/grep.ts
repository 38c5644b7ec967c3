/**
 * extrautils grep (§4.5): the pattern is a FIXED SUBSTRING, not a regex.
 * Flags -c -H -h -i -n -q -v -m N. Exit 0 on a match, 1 on none, 2 on error.
 */
import type { Shim } from "./types.ts";

export const grep: Shim = (ctx) => {
  const args = ctx.argv.slice(1);
  let count = false;
  let names: boolean | null = null;
  let ignoreCase = false;
  let numbers = false;
  let quiet = false;
  let invert = false;
  let max = Infinity;
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (operands.length > 0 || !a.startsWith("-") || a === "-") {
      operands.push(a);
      continue;
    }
    if (a === "-m" || /^-m\d+$/.test(a)) {
      const v = a === "-m" ? args[++i] : a.slice(2);
      if (v === undefined || !/^\d+$/.test(v)) {
        ctx.io.stderr(`grep: invalid max count '${v ?? ""}'\n`);
        return 2;
      }
      max = Number(v);
      continue;
    }
    for (const f of a.slice(1)) {
      if (f === "c") count = true;
      else if (f === "H") names = true;
      else if (f === "h") names = false;
      else if (f === "i") ignoreCase = true;
      else if (f === "n") numbers = true;
      else if (f === "q") quiet = true;
      else if (f === "v") invert = true;
      else {
        ctx.io.stderr(`grep: unknown option -${f}\n`);
        return 2;
      }
    }
  }
  const pattern = operands.shift();
  if (pattern === undefined) {
    ctx.io.stderr("grep: missing pattern\n");
    return 2;
  }
  const files = operands.length > 0 ? operands : ["-"];
  const showNames = names ?? files.length > 1;
  const needle = ignoreCase ? pattern.toLowerCase() : pattern;
  let matched = false;
  let error = false;
  for (const f of files) {
    let text: string;
    if (f === "-") text = ctx.io.stdin;
    else {
      try {
        text = ctx.mock.readFile(ctx.abs(f));
      } catch {
        ctx.io.stderr(`grep: ${f}: No such file or directory\n`);
        error = true;
        continue;
      }
    }
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    const label = f === "-" ? "(standard input)" : f;
    let n = 0;
    for (let i = 0; i < lines.length && n < max; i++) {
      const line = lines[i]!;
      const hit = (ignoreCase ? line.toLowerCase() : line).includes(needle) !== invert;
      if (!hit) continue;
      n++;
      matched = true;
      if (quiet) return 0;
      if (!count) ctx.io.stdout(`${showNames ? `${label}:` : ""}${numbers ? `${i + 1}:` : ""}${line}\n`);
    }
    if (count && !quiet) ctx.io.stdout(`${showNames ? `${label}:` : ""}${n}\n`);
  }
  if (error) return 2;
  return matched ? 0 : 1;
};
