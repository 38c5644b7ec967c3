/**
 * Ion builtins used by generated code and the conformance suite (upstream src/lib/builtins/).
 * Each returns the command's status; output goes to `sh.io` (the current sinks).
 */
import { HostError } from "../host/types.ts";
import { calcResult } from "./arith.ts";
import * as path from "node:path";
import { ExitSignal, IonFatal, IonUnsupported, osErrorText } from "./errors.ts";
import type { Shell } from "./interpreter.ts";
import { compileRegex, RegexError } from "./regex.ts";
import { C_ESCAPES, trim } from "./text.ts";
import { NullSink } from "./io.ts";

export type Builtin = (sh: Shell, args: string[]) => number;


/**
 * `-h`/`--help` prints the builtin's manual and returns 0 (cond_test_help_hazard). ion-sim does not
 * carry ion's manual texts: printing one where it can be seen is unsupported; into /dev/null it is harmless.
 */
function help(sh: Shell, name: string): number {
  if (!(sh.io.stdout instanceof NullSink)) throw new IonUnsupported(`printing the manual of builtin '${name}'`);
  return 0;
}

const ECHO_FLAG = /^(-[ens]*|--escape|--no-newline|--no-spaces)$/;

function echoEscapes(s: string): { text: string; stop: boolean } {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    if (i + 1 >= s.length) break; // a trailing backslash is dropped
    const n = s[++i]!;
    if (n === "c") return { text: out, stop: true }; // \c: stop all output
    out += n === "\\" ? "\\" : (C_ESCAPES[n] ?? "\\" + n);
  }
  return { text: out, stop: false };
}

const echo: Builtin = (sh, args) => {
  let escape = false,
    newline = true,
    spaces = true;
  const words: string[] = [];
  for (const a of args) {
    if (ECHO_FLAG.test(a)) {
      // every flag-shaped argument is an option, wherever it is (echo_flags_and_empty_args)
      if (a === "--escape") escape = true;
      else if (a === "--no-newline") newline = false;
      else if (a === "--no-spaces") spaces = false;
      else
        for (const f of a.slice(1)) {
          if (f === "e") escape = true;
          else if (f === "n") newline = false;
          else if (f === "s") spaces = false;
        }
    } else words.push(a);
  }
  let text = "";
  let stop = false;
  for (let i = 0; i < words.length && !stop; i++) {
    if (i > 0 && spaces) text += " ";
    if (escape) {
      const r = echoEscapes(words[i]!);
      text += r.text;
      stop = r.stop;
    } else text += words[i]!;
  }
  if (newline && !stop) text += "\n";
  try {
    sh.io.stdout.write(text);
  } catch (e) {
    if (!(e instanceof HostError)) throw e;
    // the text of a failed `echo -n` stays in ion's stdout buffer and shows up later
    // (docs/ion-sim.md, "echo when its write fails")
    if (!newline || stop) sh.pendingOut += text;
    sh.io.stderr.write(`ion: echo: ${e.message}\n`);
    return 1;
  }
  return 0;
};

function parseI64(s: string): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const v = BigInt(s);
  return v > 9223372036854775807n || v < -9223372036854775808n ? null : v;
}

/** Rust's `{:?}` of a string: quoted, with \\ \" \n \r \t \0 and other control characters escaped */
function rustDebug(x: string): string {
  let out = '"';
  for (const c of x) {
    const n = c.codePointAt(0)!;
    if (c === "\\" || c === '"') out += "\\" + c;
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (c === "\0") out += "\\0";
    else if (n < 0x20 || n === 0x7f) out += `\\u{${n.toString(16)}}`;
    else out += c;
  }
  return out + '"';
}

/** builtins/test.rs */
const test: Builtin = (sh, a) => {
  const b = (x: boolean) => (x ? 0 : 1);
  const fail = (why: string) => {
    sh.io.stderr.write(why + "\n");
    return 1;
  };
  if (a.length === 0) {
    sh.io.stdout.write("Usage: test [EXPRESSION]\nTry 'test --help' for more information.\n");
    return 1;
  }
  const first = a[0]!;
  if (/^-\p{Alphabetic}/u.test(first)) {
    // a first argument shaped like -letter selects the flag form; a flag alone is true
    const arg = a[1];
    if (arg === undefined) return 0;
    const st = () => sh.stat(arg);
    switch ([...first][1]) {
      case "z":
        return b(arg === "");
      case "n":
        return b(arg !== "");
      case "e":
        return b(st() !== null);
      case "f":
        return b(st()?.kind === "file");
      case "d":
        return b(st()?.kind === "dir");
      case "s":
        return b((st()?.size ?? 0) > 0);
      case "r":
        return b(((st()?.mode ?? 0) & 0o444) !== 0);
      case "w":
        return b(((st()?.mode ?? 0) & 0o222) !== 0);
      case "x":
        return b(((st()?.mode ?? 0) & 0o111) !== 0);
      case "h":
      case "L":
        throw new IonUnsupported(`test ${first} (symbolic links)`);
      case "b":
      case "c":
      case "S":
        throw new IonUnsupported(`test ${first} (device and socket files)`);
      default:
        return 0; // an unknown flag is true
    }
  }
  if (a.length === 1) return b(first !== "");
  if (a.length === 2) return fail("parse error: condition expected");
  const [l, op, r] = a as [string, string, string];
  switch (op) {
    case "=":
    case "==":
      return b(l === r);
    case "!=":
      return b(l !== r);
    case "-ef": {
      const p = sh.resolve(l),
        q = sh.resolve(r);
      return b(sh.stat(l) !== null && p === q);
    }
    case "-nt":
    case "-ot":
      throw new IonUnsupported(`test ${op} (file times)`);
  }
  const x = parseI64(l);
  if (x === null) return fail(`test: integer expression expected: ${rustDebug(l)}`);
  const y = parseI64(r);
  if (y === null) return fail(`test: integer expression expected: ${rustDebug(r)}`);
  switch (op) {
    case "-eq":
      return b(x === y);
    case "-ne":
      return b(x !== y);
    case "-lt":
      return b(x < y);
    case "-le":
      return b(x <= y);
    case "-gt":
      return b(x > y);
    case "-ge":
      return b(x >= y);
  }
  return fail(`test: unknown condition: ${rustDebug(op)}`);
};

/** `bool VALUE`: true for 1/true, or for a variable (named after the first character) holding 1/true */
const bool: Builtin = (sh, a) => {
  if (a.length !== 1) {
    sh.io.stderr.write("bool requires one argument\n");
    return 1;
  }
  const x = a[0]!;
  const v = x === "" ? undefined : sh.getString(x.slice(1));
  return v === "1" || v === "true" || x === "1" || x === "true" ? 0 : 1;
};

/** `random`, `random START END` (other forms are not modelled) */
const random: Builtin = (sh, a) => {
  if (a.length === 0) {
    sh.io.stdout.write(`${Math.floor(Math.random() * 32767)}\n`);
    return 0;
  }
  if (a.length === 1) {
    sh.io.stderr.write("Ion Shell does not currently support changing the seed\n");
    return 0;
  }
  if (a.length === 2) {
    if (!/^\+?[0-9]+$/.test(a[0]!) || !/^\+?[0-9]+$/.test(a[1]!)) {
      sh.io.stderr.write("Invalid argument for random\n");
      return 1;
    }
    const lo = Number(a[0]),
      hi = Number(a[1]);
    if (hi <= lo) {
      sh.io.stderr.write("END must be greater than START\n");
      return 1;
    }
    sh.io.stdout.write(`${lo + Math.floor(Math.random() * (hi - lo))}\n`);
    return 0;
  }
  throw new IonUnsupported("random with three or more arguments");
};

/** builtins/exists.rs: a flag without its argument is true; an unknown flag is false */
const exists: Builtin = (sh, a) => {
  const b = (x: boolean) => (x ? 0 : 1);
  const f = a[0];
  if (f === undefined) return 1;
  const arg = a[1];
  if (f.startsWith("--")) return arg === undefined ? 0 : b(f === "--fn" && sh.scopes.get(arg)?.t === "fn");
  if (f.startsWith("-")) {
    const flag = [...f][1];
    if (flag === undefined || arg === undefined) return 0;
    switch (flag) {
      case "a": {
        const v = sh.scopes.get(arg);
        return b(v?.t === "arr" && v.v.length > 0);
      }
      // ion looks in the shell's PATH; ion-sim asks the host which programs exist
      case "b":
        return b(sh.host.which(arg) !== null);
      case "d":
        return b(sh.stat(arg)?.kind === "dir");
      case "f":
        return b(sh.stat(arg)?.kind === "file");
      case "s": {
        try {
          return b(sh.string(arg) !== "");
        } catch (e) {
          if (e instanceof IonFatal) return 1;
          throw e;
        }
      }
    }
    return 1;
  }
  return b(f !== "");
};

const matches: Builtin = (sh, a) => {
  if (a.length !== 2) {
    sh.io.stderr.write("match takes two arguments\n");
    return 2;
  }
  try {
    return compileRegex(a[1]!).test(a[0]!) ? 0 : 1;
  } catch (e) {
    if (!(e instanceof RegexError)) throw e;
    sh.io.stderr.write(`couldn't compile input regex ${a[1]}: ${e.message}\n`);
    return 1;
  }
};

/** conditionals.rs: `NAME HAY CANDIDATE…` is true when any candidate matches */
function anyOf(name: string, f: (h: string, c: string) => boolean): Builtin {
  return (sh, a) => {
    if (a.length < 2) {
      sh.io.stderr.write(`ion: ${name.replace("-", "_")}: two arguments must be supplied\n`);
      return 2;
    }
    const [h, ...cs] = a as [string, ...string[]];
    return cs.some((c) => f(h, c)) ? 0 : 1;
  };
}

/** is.rs: an argument starting with `$` is looked up again (an unknown name prints the error and stays literal) */
const is: Builtin = (sh, a) => {
  const val = (x: string) => {
    if (!x.startsWith("$")) return x;
    try {
      return sh.string(x.slice(1));
    } catch (e) {
      if (!(e instanceof IonFatal)) throw e;
      sh.io.stderr.write(e.message.replace(/^expansion error: /, "") + "\n");
      return x;
    }
  };
  if (a.length === 3) {
    if (a[0] !== "not") {
      sh.io.stderr.write(`Expected 'not' instead found '${a[0]}'\n`);
      return 1;
    }
    return val(a[1]!) === val(a[2]!) ? 1 : 0;
  }
  if (a.length === 2) return val(a[0]!) !== val(a[1]!) ? 1 : 0;
  sh.io.stderr.write("is needs 3 or 4 arguments\n");
  return 1;
};

/** `exit [N]`: N parsed as i32, else the last status; the process status is its low 8 bits */
const exit: Builtin = (sh, a) => {
  let code = sh.status;
  const n = a.length && /^[+-]?[0-9]+$/.test(a[0]!) ? Number(a[0]) : NaN;
  if (n >= -2147483648 && n <= 2147483647) code = n;
  throw new ExitSignal(code & 255);
};

/** `math EXPR…` (or stdin): calc's infix syntax; an error goes to stderr with status 1 */
const math: Builtin = (sh, a) => {
  const expr = a.length ? a.join(" ") : sh.io.stdin;
  const r = calcResult(expr);
  if ("ok" in r) {
    sh.io.stdout.write(r.ok + "\n");
    return 0;
  }
  // ion then retries the text in Polish (prefix) notation, which ion-sim does not evaluate
  if (/^\s*[-+*/%^&|~!<>(]/.test(expr)) throw new IonUnsupported("math in Polish (prefix) notation");
  sh.io.stderr.write(r.err + "\n");
  return 1;
};

/**
 * `cd DIR`, `cd -`, `cd` (HOME): the path is resolved lexically against the current directory
 * (directory_stack.rs normalize_path); PWD and OLDPWD are updated; CDPATH entries are tried first.
 */
const cd: Builtin = (sh, a) => {
  let target: string | undefined = a[0];
  if (target === undefined) {
    target = sh.env.get("HOME");
    if (target === undefined) throw new IonUnsupported("cd without arguments and without HOME (user database)");
  } else if (target === "-") {
    const prev = sh.env.get("OLDPWD");
    if (prev === undefined || prev === "" || prev === "?") {
      sh.io.stderr.write("no previous directory to switch to\n");
      return 1;
    }
    sh.io.stdout.write(prev + "\n");
    target = prev;
  }
  const change = (dir: string): string | null => {
    const next = path.posix.resolve(sh.cwd, dir);
    const st = sh.host.stat(next);
    if (!st) return `failed to set current dir to ${next}: ${osErrorText("ENOENT", "No such file or directory")}`;
    if (st.kind !== "dir") return `failed to set current dir to ${next}: ${osErrorText("ENOTDIR", "Not a directory")}`;
    sh.env.set("OLDPWD", sh.env.get("PWD") || "?");
    sh.env.set("PWD", next);
    sh.cwd = next;
    return null;
  };
  const cdpath = sh.scopes.get("CDPATH");
  let err: string | null = "";
  const t = target;
  if (a[0] !== undefined && a[0] !== "-" && cdpath?.t === "arr") for (const p of cdpath.v) if ((err = change(path.posix.join(p, t))) === null) break;
  if (err !== null) err = change(target);
  if (err !== null) {
    sh.io.stderr.write(err + "\n");
    return 1;
  }
  if (sh.scopes.get("CD_CHANGE")?.t === "fn") throw new IonUnsupported("the CD_CHANGE hook");
  return 0;
};

const drop: Builtin = (sh, a) => {
  if (!a.length) {
    sh.io.stderr.write("ion: you must specify a variable name\n");
    return 1;
  }
  for (const n of a) {
    if (!sh.scopes.drop(n)) {
      sh.io.stderr.write(`ion: undefined variable: ${n}\n`);
      return 1;
    }
  }
  return 0;
};

/** `read NAME…`: one line per name from stdin, through ion's process-wide stdin buffer (Shell.stdinBuf) */
const read: Builtin = (sh, a) => {
  for (const n of a) {
    const line = sh.readLine();
    if (line !== null) sh.scopes.assign(n, { t: "str", v: trim(line) });
  }
  return 0;
};

/** `set -e/+e -p/+p`, `set -- ARGS` / `set - ARGS` (positional parameters) */
const set: Builtin = (sh, a) => {
  let i = 0;
  let positionals: "unset" | "retain" | null = null;
  for (; i < a.length; i++) {
    const x = a[i]!;
    if (x === "--" || x === "-") {
      positionals = x === "--" ? "unset" : "retain";
      i++;
      break;
    }
    if (x === "-e" || x === "+e") sh.opts.errExit = x === "-e";
    else if (x === "-p" || x === "+p") sh.opts.pipeFail = x === "-p";
    else {
      sh.io.stderr.write(`set: argument '${x}' is not recognized. Try adding \`--\` before it to pass it as argument to the shell script\n`);
      return 2;
    }
  }
  if (positionals) {
    const cur = sh.scopes.get("args");
    if (cur?.t === "arr") {
      const args = [cur.v[0] ?? "", ...a.slice(i)];
      if (!(positionals === "retain" && args.length === 1)) sh.scopes.assign("args", { t: "arr", v: args });
    }
  }
  return 0;
};

/** `status`: login/interactive/filename queries (a script run by ion-sim is neither login nor interactive) */
const status: Builtin = (sh, a) => {
  if (a.length === 0) {
    sh.io.stdout.write("This is not a login shell\n");
    return 0;
  }
  let login = false,
    interactive = false,
    filename = false;
  for (const x of ["status", ...a]) {
    if (x === "--is-login") login = true;
    else if (x === "--is-interactive") interactive = true;
    else if (x === "--current-filename") filename = true;
    else if (x.startsWith("-")) {
      const c = [...x][1];
      if (c === "l") login = true;
      else if (c === "i") interactive = true;
      else if (c === "f") filename = true;
    }
  }
  if (login || interactive) return 1;
  if (filename) {
    // ion prints its own last command-line argument, or "stdio" when that ends with "ion"
    const last = sh.args.length ? sh.args[sh.args.length - 1]! : sh.fileName;
    sh.io.stdout.write(`${last.endsWith("ion") ? "stdio" : last}\n`);
  }
  return 0;
};

/** `alias NAME = VALUE` (variables.rs parse_alias) */
const alias: Builtin = (sh, a) => {
  const text = a.join(" ");
  let key = "";
  let found = false;
  let k = 0;
  for (; k < text.length; k++) {
    const c = text[k]!;
    if (c === " ") {
      if (key !== "") found = true;
    } else if (c === "=") {
      found = true;
      k++;
      break;
    } else if (!found) key += c;
  }
  if (!found && key === "") throw new IonUnsupported("`alias` without arguments (listing aliases)");
  const value = text.slice(k).replace(/^ +/, "");
  if (value === "") {
    const v = sh.scopes.get(key);
    if (!v) {
      sh.io.stderr.write(`ion: alias '${key}' not found\n`);
      return 1;
    }
    if (v.t !== "alias") throw new IonUnsupported(`\`alias ${key}\` on a variable that is not an alias`);
    sh.io.stdout.write(`alias ${key}='${v.v}'\n`);
    return 0;
  }
  if (!/^[\p{Alphabetic}_][\p{Alphabetic}\p{N}_!-]*$/u.test(key)) {
    sh.io.stderr.write(`ion: alias name, '${key}', is invalid\n`);
    return 1;
  }
  sh.scopes.setGlobal(key, { t: "alias", v: value });
  return 0;
};

/** `eval WORDS…`: run the words joined by spaces as a script (Shell::execute_command); any error is reported as unterminated */
const evalB: Builtin = (sh, a) => {
  try {
    sh.executeCommand(a.join(" "));
  } catch (e) {
    if (!(e instanceof IonFatal)) throw e;
    sh.io.stderr.write("ion: supplied eval expression was not terminated\n");
    return 1;
  }
  return sh.status;
};

const unalias: Builtin = (sh, a) => {
  if (!a.length) {
    sh.io.stderr.write("ion: you must specify an alias name\n");
    return 1;
  }
  for (const n of a) {
    if (!sh.scopes.drop(n)) {
      sh.io.stderr.write(`ion: undefined alias: ${n}\n`);
      return 1;
    }
  }
  return 0;
};

/** Run a builtin: any argument `-h` or `--help` prints its manual instead (the `#[builtin]` macro's check). */
export function runBuiltin(sh: Shell, name: string, args: string[]): number {
  if (args.includes("-h") || args.includes("--help")) return help(sh, name);
  return BUILTINS[name]!(sh, args);
}

export const BUILTINS: Record<string, Builtin> = {
  echo,
  test,
  exists,
  matches,
  contains: anyOf("contains", (h, c) => h.includes(c)),
  "starts-with": anyOf("starts-with", (h, c) => h.startsWith(c)),
  "ends-with": anyOf("ends-with", (h, c) => h.endsWith(c)),
  eq: is,
  is,
  true: () => 0,
  false: () => 1,
  exit,
  math,
  cd,
  drop,
  read,
  set,
  status,
  alias,
  unalias,
  eval: evalB,
  bool,
  random,
};

/** Ion builtins ion-sim does not implement: a clear error instead of "command not found". */
export const UNSUPPORTED_BUILTINS = new Set(["source", "source-sh", "exec", "wait", "fn", "jobs", "bg", "fg", "disown", "suspend", "dirs", "pushd", "popd", "dir_depth", "mapfile", "which", "type", "isatty", "help", "debug"]);

