/**
 * The evaluator: statements, chains, pipelines, redirections, functions, `let`,
 * `export`, loops and `match`, with Ion's status and error rules (§1, §8–§12).
 */
import * as path from "node:path";
import { HostError, describeErrno, type Host, type StatInfo } from "../host/types.ts";
import type { Chain, FnDef, Pipeline, Stage, Stmt } from "./ast.ts";
import { letArith, parseRustF64 } from "./arith.ts";
import { BUILTINS, UNSUPPORTED_BUILTINS } from "./builtins.ts";
import {
  BreakSignal,
  ContinueSignal,
  ExitSignal,
  IonFatal,
  IonPanic,
  IonUnsupported,
  ReturnSignal,
} from "./errors.ts";
import { Expander, notExist, parseWord, type ExpandEnv } from "./expand.ts";
import { BufferSink, FileSink, NullSink, type IO, type Sink } from "./io.ts";
import { splitArgs } from "./lexer.ts";
import { Parser } from "./parser.ts";
import { parseRange } from "./ranges.ts";
import { compileRegex } from "./regex.ts";
import { Scopes, type Value } from "./scope.ts";

const PROTECTED = new Set(["HOME", "HOST", "PWD", "MWD", "SWD"]);
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A `let` RHS or key problem: printed as `ion: assignment error: …`, status 1, nothing assigned (§3.1). */
class AssignError extends Error {}

export class Shell implements ExpandEnv {
  scopes = new Scopes();
  env: Map<string, string>;
  cwd: string;
  status = 0;
  line = 0;
  /** text of failed `echo -n` writes, emitted on the real stdout later (§11) */
  pendingOut = "";
  io: IO;
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
    this.ex = new Expander(this);
    this.topOut = {
      write: (s: string) => {
        const p = this.pendingOut;
        this.pendingOut = "";
        if (p + s !== "") host.stdout(p + s);
      },
    };
    this.io = { stdout: this.topOut, stderr: { write: (s) => host.stderr(s) }, stdin };
  }

  flushPending(): void {
    if (this.pendingOut) this.topOut.write("");
  }

  // ----- ExpandEnv -----
  getString(name: string): string | undefined {
    if (name === "?") return String(this.status);
    const v = this.scopes.get(name);
    if (v) return v.t === "str" ? v.v : undefined;
    return this.env.get(name);
  }
  getArray(name: string): string[] | undefined {
    if (name === "args") return [this.fileName, ...this.args];
    const v = this.scopes.get(name);
    if (v?.t === "arr") return v.v;
    if (v?.t === "str") throw new IonFatal(`expansion error: can't expand a scalar value '${v.v}' as an array-like`);
    return undefined;
  }
  getEnv(name: string): string | undefined {
    return this.env.get(name);
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
  exists(p: string): boolean {
    return this.stat(p) !== null;
  }

  /** `$( )`: runs in this shell (§10), stdout captured, stderr discarded. */
  capture(cmd: string): string {
    const buf = new BufferSink();
    const saved = this.io;
    const line = this.line;
    this.io = { stdout: buf, stderr: new NullSink(), stdin: "" };
    try {
      const p = new Parser(cmd);
      for (;;) {
        const s = p.next();
        if (!s) break;
        this.execStmt(s);
      }
    } catch (e) {
      if (!(e instanceof ReturnSignal)) throw e;
      if (e.status !== null) this.status = e.status;
    } finally {
      this.io = saved;
      this.line = line;
    }
    if (buf.data.includes("\uFFFD")) throw new IonFatal("stream did not contain valid UTF-8");
    return buf.data;
  }

  // ----- statements -----
  execStmts(stmts: Stmt[]): void {
    for (const s of stmts) this.execStmt(s);
  }

  execStmt(s: Stmt): void {
    this.line = s.line;
    switch (s.k) {
      case "chain":
        if (s.guard === "and" && this.status !== 0) return;
        if (s.guard === "or" && this.status === 0) return;
        this.runChain(s.chain, false);
        return;
      case "if":
        for (const br of s.branches) {
          if (br.cond === null) {
            this.scopes.block(() => this.execStmts(br.body));
            return;
          }
          this.scopes.block(() => this.runChain(br.cond!, false));
          if (this.status === 0) {
            this.scopes.block(() => this.execStmts(br.body));
            return;
          }
        }
        return;
      case "while":
        for (;;) {
          this.scopes.block(() => this.runChain(s.cond, true));
          if (this.status !== 0) return;
          if (this.loopBody(s.body) === "break") return;
        }
      case "for":
        return this.execFor(s);
      case "fn":
        this.scopes.assign(s.def.name, { t: "fn", v: s.def });
        return;
      case "match":
        return this.execMatch(s);
      case "break":
        throw new BreakSignal();
      case "continue":
        throw new ContinueSignal();
      case "return":
        return this.doReturn(s.arg);
    }
  }

  private doReturn(arg: string | null): void {
    if (arg === null) throw new ReturnSignal(null);
    const v = this.ex.text(arg);
    if (/^[+-]?[0-9]+$/.test(v)) throw new ReturnSignal(Number(BigInt.asIntN(32, BigInt(v))));
    // `return abc` is ignored (§9.3)
  }

  /** One loop iteration in a fresh scope; "break" ends the loop. */
  private loopBody(body: Stmt[]): "break" | "next" {
    try {
      this.scopes.block(() => this.execStmts(body));
    } catch (e) {
      if (e instanceof BreakSignal) return "break";
      if (e instanceof ContinueSignal) return "next";
      throw e;
    }
    return "next";
  }

  private execFor(s: Extract<Stmt, { k: "for" }>): void {
    let items: string[] = [];
    for (const w of s.words) items.push(...this.ex.words(w));
    if (items.length === 1) {
      // §9.1: one range-shaped word iterates the range
      const r = parseRange(items[0]!);
      if (r) items = r;
    }
    const n = s.vars.length;
    for (let i = 0; i < items.length; i += n) {
      for (let j = 0; j < n; j++) {
        const name = s.vars[j]!;
        if (name !== "_") this.scopes.assign(name, { t: "str", v: items[i + j] ?? "" });
      }
      if (this.loopBody(s.body) === "break") return;
    }
  }

  private execMatch(s: Extract<Stmt, { k: "match" }>): void {
    const subject: string[] = [];
    for (const w of s.subject) subject.push(...this.ex.words(w));
    for (const c of s.cases) {
      if (c.pat === null) {
        this.scopes.block(() => this.execStmts(c.body));
        return;
      }
      const pats: string[] = [];
      for (const w of c.pat) pats.push(...this.ex.words(w));
      const res: RegExp[] = [];
      for (const p of pats) {
        try {
          res.push(compileRegex(p, true));
        } catch {
          /* §9.2: an invalid regex never matches */
        }
      }
      if (!res.length && pats.length) continue;
      // §9.2: every element of the subject must match; an empty subject matches the first valid case
      if (subject.every((w) => res.some((r) => r.test(w)))) {
        this.scopes.block(() => this.execStmts(c.body));
        return;
      }
    }
  }

  // ----- chains and pipelines -----
  runChain(chain: Chain, whileCond: boolean): void {
    chain.items.forEach((it, idx) => {
      if (it.op === "&&" && this.status !== 0) return;
      if (it.op === "||" && this.status === 0) return;
      this.runPipeline(it.pipeline, whileCond && idx === 0);
    });
  }

  private runPipeline(p: Pipeline, plain: boolean): void {
    if (p.stages.length === 1) {
      this.status = this.runStage(p.stages[0]!, plain);
      return;
    }
    // §9.3: stages of a multi-stage pipeline run on a copy of the shell state (a fork in ion)
    let input = this.io.stdin;
    const outer = this.io;
    let st = 0;
    p.stages.forEach((stage, i) => {
      const last = i === p.stages.length - 1;
      const buf = new BufferSink();
      const snap = { scopes: this.scopes, env: this.env, cwd: this.cwd, status: this.status };
      this.scopes = this.scopes.clone();
      this.env = new Map(this.env);
      this.io = { stdout: last ? outer.stdout : buf, stderr: outer.stderr, stdin: input };
      try {
        st = this.runStage(stage, plain && i === 0);
      } catch (e) {
        if (e instanceof ExitSignal) st = e.status;
        else throw e;
      } finally {
        this.scopes = snap.scopes;
        this.env = snap.env;
        this.cwd = snap.cwd;
        this.io = outer;
      }
      input = buf.data;
    });
    this.status = st;
  }

  /** Expand command arguments: a word that expands to nothing is one empty argument (§5.1). */
  private argWords(raws: string[]): string[] {
    const out: string[] = [];
    for (const r of raws) {
      const ws = this.ex.words(r);
      if (ws.length === 0) out.push("");
      else out.push(...ws);
    }
    return out;
  }

  private runStage(stage: Stage, plain: boolean): number {
    const w0 = stage.words[0]!;
    if (!plain) {
      if (w0 === "not" || w0 === "!") {
        const st = this.runStage({ words: stage.words.slice(1), redirs: stage.redirs }, false);
        return st === 0 ? 1 : 0;
      }
      if (w0 === "let") return this.withRedirs(stage, () => this.doLet(stage.words.slice(1).join(" ")));
      if (w0 === "export") return this.withRedirs(stage, () => this.doExport(stage.words.slice(1).join(" ")));
      if (stage.words.length === 1 && w0 === "break") throw new BreakSignal();
      if (stage.words.length === 1 && w0 === "continue") throw new ContinueSignal();
      if (w0 === "return") {
        this.doReturn(stage.words[1] ?? null);
        return this.status;
      }
    }
    const first = this.ex.words(w0);
    if (first.length === 0) throw new IonFatal(`pipeline execution error: empty command`);
    const name = first[0]!;
    const fnv = this.scopes.get(name);
    const builtin = BUILTINS[name];
    if (builtin) {
      // §3.2: after `fn echo`, the builtin still runs but gets its arguments unexpanded
      const args = fnv?.t === "fn" ? stage.words.slice(1) : [...first.slice(1), ...this.argWords(stage.words.slice(1))];
      return this.withRedirs(stage, () => builtin(this, args));
    }
    if (fnv?.t === "fn") return this.callFunction(fnv.v, stage.words.slice(1), stage);
    if (UNSUPPORTED_BUILTINS.has(name)) throw new IonUnsupported(`builtin '${name}'`, this.line);
    const argv = [...first, ...this.argWords(stage.words.slice(1))];
    return this.withRedirs(stage, () => {
      const io = this.io;
      const env: Record<string, string> = Object.fromEntries(this.env);
      const st = this.host.exec(argv, {
        stdin: io.stdin,
        stdout: (s) => io.stdout.write(s),
        stderr: (s) => io.stderr.write(s),
        env,
        cwd: this.cwd,
      });
      if (st === null) throw new IonFatal(`command not found: ${name}`);
      return st;
    });
  }

  private openSink(target: string, mode: "write" | "append", which: string): Sink {
    if (target === "/dev/null") return new NullSink();
    if (target === "/dev/stdout") return this.io.stdout;
    if (target === "/dev/stderr") return this.io.stderr;
    try {
      return new FileSink(this.host.open(this.resolve(target), mode));
    } catch (e) {
      if (e instanceof HostError)
        throw new IonFatal(`pipeline execution error: failed to redirect ${which} to file '${target}': ${describeErrno(e.code)}`);
      throw e;
    }
  }

  /** Run `f` with the stage's redirections applied to `this.io`. */
  private withRedirs(stage: Stage, f: () => number): number {
    if (!stage.redirs.length) return f();
    const saved = this.io;
    const io: IO = { ...saved };
    const opened: FileSink[] = [];
    try {
      for (const r of stage.redirs) {
        const target = this.ex.words(r.target).join(" ");
        const mode = r.op.endsWith(">>") ? "append" : "write";
        switch (r.op) {
          case ">":
          case ">>":
            io.stdout = this.openSink(target, mode, "stdout");
            break;
          case "^>":
          case "^>>":
            io.stderr = this.openSink(target, mode, "stderr");
            break;
          case "&>":
          case "&>>": {
            const s = this.openSink(target, mode, "stdout");
            io.stdout = s;
            io.stderr = s;
            break;
          }
          case "<":
            if (target === "/dev/null") io.stdin = "";
            else
              try {
                io.stdin = this.host.readFile(this.resolve(target));
              } catch (e) {
                if (e instanceof HostError)
                  throw new IonFatal(`pipeline execution error: failed to redirect stdin from file '${target}': ${describeErrno(e.code)}`);
                throw e;
              }
            break;
          case "<<<":
            io.stdin = target.endsWith("\n") ? target : target + "\n";
            break;
        }
        if (io.stdout instanceof FileSink && !opened.includes(io.stdout)) opened.push(io.stdout);
        if (io.stderr instanceof FileSink && !opened.includes(io.stderr)) opened.push(io.stderr);
      }
      this.io = io;
      return f();
    } finally {
      this.io = saved;
      for (const h of opened) h.handle.close();
    }
  }

  // ----- functions -----
  private checkType(type: string | null, v: string | string[], what: string): Value {
    const bad = (t: string, val: string) => new IonFatal(`${what}: expected ${t}, found value '${val}'`);
    if (type === null || type === "str") return { t: "str", v: Array.isArray(v) ? v.join(" ") : v };
    if (type.startsWith("[")) {
      const inner = type.slice(1, -1);
      const arr = Array.isArray(v) ? v : [v];
      return { t: "arr", v: arr.map((x) => (this.checkType(inner, x, what) as { v: string }).v) };
    }
    const s = Array.isArray(v) ? v.join(" ") : v;
    switch (type) {
      case "int":
        if (!/^[+-]?[0-9]+$/.test(s)) throw bad("int", s);
        return { t: "str", v: BigInt(s).toString() };
      case "float":
        if (parseRustF64(s) === null) throw bad("float", s);
        return { t: "str", v: s };
      case "bool":
        if (["true", "1", "y", "yes"].includes(s)) return { t: "str", v: "true" };
        if (["false", "0", "n", "no"].includes(s)) return { t: "str", v: "false" };
        throw bad("bool", s);
    }
    throw new IonUnsupported(`type '${type}'`, this.line);
  }

  private callFunction(def: FnDef, rawArgs: string[], stage: Stage): number {
    if (rawArgs.length !== def.params.length)
      throw new IonFatal(`function error: invalid number of arguments supplied (${def.name})`);
    const evalArgs = () =>
      rawArgs.map((raw, i) => {
        const t = def.params[i]!.type;
        const ws = this.ex.words(raw);
        return t?.startsWith("[") ? ws : ws.join(" ");
      });
    evalArgs(); // §9.3: `$( )` in an argument runs twice
    const vals = evalArgs().map((v, i) => {
      try {
        return this.checkType(def.params[i]!.type, v, "argument has invalid type");
      } catch (e) {
        if (e instanceof IonFatal) throw new IonFatal(`function error: ${e.message}`);
        throw e;
      }
    });
    return this.withRedirs(stage, () => {
      this.scopes.call(
        def.name,
        () => def.params.forEach((p, i) => this.scopes.setLocal(p.name, vals[i]!)),
        () => {
          try {
            this.execStmts(def.body);
          } catch (e) {
            if (e instanceof ReturnSignal) {
              if (e.status !== null) this.status = e.status;
            } else if (!(e instanceof BreakSignal || e instanceof ContinueSignal)) throw e;
          }
        },
      );
      return this.status;
    });
  }

  // ----- let / export -----
  private parseAssignment(text: string): { keys: string[]; op: string; values: string[] } {
    let q: string | null = null;
    let depth = 0;
    let eq = -1;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (q) {
        if (c === "\\") i++;
        else if (c === q) q = null;
        continue;
      }
      if (c === "'" || c === '"') q = c;
      else if (c === "[" || c === "(") depth++;
      else if (c === "]" || c === ")") depth--;
      else if (c === "=" && depth === 0) {
        eq = i;
        break;
      }
    }
    if (eq < 0) throw new IonFatal(`syntax error: expected an assignment operator in 'let ${text}'`);
    let keyPart = text.slice(0, eq);
    let op = "=";
    const m = /(\/\/|\*\*|\+\+|::|\\\\|[+\-*/?])$/.exec(keyPart);
    if (m) {
      op = m[1] + "=";
      keyPart = keyPart.slice(0, -m[1]!.length);
    }
    const keys = keyPart.trim().split(/\s+/).filter((k) => k !== "");
    const values = splitArgs(text.slice(eq + 1));
    if (!keys.length) throw new IonFatal(`syntax error: no key supplied for assignment`);
    if (!values.length) throw new IonFatal(`syntax error: no values supplied for assignment`);
    return { keys, op, values };
  }

  private evalValue(raw: string): string | string[] {
    const parts = parseWord(raw);
    if (parts.length === 1 && parts[0]!.k === "array") return this.ex.words(raw);
    return this.ex.words(raw).join(" ");
  }

  doLet(text: string): number {
    const { keys, op, values } = this.parseAssignment(text);
    try {
      if (values.length > keys.length) throw new AssignError("extra values were supplied, and thus ignored. Previous assignment aborted");
      if (values.length < keys.length) throw new AssignError("not enough values were supplied");
      const parsed = keys.map((k) => {
        const m = /^([^:[\]]+)(?:\[(.*)\])?(?::(.+))?$/.exec(k);
        if (!m) throw new AssignError(`invalid variable name '${k}'`);
        const name = m[1]!;
        if (PROTECTED.has(name)) throw new AssignError(`not allowed to set \`${name}\``);
        if (!NAME_RE.test(name)) throw new AssignError(`invalid variable name '${name}'`);
        return { name, index: m[2] ?? null, type: m[3] ?? null };
      });
      // right sides first (parallel assignment, §3.1)
      let vals: (string | string[])[];
      try {
        vals = values.map((v) => this.evalValue(v));
      } catch (e) {
        if (e instanceof IonFatal) throw new AssignError(e.message);
        throw e;
      }
      const updates: [string, Value][] = [];
      parsed.forEach((k, i) => {
        const upd = this.applyOp(k, op, vals[i]!);
        if (upd) updates.push(upd);
      });
      for (const [n, v] of updates) this.scopes.assign(n, v);
      return 0;
    } catch (e) {
      if (!(e instanceof AssignError)) throw e;
      this.io.stderr.write(`ion: assignment error: ${e.message}\n`);
      return 1;
    }
  }

  private applyOp(k: { name: string; index: string | null; type: string | null }, op: string, val: string | string[]): [string, Value] | null {
    const cur = this.scopes.get(k.name);
    const typed = (v: string | string[]) => {
      try {
        return this.checkType(k.type, v, "type error");
      } catch (e) {
        if (e instanceof IonFatal) throw new AssignError(e.message);
        throw e;
      }
    };
    const asValue = (v: string | string[]): Value => (Array.isArray(v) ? { t: "arr", v } : typed(v));
    if (k.index !== null) {
      if (cur?.t !== "arr") throw new AssignError(`'${k.name}' is not an array`);
      const idx = this.ex.text(k.index);
      if (!/^[0-9]+$/.test(idx)) throw new AssignError("index variable is not a numeric value");
      const i = Number(idx);
      const arr = [...cur.v];
      if (i < arr.length) arr[i] = Array.isArray(val) ? val.join(" ") : val;
      return [k.name, { t: "arr", v: arr }];
    }
    switch (op) {
      case "=":
        return [k.name, k.type ? typed(val) : asValue(val)];
      case "?=":
        return cur === undefined && this.env.get(k.name) === undefined ? [k.name, asValue(val)] : null;
      case "++=":
      case "::=": {
        const add = Array.isArray(val) ? val : [val];
        if (cur?.t === "arr") return [k.name, { t: "arr", v: op === "++=" ? [...cur.v, ...add] : [...add, ...cur.v] }];
        if (cur?.t === "str") {
          const s = Array.isArray(val) ? val.join(" ") : val;
          return [k.name, { t: "str", v: op === "++=" ? cur.v + s : s + cur.v }];
        }
        return [k.name, asValue(val)];
      }
      case "\\\\=": {
        if (cur?.t !== "arr") throw new AssignError(`'${k.name}' is not an array`);
        const rm = new Set(Array.isArray(val) ? val : [val]);
        return [k.name, { t: "arr", v: cur.v.filter((x) => !rm.has(x)) }];
      }
      default: {
        const sop = op.slice(0, -1);
        const lhs = cur?.t === "str" ? cur.v : cur === undefined ? this.env.get(k.name) : undefined;
        if (lhs === undefined) throw new AssignError(`Variable "${k.name}" does not exist`);
        const r = Array.isArray(val) ? null : letArith(sop, lhs, val);
        if (r === null) throw new AssignError(`type error: '${lhs}' does not support operator '${op}' with '${String(val)}'`);
        return [k.name, { t: "str", v: r }];
      }
    }
  }

  doExport(text: string): number {
    if (!text.includes("=")) {
      for (const n of text.trim().split(/\s+/)) {
        const v = this.getString(n);
        if (v !== undefined) this.env.set(n, v);
      }
      return 0;
    }
    const { keys, values } = this.parseAssignment(text);
    try {
      if (values.length !== keys.length) throw new AssignError("extra values were supplied");
      // §3.3: the operator is ignored; the value is set as is
      const vals = values.map((v) => {
        try {
          return this.ex.words(v).join(" ");
        } catch (e) {
          if (e instanceof IonFatal) throw new AssignError(e.message);
          throw e;
        }
      });
      keys.forEach((k, i) => {
        const n = k.replace(/:.*$/, "");
        if (!NAME_RE.test(n)) throw new AssignError(`invalid variable name '${n}'`);
        this.env.set(n, vals[i]!);
      });
      return 0;
    } catch (e) {
      if (!(e instanceof AssignError)) throw e;
      this.io.stderr.write(`ion: assignment error: ${e.message}\n`);
      return 1;
    }
  }

  // ----- top level -----
  run(src: string): number {
    const parser = new Parser(src);
    try {
      for (;;) {
        const s = parser.next((l) => (this.line = l));
        if (!s) break;
        if (s.k === "break" || s.k === "continue")
          throw new IonFatal(`block error: found ${s.k === "break" ? "Break" : "Continue"} without loop body`);
        try {
          this.execStmt(s);
        } catch (e) {
          if (e instanceof ReturnSignal) {
            // §1: a top-level return ends the statement, not the script
            if (e.status !== null) this.status = e.status;
          } else if (!(e instanceof BreakSignal || e instanceof ContinueSignal)) throw e;
        }
      }
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

export { notExist };
