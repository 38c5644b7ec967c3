/**
 * The evaluator, following redox-os/ion src/lib/shell (flow.rs `execute_statement`, mod.rs
 * `run_pipeline`, pipe_exec, assignments.rs, shell_expand.rs): statements, pipelines,
 * redirections, functions, `let`/`export`, loops and `match`, with Ion's status and error rules.
 * Statements come from parser.ts one at a time (a whole block once its `end` is read).
 */
import * as path from "node:path";
import { HostError, describeErrno, type Host, type StatInfo } from "../host/types.ts";
import { primitiveText, type Assignment, type Case, type FnDef, type Key, type PipeItem, type Pipeline, type Primitive, type Stmt, type StmtOf } from "./ast.ts";
import { letArith, parseRustF64 } from "./arith.ts";
import { BUILTINS, runBuiltin, UNSUPPORTED_BUILTINS } from "./builtins.ts";
import { ExitSignal, IonFatal, IonPanic, IonUnsupported, osErrorText } from "./errors.ts";
import { Expander, expansionError, isArray, rangeText, VarNotFound, type ExpandEnv } from "./expand.ts";
import { glob } from "./glob.ts";
import { BufferSink, FileSink, NullSink, TeeSink, type IO, type Sink } from "./io.ts";
import { argumentSplitter } from "./lexer.ts";
import { isValidName, parseKeys, parseStatements, Parser, unclosedBlockError } from "./parser.ts";
import { parseRange, type Select } from "./ranges.ts";
import { compileRegex } from "./regex.ts";
import { mapEntries, Scopes, valueText, type Value } from "./scope.ts";
import { colorEscape, splitWhitespace } from "./text.ts";

/** A pipeline job after expansion. */
interface Job {
  item: PipeItem;
  args: string[];
  kind: "fn" | "builtin" | "external";
  inputs: { k: "file" | "herestring"; v: string }[];
  outputs: { from: string; file: string; append: boolean }[];
}

/** What a statement asks of the enclosing loop or function (flow.rs `Condition`). */
type Cond = "noop" | "break" | "continue" | "return";

/** A `let`/`export` problem: `ion: assignment error: …`, status 1, nothing assigned (let_extra_values_error). */
class AssignError extends Error {}

/** Statements of nested texts that parsed cleanly (see `onCommand`). */
const PARSED = new Map<string, Stmt[]>();

/** Linux pipe capacity: a `$( )` writing more deadlocks real ion (docs/ion-sim.md, Gaps) */
const PIPE_CAPACITY = 65536;

const PROTECTED = new Set(["HOME", "HOST", "PWD", "MWD", "SWD", "?"]);

/** Rust `i32::from_str` */
function parseI32(s: string): number | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const n = Number(s);
  return n >= -2147483648 && n <= 2147483647 ? n : null;
}

/** Rust `i64::from_str` */
function isI64(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  const v = BigInt(s);
  return v <= 9223372036854775807n && v >= -9223372036854775808n;
}

/** u8::from_str_radix(s, 16) */
function parseHexByte(s: string): number {
  const why = (m: string) => expansionError(`could not parse '${s}' as hexadecimal value: ${m}`);
  if (s === "" || s === "+") throw why("cannot parse integer from empty string");
  if (!/^\+?[0-9A-Fa-f]+$/.test(s)) throw why("invalid digit found in string");
  const n = parseInt(s, 16);
  if (n > 255) throw why("number too large to fit in target type");
  return n;
}

export class Shell implements ExpandEnv {
  scopes = new Scopes();
  env: Map<string, string>;
  cwd: string;
  status = 0;
  line = 0;
  /** the block stack (ion's `flow_control`), shared by the script and `$( )` */
  blocks: Stmt[] = [];
  /** text of failed `echo -n` writes, emitted on the real stdout later (builtins.ts `echo`) */
  pendingOut = "";
  /** `set -e` / `set -p` */
  opts = { errExit: false, pipeFail: false };
  /**
   * Rust's process-wide stdin buffer that `read` goes through: a read with an empty buffer takes up
   * to 8 KiB of the current stdin, and what it does not consume is served to later reads, whatever
   * their stdin (test/ion-sim/ion-fidelity.test.ts; generated code never uses `read`).
   */
  stdinBuf = "";
  io: IO;
  /** true while stdio is redirected at shell level (inside `$( )`): no in-process shortcut (mod.rs run_pipeline) */
  private captured = false;
  readonly ex: Expander;
  private topOut: Sink;

  constructor(
    readonly host: Host,
    readonly fileName: string,
    env: Record<string, string>,
    readonly args: string[],
    stdin: string,
  ) {
    this.env = new Map(Object.entries(env));
    this.cwd = host.cwd();
    // DirectoryStack::new: PWD is the working directory
    this.env.set("PWD", this.cwd);
    this.ex = new Expander(this);
    this.topOut = {
      write: (s: string) => {
        const p = this.pendingOut;
        this.pendingOut = "";
        if (p + s !== "") host.stdout(p + s);
      },
    };
    this.io = { stdout: this.topOut, stderr: { write: (s) => host.stderr(s) }, stdin };
    // Variables::default and main.rs
    const uid = String(host.uid());
    for (const [k, v] of [
      ["HISTORY_SIZE", "1000"],
      ["HISTFILE_SIZE", "100000"],
      ["PID", String(process.pid)],
      ["UID", uid],
      ["EUID", uid],
    ] as const)
      this.scopes.setLocal(k, { t: "str", v });
    this.scopes.setLocal("CDPATH", { t: "arr", v: [] });
    this.scopes.setLocal("args", { t: "arr", v: [fileName, ...args] });
  }

  /** a string variable or environment variable, or undefined (for builtins) */
  getString(name: string): string | undefined {
    const v = this.scopes.get(name);
    return v?.t === "str" ? v.v : this.env.get(name);
  }

  /** one line for `read` (without its newline), or null at end of input */
  readLine(): string | null {
    if (this.stdinBuf === "") {
      const b = Buffer.from(this.io.stdin, "utf8");
      this.stdinBuf = b.subarray(0, 8192).toString("utf8");
    }
    if (this.stdinBuf === "") return null;
    const nl = this.stdinBuf.indexOf("\n");
    let line: string;
    if (nl < 0) {
      line = this.stdinBuf;
      this.stdinBuf = "";
    } else {
      line = this.stdinBuf.slice(0, nl);
      this.stdinBuf = this.stdinBuf.slice(nl + 1);
    }
    return line.endsWith("\r") ? line.slice(0, -1) : line;
  }

  flushPending(): void {
    if (this.pendingOut) this.topOut.write("");
  }

  // ----- ExpandEnv (shell_expand.rs, variables.rs get_str) -----
  string(name: string): string {
    const v = this.lookup(name);
    if (v === undefined) throw new VarNotFound(name);
    return v;
  }

  /** `string` without the VarNotFound error (lookups that fall back, without the cost of an exception) */
  lookup(name: string): string | undefined {
    if (name === "?") return String(this.status);
    if (name === "MWD" || name === "SWD") throw new IonUnsupported(`variable '${name}'`, this.line);
    const ns = name.indexOf("::");
    if (ns >= 0) {
      const pre = name.slice(0, ns);
      const rest = name.slice(ns + 2);
      switch (pre) {
        case "x":
        case "hex":
          return String.fromCharCode(parseHexByte(rest));
        case "env":
          return this.env.get(rest) ?? "";
        case "c":
        case "color": {
          const r = colorEscape(rest);
          if ("error" in r) throw expansionError(r.error);
          return r.ok;
        }
        case "super":
        case "global":
          break;
        default:
          throw expansionError(`namespace '${name}' is unsupported`);
      }
    }
    const v = this.scopes.get(name);
    if (v?.t === "str") return v.v;
    return this.env.get(name);
  }

  array(name: string, sel: Select): string[] {
    const v = this.scopes.get(name);
    if (v === undefined) throw new VarNotFound(name);
    if (v.t === "map") return this.mapSelect(name, v, sel);
    if (v.t !== "arr") throw expansionError(`can't expand a scalar value '${name}' as an array-like`);
    const a = v.v;
    switch (sel.k) {
      case "all":
        return a;
      case "index": {
        const i = sel.i.fwd ? sel.i.n : sel.i.n < a.length ? a.length - 1 - sel.i.n : -1;
        if (i < 0 || i >= a.length)
          throw expansionError(`Invalid index ${sel.i.fwd ? sel.i.n : `-${sel.i.n + 1}`} for sequence with length ${a.length}`);
        return [a[i]!];
      }
      case "range": {
        const ri = (x: { fwd: boolean; n: number }) => (x.fwd ? x.n : x.n < a.length ? a.length - 1 - x.n : null);
        const s = ri(sel.start);
        const e = ri(sel.end);
        if (s !== null && e !== null && e >= s && a.length > s) return a.slice(s, sel.inclusive ? e + 1 : e);
        throw expansionError(`Invalid range between ${rangeText(sel)} for sequence with length ${a.length}`);
      }
      case "key":
        throw expansionError(`index 'Key(${JSON.stringify(sel.key)})' is not valid for array variable '${name}'`);
    }
  }

  /** Shell::array on a map: all → key, value words…; a key or index → that value ("" if absent) */
  private mapSelect(name: string, m: Extract<Value, { t: "map" }>, sel: Select): string[] {
    switch (sel.k) {
      case "all": {
        const out: string[] = [];
        for (const [k, v] of mapEntries(m)) {
          out.push(k);
          if (v.t === "str") out.push(v.v);
          else out.push(...splitWhitespace(valueText(v)));
        }
        return out;
      }
      case "key":
      case "index": {
        const key = sel.k === "key" ? sel.key : sel.i.fwd ? String(sel.i.n) : String(-(sel.i.n + 1));
        const v = m.v.get(key);
        return [v ? valueText(v) : ""];
      }
      case "range":
        throw expansionError(`index '${JSON.stringify(sel)}' is not valid for ${m.sorted ? "btreemap" : "hashmap"} variable '${name}'`);
    }
  }

  private mapOf(name: string): Extract<Value, { t: "map" }> {
    const v = this.scopes.get(name);
    if (v === undefined) throw new VarNotFound(name);
    if (v.t !== "map") throw expansionError(`variable '${name}' is not a map-like value`);
    return v;
  }
  mapKeys(name: string): string[] {
    return mapEntries(this.mapOf(name)).map(([k]) => k);
  }
  mapValues(name: string): string[] {
    return mapEntries(this.mapOf(name)).map(([, v]) => valueText(v));
  }

  tilde(word: string): string {
    if (!word.startsWith("~")) return word;
    throw new IonUnsupported("tilde expansion (`~`)", this.line);
  }

  glob(pattern: string): string[] | null {
    return glob(pattern, {
      listDir: (p) => this.listDir(p),
      isDir: (p) => this.stat(p)?.kind === "dir",
      exists: (p) => this.stat(p) !== null,
    });
  }

  resolve(p: string): string {
    return path.posix.resolve(this.cwd, p);
  }
  stat(p: string): StatInfo | null {
    if (p === "") return null;
    return this.host.stat(this.resolve(p));
  }
  listDir(p: string): string[] | null {
    try {
      return this.host.listDir(this.resolve(p));
    } catch {
      return null;
    }
  }

  /**
   * `$( )`: runs in this shell (subst_runs_in_process), stdout captured, stderr discarded; an error
   * is "Could not expand subprocess".
   */
  command(cmd: string): string {
    const buf = new BufferSink();
    const saved = this.io;
    const savedCaptured = this.captured;
    const line = this.line;
    this.io = { stdout: buf, stderr: new NullSink(), stdin: saved.stdin };
    this.captured = true;
    try {
      this.onCommand(cmd);
    } catch (e) {
      if (e instanceof IonFatal) throw expansionError(`Could not expand subprocess: ${e.message}`);
      throw e;
    } finally {
      this.io = saved;
      this.captured = savedCaptured;
      this.line = line;
    }
    // ion reads the capture pipe only after the command has finished: a writer blocks forever once the
    // pipe (64 KiB on Linux) is full, so real ion hangs here
    const size = Buffer.byteLength(buf.data, "utf8");
    if (size > PIPE_CAPACITY) throw new IonUnsupported(`\`$( )\` output of ${size} bytes: over 64 KiB real ion deadlocks (it reads the pipe only after the command ends)`, line);
    if (buf.data.includes("\uFFFD")) throw expansionError("Could not expand subprocess: stream did not contain valid UTF-8");
    return buf.data;
  }

  /** Shell::execute_command: run a script text (the script, or `eval`'s words); a block left open is an error (status 1) */
  executeCommand(src: string, nested = true): void {
    this.onCommand(src, nested);
    if (this.blocks.length) {
      this.status = 1;
      throw unclosedBlockError(this.blocks);
    }
  }

  /**
   * flow.rs `on_command`: parse and run statements as they complete. Nested texts (`$( )`, `eval`,
   * case guards) report the line of the statement that runs them; their statements are cached
   * once a text has parsed cleanly, since parsing does not depend on the shell's state.
   */
  private onCommand(src: string, nested = true): void {
    const line = this.line;
    const key = `${line}\n${src}`;
    const cached = nested && this.blocks.length === 0 ? PARSED.get(key) : undefined;
    if (cached) {
      for (const s of cached) this.execStmt(s);
      return;
    }
    const p = new Parser(src, this.blocks, nested ? line : undefined);
    const seen: Stmt[] = [];
    const startedClean = this.blocks.length === 0;
    for (let s = p.next((l) => (this.line = l)); s; s = p.next((l) => (this.line = l))) {
      seen.push(s);
      this.execStmt(s);
    }
    if (nested && startedClean && this.blocks.length === 0) {
      if (PARSED.size > 5000) PARSED.clear();
      PARSED.set(key, seen);
    }
  }

  // ----- statements (flow.rs) -----
  /** execute_statements: a fresh scope, stopping at the first break/continue/return */
  execStmts(stmts: Stmt[]): Cond {
    return this.scopes.block(() => this.runStmts(stmts));
  }

  private runStmts(stmts: Stmt[]): Cond {
    for (const s of stmts) {
      const c = this.execStmt(s);
      if (c !== "noop") return c;
    }
    return "noop";
  }

  execStmt(s: Stmt): Cond {
    this.line = s.line;
    switch (s.k) {
      case "let":
        if (!s.action) throw new IonUnsupported("`let` without arguments (listing variables)", s.line);
        this.status = this.doLet(s.action);
        return "noop";
      case "export":
        this.status = this.doExport(s.action);
        return "noop";
      case "while":
        for (;;) {
          this.execStmts(s.expr);
          if (this.status !== 0) return "noop";
          const c = this.execStmts(s.body);
          if (c === "break") return "noop";
          if (c === "return") return "return";
        }
      case "for":
        return this.execFor(s);
      case "if": {
        this.execStmts(s.expr);
        if (this.status === 0) return this.execStmts(s.success);
        for (const eif of s.elseIf) {
          this.execStmts(eif.expr);
          if (this.status === 0) return this.execStmts(eif.success);
        }
        return this.execStmts(s.failure);
      }
      case "fn":
        this.scopes.assign(s.def.name, { t: "fn", v: s.def });
        return "noop";
      case "pipeline": {
        const [p, rest] = this.expandAliases(s.pipeline);
        if (p.items.length) this.status = this.runPipeline(p);
        if (rest.length) this.execStmts(rest);
        return "noop";
      }
      case "and":
        return this.status === 0 ? this.execStmt(s.inner) : "noop";
      case "or":
        return this.status !== 0 ? this.execStmt(s.inner) : "noop";
      case "not":
        this.execStmt(s.inner);
        this.status = this.status === 0 ? 1 : 0;
        return "noop";
      case "break":
        return "break";
      case "continue":
        return "continue";
      case "match":
        return this.execMatch(s);
      case "return":
        if (s.arg !== null) {
          const n = parseI32(this.ex.expandString(s.arg).join(" "));
          if (n !== null) this.status = n;
        }
        return "return";
      case "assignact": {
        const prev = this.env.get(s.key);
        this.env.set(s.key, s.value);
        try {
          return this.execStmt(s.inner);
        } finally {
          if (prev === undefined) this.env.delete(s.key);
          else this.env.set(s.key, prev);
        }
      }
      case "time":
        throw new IonUnsupported("`time`", s.line);
    }
    return "noop";
  }

  private execFor(s: StmtOf<"for">): Cond {
    const values: string[] = [];
    for (const v of s.values) values.push(...this.ex.expandString(v));
    const n = s.vars.length;
    const set = (i: number, v: string) => {
      if (s.vars[i] !== "_") this.scopes.assign(s.vars[i]!, { t: "str", v });
    };
    let items: string[];
    if (values.length === 1) {
      const r = parseRange(values[0]!);
      if (!r) {
        // ForValueExpression::Normal: one iteration, only the first variable, condition ignored
        set(0, values[0]!);
        this.execStmts(s.body);
        return "noop";
      }
      items = r;
    } else items = values;
    for (let i = 0; i < items.length; i += n) {
      for (let j = 0; j < n; j++) set(j, items[i + j] ?? "");
      const c = this.execStmts(s.body);
      if (c === "break") break;
      if (c === "return") return "return";
    }
    return "noop";
  }

  private execMatch(s: StmtOf<"match">): Cond {
    const arrayBind = isArray(s.subject);
    const value = this.ex.expandString(s.subject);
    for (const c of s.cases) {
      if (!this.caseMatches(c, value)) continue;
      let previous: Value | undefined;
      if (c.binding) {
        const old = this.scopes.get(c.binding);
        previous = old && (arrayBind ? old.t === "arr" : old.t === "str") ? old : undefined;
        this.scopes.assign(c.binding, arrayBind ? { t: "arr", v: value } : { t: "str", v: value.join(" ") });
      }
      if (c.conditional !== null) {
        this.onCommand(c.conditional);
        if (this.status !== 0) continue;
      }
      const cond = this.execStmts(c.body);
      if (c.binding && previous) this.scopes.assign(c.binding, previous);
      return cond;
    }
    return "noop";
  }

  /** each subject word must match one of the case's patterns, anchored; an invalid pattern never matches (RegexSet) */
  private caseMatches(c: Case, value: string[]): boolean {
    if (c.value === null) return true;
    const res: RegExp[] = [];
    for (const p of this.ex.expandString(c.value)) {
      try {
        res.push(compileRegex(p, true));
      } catch {
        return false;
      }
    }
    return value.every((w) => res.some((r) => r.test(w)));
  }

  // ----- pipelines (mod.rs run_pipeline, pipe_exec) -----
  private expandArg(raw: string): string[] {
    const w = this.ex.expandString(raw);
    return w.length === 0 ? [""] : w;
  }

  /**
   * flow.rs `expand_pipeline`: a job whose name is an alias is replaced by the alias's statements
   * (re-parsed at each use); its first pipeline takes the job's place, and a pipeline cut by
   * `&&`/`||` inside the alias takes the rest of the original pipeline.
   */
  private expandAliases(p: Pipeline): [Pipeline, Stmt[]] {
    const items: PipeItem[] = [];
    let rest: Stmt[] = [];
    for (let k = 0; k < p.items.length; k++) {
      const item = p.items[k]!;
      const v = this.scopes.get(item.args[0]!);
      if (v?.t !== "alias") {
        items.push(item);
        continue;
      }
      const stmts = parseStatements(v.v, this.line);
      const single = stmts.length === 1;
      const first = stmts[0];
      if (first?.k === "pipeline") {
        const pl = first.pipeline.items;
        if (pl.length) {
          pl[0]!.inputs = [...item.inputs];
          pl[0]!.args.push(...item.args.slice(1));
          if (single) {
            pl[pl.length - 1]!.outputs = [...item.outputs];
            pl[pl.length - 1]!.redirection = item.redirection;
          }
        }
        items.push(...pl);
        stmts.shift();
      }
      rest = stmts;
      if (stmts.length) {
        const last = stmts[stmts.length - 1]!;
        if (last.k === "and" || last.k === "or" || last.k === "not" || last.k === "time") {
          if (last.inner.k !== "pipeline")
            throw new IonFatal(`pipeline execution error: unable to pipe outputs of alias: '${item.args[0]} = ${v.v}'`);
          const pl = last.inner.pipeline.items;
          if (pl.length) {
            pl[pl.length - 1]!.outputs = [...item.outputs];
            pl[pl.length - 1]!.redirection = item.redirection;
          }
          pl.push(...p.items.slice(k + 1));
        }
        break;
      }
    }
    return [{ items, pipe: p.pipe }, rest];
  }

  private runPipeline(p: Pipeline): number {
    if (p.pipe !== "normal") throw new IonUnsupported("background jobs ('&')", this.line);
    // the whole pipeline is expanded first, in the shell itself
    const items = p.items.map((it) => {
      const args: string[] = [];
      for (const a of it.args) args.push(...this.expandArg(a));
      const isFn = this.scopes.get(it.args[0]!)?.t === "fn";
      return {
        item: it,
        // a function job keeps its raw words: the call expands them again, and its arity check
        // counts them (fn_arity_counts_raw_words)
        args: isFn ? it.args : args,
        kind: isFn ? ("fn" as const) : BUILTINS[args[0]!] ? ("builtin" as const) : ("external" as const),
        inputs: it.inputs.map((i) => ({ k: i.k, v: this.ex.text(i.k === "file" ? i.file : i.text) })),
        outputs: it.outputs.map((o) => ({ ...o, file: this.ex.text(o.file) })),
      };
    });
    const st = this.runJobs(items);
    if (this.opts.errExit && st !== 0) throw new IonFatal(`pipeline execution error: early exit: pipeline failed with error code ${st}`);
    return st;
  }

  private runJobs(items: Job[]): number {
    const simple = items.length === 1 && !items[0]!.inputs.length && !items[0]!.outputs.length;
    if (simple && !this.captured) {
      const j = items[0]!;
      // a builtin's name wins, even over a function of that name, which then gets raw words
      // (fn_builtin_name_breaks_builtin)
      if (BUILTINS[j.args[0]!]) return runBuiltin(this, j.args[0]!, j.args.slice(1));
      if (UNSUPPORTED_BUILTINS.has(j.args[0]!)) throw new IonUnsupported(`builtin '${j.args[0]}'`, this.line);
      if (j.kind === "fn") return this.callFunction(j.args);
    }
    if (items.length === 1) return this.runItem(items[0]!, this.io.stdin, false, this.io.stdout, this.io.stderr);
    // every stage of a multi-stage pipeline runs in a fork: on a copy of the shell state
    let input = this.io.stdin;
    let last = 0;
    let firstFailure = 0;
    const outer = this.io;
    items.forEach((j, i) => {
      const isLast = i === items.length - 1;
      const pipe = new BufferSink();
      const r = j.item.redirection;
      const snap = { scopes: this.scopes, env: this.env, cwd: this.cwd, status: this.status, blocks: this.blocks, opts: this.opts, buf: this.stdinBuf };
      this.scopes = this.scopes.clone();
      this.env = new Map(this.env);
      this.blocks = [];
      this.opts = { ...this.opts };
      let st: number;
      try {
        const out = isLast || r === "stderr" ? outer.stdout : pipe;
        const err = !isLast && (r === "stderr" || r === "both") ? pipe : outer.stderr;
        st = this.runItem(j, input, i > 0, out, err);
      } catch (e) {
        if (e instanceof ExitSignal) st = e.status & 255;
        else if (e instanceof IonFatal && j.kind !== "external") {
          // a forked builtin or function prints its error and exits 1
          outer.stderr.write(`${e.message}\n`);
          st = 1;
        } else throw e;
      } finally {
        this.scopes = snap.scopes;
        this.env = snap.env;
        this.cwd = snap.cwd;
        this.status = snap.status;
        this.blocks = snap.blocks;
        this.opts = snap.opts;
        this.stdinBuf = snap.buf;
        this.io = outer;
      }
      if (st !== 0 && firstFailure === 0) firstFailure = st;
      last = st;
      input = pipe.data;
    });
    // ion waits for the process group: without `set -p`, the status of the last process to exit
    return this.opts.pipeFail ? firstFailure : last;
  }

  /** One job with its stdio, redirections, herestrings and input files applied. */
  private runItem(j: Job, stdin: string, piped: boolean, stdout: Sink, stderr: Sink): number {
    const saved = this.io;
    const opened: FileSink[] = [];
    try {
      let input = stdin;
      if (j.inputs.length === 1 && !piped) input = this.inputText(j.inputs[0]!);
      else if (j.inputs.length) {
        // several inputs, or inputs after a pipe: ion inserts a `cat` of the pipe and the inputs
        input = piped ? stdin : "";
        for (const i of j.inputs) input += this.inputText(i);
      }
      const outs: Sink[] = [];
      const errs: Sink[] = [];
      for (const o of j.outputs) {
        const s = this.openSink(o.file, o.append ? "append" : "write", o.from === "stderr" ? "stderr" : o.from === "both" ? "both stdout and stderr" : "stdout");
        if (s instanceof FileSink) opened.push(s);
        if (o.from !== "stderr") outs.push(s);
        if (o.from !== "stdout") errs.push(s);
      }
      // a redirected stream that is also piped (`> f |`) is teed to its files and the pipe, or to the
      // shell's stdout after a trailing `|`; with both streams teed ion sends nothing down the pipe
      const r = j.item.redirection;
      const teeOut = (r === "stdout" || r === "both") && outs.length > 0;
      const teeErr = (r === "stderr" || r === "both") && errs.length > 0;
      const sinks = (piped: Sink, files: Sink[], tee: boolean) =>
        files.length === 0 ? piped : tee && !(teeOut && teeErr) ? new TeeSink([piped, ...files]) : files.length === 1 ? files[0]! : new TeeSink(files);
      this.io = { stdin: input, stdout: sinks(stdout, outs, teeOut), stderr: sinks(stderr, errs, teeErr) };
      switch (j.kind) {
        case "builtin":
          return runBuiltin(this, j.args[0]!, j.args.slice(1));
        case "fn":
          return this.callFunction(j.args);
      }
      const name = j.args[0]!;
      if (UNSUPPORTED_BUILTINS.has(name)) throw new IonUnsupported(`builtin '${name}'`, this.line);
      const io = this.io;
      const st = this.host.exec(j.args, {
        stdin: io.stdin,
        stdout: (s) => io.stdout.write(s),
        stderr: (s) => io.stderr.write(s),
        env: Object.fromEntries(this.env),
        cwd: this.cwd,
      });
      if (st === null) throw new IonFatal(`pipeline execution error: command not found: ${name}`);
      return st;
    } finally {
      this.io = saved;
      for (const h of opened) h.handle.close();
    }
  }

  private inputText(i: { k: "file" | "herestring"; v: string }): string {
    if (i.k === "herestring") return i.v.endsWith("\n") ? i.v : i.v + "\n";
    return this.readInput(i.v);
  }

  private readInput(file: string): string {
    if (file === "/dev/null") return "";
    try {
      return this.host.readFile(this.resolve(file));
    } catch (e) {
      if (e instanceof HostError) throw new IonFatal(`pipeline execution error: failed to redirect '${file}' to stdin: ${osErrorText(e.code, describeErrno(e.code))}`);
      throw e;
    }
  }

  private openSink(target: string, mode: "write" | "append", which: string): Sink {
    if (target === "/dev/null") return new NullSink();
    if (target === "/dev/stdout") return this.io.stdout;
    if (target === "/dev/stderr") return this.io.stderr;
    try {
      return new FileSink(this.host.open(this.resolve(target), mode));
    } catch (e) {
      if (e instanceof HostError)
        throw new IonFatal(`pipeline execution error: failed to redirect ${which} to file '${target}': ${osErrorText(e.code, describeErrno(e.code))}`);
      throw e;
    }
  }

  // ----- functions (flow_control.rs Function::execute) -----
  private callFunction(rawArgs: string[]): number {
    const fv = this.scopes.get(rawArgs[0]!);
    if (fv?.t !== "fn") throw new IonPanic("internal error: entered unreachable code");
    const def: FnDef = fv.v;
    if (rawArgs.length - 1 !== def.params.length) throw new IonFatal("function error: invalid number of arguments supplied");
    const vals = def.params.map((p, i) => {
      const raw = rawArgs[i + 1]!;
      try {
        return this.valueCheck(raw, p.kind);
      } catch (e) {
        if (e instanceof IonFatal) throw new IonFatal(`function error: argument has invalid type: expected ${primitiveText(p.kind)}, found value '${raw}'`);
        throw e;
      }
    });
    this.scopes.call(
      def.name,
      () => def.params.forEach((p, i) => this.scopes.setLocal(p.name, vals[i]!)),
      () => this.runStmts(def.body),
    );
    return this.status;
  }

  /**
   * checker.rs `value_check`: expand a raw value for a type; array literals are expanded, then each
   * element again (arr_literal_reexpands_elements)
   */
  valueCheck(value: string, kind: Primitive): Value {
    if (isArray(value)) {
      const items = this.ex.expandString(value);
      switch (kind.t) {
        case "str":
          return { t: "arr", v: items.map((x) => this.valueStr(this.valueCheck(x, { t: "str" }))) };
        case "array":
          return { t: "arr", v: items.map((x) => this.valueStr(this.valueCheck(x, kind.of))) };
        case "hmap":
        case "bmap": {
          // get_map_of: each word is KEY=VALUE, the value checked against the inner type
          const m = new Map<string, Value>();
          for (const w of items) {
            const eq = w.indexOf("=");
            if (eq < 0) throw expansionError(`expected ${primitiveText(kind.of)}`);
            const v = this.valueCheck(w.slice(eq + 1), kind.of);
            if (v.t === "fn" || v.t === "alias") throw expansionError(`expected ${primitiveText(kind.of)}`);
            m.set(w.slice(0, eq), v);
          }
          return { t: "map", sorted: kind.t === "bmap", v: m };
        }
        case "indexed":
          return this.valueCheck(value, kind.of);
      }
      throw expansionError(`expected ${primitiveText(kind)}`);
    }
    const s = this.ex.text(value);
    switch (kind.t) {
      case "str":
        return { t: "str", v: s };
      case "bool":
        if (s === "true" || s === "1" || s === "y") return { t: "str", v: "true" };
        if (s === "false" || s === "0" || s === "n") return { t: "str", v: "false" };
        break;
      case "int":
        if (isI64(s)) return { t: "str", v: s };
        break;
      case "float":
        if (parseRustF64(s) !== null) return { t: "str", v: s };
        break;
      case "indexed":
        return this.valueCheck(value, kind.of);
    }
    throw expansionError(`expected ${primitiveText(kind)}`);
  }

  /** an element of an array built from `value_check` results (nested arrays are flattened by Display) */
  private valueStr(v: Value): string {
    return valueText(v);
  }

  // ----- let / export (assignments.rs) -----
  /**
   * AssignmentActions: key/value pairs in order; ion reports a problem (type, extra or
   * repeated keys or values) when it reaches it, after the pairs before it were evaluated.
   */
  private *actions(a: Assignment): Generator<{ key: Key; value: string }> {
    const { keys, error } = parseKeys(a.keys);
    const values = argumentSplitter(a.values);
    let prev: { key: Key; value: string } | null = null;
    const seen: string[] = [];
    for (let i = 0; ; i++) {
      const key = keys[i];
      const keyError = key === undefined && i === keys.length && error !== null;
      const value = values.next().value;
      if ((key || keyError) && value !== undefined) {
        if (keyError) throw new AssignError(error!.message);
        if (seen.includes(key!.name)) throw new AssignError(`repeated assignment to same key, and thus ignored. Repeated key: '${key!.name}'`);
        seen.push(key!.name);
        const k = key!.kind.t;
        const arrayKind = k === "array" || k === "hmap" || k === "bmap";
        if (arrayKind && !isArray(value)) throw new AssignError(`expected ${primitiveText(key!.kind)}, but received str`);
        if (!arrayKind && k !== "str" && k !== "indexed" && isArray(value)) throw new AssignError(`expected ${primitiveText(key!.kind)}, but received [str]`);
        prev = { key: key!, value };
        yield prev;
      } else if (value !== undefined) {
        if (prev) throw new AssignError(`extra values were supplied, and thus ignored. Previous assignment: '${prev.key.name}' = '${prev.value}'`);
        throw new AssignError(`no key to assign value, thus ignored. Value: '${value}'`);
      } else if (key || keyError) {
        if (prev) throw new AssignError(`extra keys were supplied, and thus ignored. Previous assignment: '${prev.key.name}' = '${prev.value}'`);
        throw new IonPanic("internal error: entered unreachable code");
      } else return;
    }
  }

  private rhs(value: string, key: Key): Value {
    try {
      return this.valueCheck(value, key.kind);
    } catch (e) {
      if (e instanceof IonFatal) throw new AssignError(`${key.name}: ${e.message.replace(/^expansion error: /, "")}`);
      throw e;
    }
  }

  doLet(a: Assignment): number {
    try {
      const updates: [Key, Value][] = [];
      for (const { key, value } of this.actions(a)) {
        if (PROTECTED.has(key.name)) throw new AssignError(`not allowed to set \`${key.name}\``);
        if (!isValidName(key.name)) throw new AssignError("invalid variable name: only alphanumerical characters and underscores are supported");
        if (a.op === "?=" && this.scopes.get(key.name) !== undefined) continue;
        const rhs = this.rhs(value, key);
        if (key.kind.t === "indexed" && rhs.t === "map") throw new AssignError(`cannot insert ${rhs.sorted ? "bmap" : "hmap"} into index`);
        if (key.kind.t === "indexed" && rhs.t === "arr") throw new AssignError("multi-dimensional arrays are not yet supported");
        if (a.op === "=" || a.op === "?=") {
          updates.push([key, rhs]);
          continue;
        }
        const lhs = this.scopes.get(key.name);
        if (!lhs) throw new AssignError(`cannot update non existing variable \`${key.name}\``);
        const v = this.applyOp(a.op, lhs, rhs);
        if (!v) throw new AssignError(`type error: variable \`${key.name}\` of type \`${primitiveText(key.kind)}\` does not support operator`);
        updates.push([key, v]);
      }
      for (const [key, v] of updates) this.assign(key, v);
      return 0;
    } catch (e) {
      if (!(e instanceof AssignError)) throw e;
      this.io.stderr.write(`ion: assignment error: ${e.message}\n`);
      return 1;
    }
  }

  /** assignments.rs `apply` (types-rs arithmetic and modifications) */
  private applyOp(op: string, lhs: Value, rhs: Value): Value | null {
    if (lhs.t === "fn" || lhs.t === "alias") return null;
    if (lhs.t === "map" || rhs.t === "map") return op === "++=" || op === "::=" ? lhs : null;
    switch (op) {
      case "++=":
      case "::=": {
        const head = op === "::=";
        if (lhs.t === "arr") {
          const add = rhs.t === "arr" ? rhs.v : rhs.t === "str" ? [rhs.v] : null;
          if (!add) return lhs;
          return { t: "arr", v: head ? [...add, ...lhs.v] : [...lhs.v, ...add] };
        }
        if (rhs.t !== "str") return lhs;
        return { t: "str", v: head ? rhs.v + lhs.v : lhs.v + rhs.v };
      }
      case "\\\\=": {
        if (lhs.t !== "arr" || rhs.t === "fn") return null;
        const rm = new Set(rhs.t === "arr" ? rhs.v : [rhs.v]);
        return { t: "arr", v: lhs.v.filter((x) => !rm.has(x)) };
      }
    }
    if (rhs.t !== "str") return null;
    const sop = op.slice(0, -1);
    if (lhs.t === "arr") {
      const out: string[] = [];
      for (const el of lhs.v) {
        const r = letArith(sop, el, rhs.v);
        if (r === null) return null;
        out.push(r);
      }
      return { t: "arr", v: out };
    }
    const r = letArith(sop, lhs.v, rhs.v);
    return r === null ? null : { t: "str", v: r };
  }

  /** Shell::assign: plain names, or one element `name[i]` of an array */
  private assign(key: Key, value: Value): void {
    if (key.kind.t !== "indexed") {
      this.scopes.assign(key.name, value);
      return;
    }
    if (value.t !== "str") return;
    const idx = this.rhs(key.kind.index, { name: key.name, kind: key.kind.of });
    if (idx.t !== "str") throw new AssignError("index variable cannot be an array");
    const cur = this.scopes.get(key.name);
    if (!cur) throw new AssignError("index value does not exist");
    if (cur.t === "str") throw new AssignError("cannot assign to an index of a string");
    if (cur.t === "map") {
      const m = new Map(cur.v);
      m.set(idx.v, value);
      this.scopes.assign(key.name, { t: "map", sorted: cur.sorted, v: m });
      return;
    }
    if (cur.t !== "arr") return;
    if (!/^\+?[0-9]+$/.test(idx.v)) throw new AssignError(`index variable is not a numeric value: \`${idx.v}\``);
    const i = Number(idx.v);
    if (i < cur.v.length) {
      const arr = [...cur.v];
      arr[i] = value.v;
      this.scopes.assign(key.name, { t: "arr", v: arr });
    }
  }

  doExport(action: StmtOf<"export">["action"]): number {
    if (action === null) throw new IonUnsupported("`export` without arguments (listing the environment)", this.line);
    if (action.op === null) {
      try {
        this.env.set(action.keys, this.string(action.keys));
        return 0;
      } catch (e) {
        if (!(e instanceof IonFatal)) throw e;
        this.io.stderr.write(`ion: cannot export ${action.keys} because it does not exist.\n`);
        return 1;
      }
    }
    try {
      for (const { key, value } of this.actions(action)) {
        // the operator is ignored: the value is set as is (`export X += 1` sets 1)
        const v = this.rhs(value, key);
        if (v.t !== "str" && v.t !== "arr") throw new AssignError(`${key.name}: export of type '${primitiveText(key.kind)}' is not supported`);
        if (v.t === "arr" && action.op !== "=") throw new AssignError("arithmetic operators on array expressions aren't supported yet.");
        this.env.set(key.name, valueText(v));
      }
      return 0;
    } catch (e) {
      if (!(e instanceof AssignError)) throw e;
      this.io.stderr.write(`ion: assignment error: ${e.message}\n`);
      return 1;
    }
  }

  // ----- top level (main.rs) -----
  run(src: string): number {
    try {
      this.executeCommand(src, false);
      this.flushPending();
      return this.status & 255;
    } catch (e) {
      this.flushPending();
      if (e instanceof ExitSignal) return e.status & 255;
      if (e instanceof IonFatal) {
        this.host.stderr(`ion: ${e.message}\n`);
        return 1;
      }
      if (e instanceof IonPanic) {
        this.host.stderr(`thread 'main' panicked at ion-sim: ${e.message}\nnote: ion aborts here (status 134)\n`);
        return 134;
      }
      if (e instanceof IonUnsupported) {
        this.host.stderr(`ion-sim: ${this.fileName}:${e.line || this.line}: unsupported ${e.message}\n`);
        return 1;
      }
      if (e instanceof HostError) {
        this.host.stderr(`ion-sim: ${this.fileName}:${this.line}: host error: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  }
}

