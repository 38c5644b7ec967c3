/**
 * uutils-style shims: cat, ls, echo, printf, test, true, false, rm, mkdir,
 * sleep (docs/redox-contract.md §3; docs/mock-redox.md, Commands). Only the options guest
 * scripts use are modelled; messages follow the GNU/uutils wording.
 */
import { HostError, describeErrno } from "../../host/types.ts";
import type { Shim, ShimContext } from "./types.ts";

function errText(e: unknown): string {
  if (e instanceof HostError) return describeErrno(e.code);
  throw e;
}

export const trueCmd: Shim = () => 0;
export const falseCmd: Shim = () => 1;

export const cat: Shim = (ctx) => {
  const files = ctx.argv.slice(1);
  if (files.length === 0) files.push("-");
  let status = 0;
  for (const f of files) {
    if (f === "-") {
      ctx.io.stdout(ctx.io.stdin);
      continue;
    }
    try {
      ctx.io.stdout(ctx.mock.readFile(ctx.abs(f)));
    } catch (e) {
      ctx.io.stderr(`cat: ${f}: ${errText(e)}\n`);
      status = 1;
    }
  }
  return status;
};

export const ls: Shim = (ctx) => {
  let all = false;
  const operands: string[] = [];
  let options = true;
  for (const a of ctx.argv.slice(1)) {
    if (options && a === "--") options = false;
    else if (options && /^-[1aA]+$/.test(a)) all ||= /[aA]/.test(a);
    else if (options && a.startsWith("-") && a !== "-") {
      ctx.io.stderr(`ls: unrecognized option '${a}'\n`);
      return 2;
    } else operands.push(a);
  }
  if (operands.length === 0) operands.push(".");
  let status = 0;
  const files: string[] = [];
  const dirs: { name: string; entries: string[] }[] = [];
  for (const op of operands) {
    const st = ctx.mock.stat(ctx.abs(op));
    if (!st) {
      ctx.io.stderr(`ls: cannot access '${op}': No such file or directory\n`);
      status = 2;
      continue;
    }
    if (st.kind === "file") {
      files.push(op);
      continue;
    }
    try {
      const entries = ctx.mock.listDir(ctx.abs(op)).filter((n) => all || !n.startsWith("."));
      dirs.push({ name: op, entries });
    } catch (e) {
      ctx.io.stderr(`ls: cannot open directory '${op}': ${errText(e)}\n`);
      status = 2;
    }
  }
  const blocks: string[] = [];
  if (files.length > 0) blocks.push(files.sort().map((f) => `${f}\n`).join(""));
  const headers = operands.length > 1;
  for (const d of dirs) blocks.push((headers ? `${d.name}:\n` : "") + d.entries.map((n) => `${n}\n`).join(""));
  ctx.io.stdout(blocks.join("\n"));
  return status;
};

/** Backslash escapes of `echo -e` and printf's format (and %b). */
function unescape(s: string, stopAtC: { stop: boolean } = { stop: false }): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== "\\" || i + 1 >= s.length) {
      out += ch;
      continue;
    }
    const n = s[++i]!;
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", f: "\f", v: "\v", e: "\x1b", "\\": "\\" };
    if (n in simple) out += simple[n];
    else if (n === "c") {
      stopAtC.stop = true;
      return out;
    } else if (n === "0" || /[1-7]/.test(n)) {
      const m = /^[0-7]{0,3}/.exec(s.slice(n === "0" ? i + 1 : i))![0];
      out += String.fromCharCode(parseInt(m || "0", 8));
      i += m.length - (n === "0" ? 0 : 1);
    } else if (n === "x") {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1));
      if (m) {
        out += String.fromCharCode(parseInt(m[0], 16));
        i += m[0].length;
      } else out += "\\x";
    } else out += `\\${n}`;
  }
  return out;
}

export const echo: Shim = (ctx) => {
  const args = ctx.argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args.length > 0 && /^-[neE]+$/.test(args[0]!)) {
    for (const f of args.shift()!.slice(1)) {
      if (f === "n") newline = false;
      else if (f === "e") escapes = true;
      else escapes = false;
    }
  }
  const stop = { stop: false };
  let text = args.join(" ");
  if (escapes) text = unescape(text, stop);
  ctx.io.stdout(text + (newline && !stop.stop ? "\n" : ""));
  return 0;
};

export const printf: Shim = (ctx) => {
  const [, format, ...args] = ctx.argv;
  if (format === undefined) {
    ctx.io.stderr("printf: missing operand\n");
    return 1;
  }
  let status = 0;
  let out = "";
  let argi = 0;
  const next = () => (argi < args.length ? args[argi++]! : undefined);
  const stop = { stop: false };
  do {
    const used = argi;
    let i = 0;
    while (i < format.length && !stop.stop) {
      const ch = format[i]!;
      if (ch === "\\") {
        const m = /^\\(?:[0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)/.exec(format.slice(i))!;
        out += unescape(m[0], stop);
        i += m[0].length;
        continue;
      }
      if (ch !== "%") {
        out += ch;
        i++;
        continue;
      }
      const m = /^%([-+ 0#]*)(\d*)(?:\.(\d+))?([sdibcxXo%])/.exec(format.slice(i));
      if (!m) {
        ctx.io.stderr(`printf: %${format[i + 1] ?? ""}: invalid conversion specification\n`);
        return 1;
      }
      i += m[0].length;
      const [, flags, width, precision, conv] = m;
      let piece: string;
      if (conv === "%") piece = "%";
      else if (conv === "s") {
        piece = next() ?? "";
        if (precision !== undefined) piece = piece.slice(0, Number(precision));
      } else if (conv === "b") piece = unescape(next() ?? "", stop);
      else if (conv === "c") piece = (next() ?? "").slice(0, 1);
      else {
        const a = next();
        let n = 0;
        if (a !== undefined && a !== "") {
          const t = a.trim();
          if (/^[-+]?\d+$/.test(t)) n = Number(t);
          else if (/^'./.test(a) || /^"./.test(a)) n = a.codePointAt(1)!;
          else {
            ctx.io.stderr(`printf: '${a}': expected a numeric value\n`);
            status = 1;
            const lead = /^[-+]?\d+/.exec(t);
            n = lead ? Number(lead[0]) : 0;
          }
        }
        piece =
          conv === "x" ? n.toString(16) : conv === "X" ? n.toString(16).toUpperCase() : conv === "o" ? n.toString(8) : String(n);
        if (flags!.includes("+") && n >= 0 && (conv === "d" || conv === "i")) piece = `+${piece}`;
      }
      const w = Number(width || "0");
      if (piece.length < w) {
        if (flags!.includes("-")) piece = piece.padEnd(w);
        else if (flags!.includes("0") && conv !== "s" && conv !== "b" && conv !== "c") {
          const sign = /^[-+]/.test(piece) ? piece[0]! : "";
          piece = sign + piece.slice(sign.length).padStart(w - sign.length, "0");
        } else piece = piece.padStart(w);
      }
      out += piece;
    }
    if (argi === used) break; // the format consumed nothing: do not loop
  } while (argi < args.length && !stop.stop);
  ctx.io.stdout(out);
  return status;
};

/** `test EXPR`: the unary file/string tests, binary string and integer comparisons, !, -a, -o. */
export const testCmd: Shim = (ctx) => {
  const args = ctx.argv.slice(1);
  try {
    return evalTest(ctx, args) ? 0 : 1;
  } catch (e) {
    if (e instanceof TestSyntaxError) {
      ctx.io.stderr(`test: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
};

class TestSyntaxError extends Error {}

function evalTest(ctx: ShimContext, args: string[]): boolean {
  const orParts = splitOn(args, "-o");
  if (orParts.length > 1) return orParts.some((p) => evalTest(ctx, p));
  const andParts = splitOn(args, "-a");
  if (andParts.length > 1) return andParts.every((p) => evalTest(ctx, p));
  if (args.length === 0) return false;
  if (args[0] === "!" && args.length > 1) return !evalTest(ctx, args.slice(1));
  if (args.length === 1) return args[0] !== "";
  if (args.length === 2) return unary(ctx, args[0]!, args[1]!);
  if (args.length === 3) return binary(args[0]!, args[1]!, args[2]!);
  throw new TestSyntaxError("too many arguments");
}

function splitOn(args: string[], op: string): string[][] {
  // only as a connective between complete expressions (not as the operand of a unary test)
  const parts: string[][] = [[]];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const cur = parts[parts.length - 1]!;
    if (a === op && cur.length > 0 && !(cur.length === 1 && /^-[a-zA-Z]$/.test(cur[0]!))) parts.push([]);
    else cur.push(a);
  }
  return parts.some((p) => p.length === 0) ? [args] : parts;
}

function unary(ctx: ShimContext, op: string, v: string): boolean {
  const st = () => (v === "" ? null : ctx.mock.stat(ctx.abs(v)));
  switch (op) {
    case "-n":
      return v !== "";
    case "-z":
      return v === "";
    case "-e":
      return st() !== null;
    case "-f":
      return st()?.kind === "file";
    case "-d":
      return st()?.kind === "dir";
    case "-s":
      return (st()?.size ?? 0) > 0;
    case "-r":
      return st() !== null && (ctx.mock.uid() === 0 || (st()!.mode & 0o004) !== 0);
    case "-w":
      return st() !== null && (ctx.mock.uid() === 0 || (st()!.mode & 0o002) !== 0);
    case "-x":
      return st() !== null && (st()!.mode & 0o111) !== 0;
    default:
      throw new TestSyntaxError(`unknown operator '${op}'`);
  }
}

function binary(a: string, op: string, b: string): boolean {
  switch (op) {
    case "=":
    case "==":
      return a === b;
    case "!=":
      return a !== b;
  }
  const ints: Record<string, (x: bigint, y: bigint) => boolean> = {
    "-eq": (x, y) => x === y,
    "-ne": (x, y) => x !== y,
    "-lt": (x, y) => x < y,
    "-le": (x, y) => x <= y,
    "-gt": (x, y) => x > y,
    "-ge": (x, y) => x >= y,
  };
  const f = ints[op];
  if (!f) throw new TestSyntaxError(`unknown operator '${op}'`);
  const int = (s: string) => {
    if (!/^\s*[-+]?\d+\s*$/.test(s)) throw new TestSyntaxError(`invalid integer '${s}'`);
    return BigInt(s.trim());
  };
  return f(int(a), int(b));
}

export const rm: Shim = (ctx) => {
  let force = false;
  let recursive = false;
  const operands: string[] = [];
  for (const a of ctx.argv.slice(1)) {
    if (/^-[frR]+$/.test(a)) {
      force ||= a.includes("f");
      recursive ||= /[rR]/.test(a);
    } else operands.push(a);
  }
  if (operands.length === 0 && !force) {
    ctx.io.stderr("rm: missing operand\n");
    return 1;
  }
  let status = 0;
  const removeTree = (p: string) => {
    if (ctx.mock.stat(p)?.kind === "dir") for (const n of ctx.mock.listDir(p)) removeTree(`${p}/${n}`);
    ctx.mock.remove(p);
  };
  for (const op of operands) {
    const p = ctx.abs(op);
    const st = ctx.mock.stat(p);
    if (!st) {
      if (!force) {
        ctx.io.stderr(`rm: cannot remove '${op}': No such file or directory\n`);
        status = 1;
      }
      continue;
    }
    if (st.kind === "dir" && !recursive) {
      ctx.io.stderr(`rm: cannot remove '${op}': Is a directory\n`);
      status = 1;
      continue;
    }
    try {
      if (recursive) removeTree(p);
      else ctx.mock.remove(p);
    } catch (e) {
      ctx.io.stderr(`rm: cannot remove '${op}': ${errText(e)}\n`);
      status = 1;
    }
  }
  return status;
};

export const mkdir: Shim = (ctx) => {
  let parents = false;
  const operands: string[] = [];
  for (const a of ctx.argv.slice(1)) {
    if (a === "-p") parents = true;
    else operands.push(a);
  }
  if (operands.length === 0) {
    ctx.io.stderr("mkdir: missing operand\n");
    return 1;
  }
  let status = 0;
  for (const op of operands) {
    const p = ctx.abs(op);
    const targets = parents ? p.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/")).filter((x) => x !== "") : [p];
    for (const t of targets) {
      const st = ctx.mock.stat(t);
      if (parents && st?.kind === "dir") continue;
      try {
        if (st) throw new HostError("EEXIST", t);
        ctx.mock.mkdir(t);
      } catch (e) {
        ctx.io.stderr(`mkdir: cannot create directory '${op}': ${errText(e)}\n`);
        status = 1;
        break;
      }
    }
  }
  return status;
};

/** uutils sleep: every operand `N[.N][smhd]`, summed; fractions allowed. */
export const sleep: Shim = (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.length === 0) {
    ctx.io.stderr("sleep: missing operand\n");
    return 1;
  }
  let total = 0;
  for (const a of args) {
    const m = /^(\d+\.?\d*|\.\d+)([smhd]?)$/.exec(a);
    if (!m) {
      ctx.io.stderr(`sleep: invalid time interval '${a}'\n`);
      return 1;
    }
    total += Number(m[1]) * ({ "": 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]!]!;
  }
  ctx.mock.sleep(total);
  return 0;
};
