/**
 * State shared while lowering: the program (functions, module variables,
 * prelude helpers used, diagnostics) and one function being lowered
 * (hoisted locals, the statement list being filled, the loop stack).
 */
import { Node, type Project, type SourceFile, type Symbol as TsSymbol, type TypeChecker } from "ts-morph";
import * as path from "node:path";
import type { Diagnostic } from "../diagnostics.ts";
import { Codes, refineDiagnostic, type CodeName } from "../diagnostic-codes.ts";
import { line, type IonStmt } from "../ion/ast.ts";
import { envWord, NameAllocator, ref, RETURN_VAR, word } from "../ion/names.ts";
import { quote } from "../ion/quote.ts";
import type { ScalarKind, ValueKind } from "./types.ts";
import { kindOf } from "./types.ts";
import { PRELUDE } from "../prelude.ts";
import { readIon } from "../ion/reader.ts";
import { bare } from "../ion/constructs.ts";

/** A lowered scalar: an Ion word that expands to it, and how to use it in `$(( ))`. */
export interface ScalarVal {
  t: "scalar";
  kind: ScalarKind;
  /** One Ion word, e.g. `'abc'` or `"${l_x}"`. */
  word: string;
  /** A variable holding the value, when there is one (needed for `$(( ))`). */
  varName?: string;
  /** Known constant value (literals), used for folding and static checks. */
  lit?: string;
  /** A word reading a function's return value (TSION_R): valid until the next call (see `returned`). */
  volatile?: boolean;
  /** For a volatile value: its word, for copying it at the point where it was made (`stable`). */
  volatileText?: string;
  /** A number whose text is never `-0` (Ion's own arithmetic has no negative zero): no normalizing needed. */
  plainInt?: boolean;
}

/** A lowered array: the Ion array variable that holds it inside the current function. */
export interface ArrayVal {
  t: "array";
  kind: "string[]" | "number[]" | "boolean[]";
  name: string;
  /** True when the value is a fresh array nobody else refers to. */
  fresh: boolean;
}

export type Val = ScalarVal | ArrayVal;

export const litVal = (kind: ScalarKind, value: string): ScalarVal => ({
  t: "scalar",
  kind,
  // Integers and booleans are plain words; everything else goes through the quoting rule.
  word: kind !== "string" && /^(-?[0-9]+|true|false)$/.test(value) ? value : quote(value),
  lit: value,
});
export const varVal = (kind: ScalarKind, name: string): ScalarVal => ({ t: "scalar", kind, word: word(name), varName: name });

/**
 * The return value of the call just emitted, read straight from TSION_R
 * instead of copied into a temporary. It is only valid until the next call:
 * reading its word after another call has been emitted is a compiler bug and
 * throws (TSION9999). Consumers that lower more code before using a value
 * put it in a temporary first (`stable`, `lowerOperands`).
 */
export function returned(fx: FnContext, kind: ScalarKind): ScalarVal {
  return volatileWord(fx, kind, envWord(RETURN_VAR));
}

/** A word that reads the return value of the call just emitted (`"${env::TSION_R}"` among other pieces): valid until the next call, as `returned`. */
export function volatileWord(fx: FnContext, kind: ScalarKind, text: string): ScalarVal {
  const at = fx.calls;
  const v = { t: "scalar", kind, volatile: true, volatileText: text } as ScalarVal;
  Object.defineProperty(v, "word", {
    enumerable: true,
    get: () => {
      if (fx.calls !== at) throw new Error("a return value (TSION_R) was read after another call");
      return text;
    },
  });
  return v;
}

/** `v` itself, or, for a word reading a return value, a temporary holding it (emitted now, before anything else). */
export function stable(fx: FnContext, v: ScalarVal): ScalarVal {
  if (!v.volatile) return v;
  const t = fx.temp();
  fx.emitLine(`let ${t} = ${v.volatileText}`);
  return varVal(v.kind, t);
}

/** The same value seen as another kind (keeps a return value's validity check). */
export function retype(v: ScalarVal, kind: ScalarKind): ScalarVal {
  const out = Object.defineProperties({}, Object.getOwnPropertyDescriptors(v)) as ScalarVal;
  out.kind = kind;
  return out;
}

/** Every piece of Ion text in a statement (lines and conditions, nested blocks included). */
function stmtTexts(s: IonStmt): string[] {
  switch (s.kind) {
    case "line":
      return [s.text];
    case "if":
      return [...s.branches.flatMap((b) => [b.cond, ...b.body.flatMap(stmtTexts)]), ...(s.otherwise ?? []).flatMap(stmtTexts)];
    case "while":
      return [s.cond, ...s.body.flatMap(stmtTexts)];
    case "for":
      return [s.variable, s.words, ...s.body.flatMap(stmtTexts)];
    default:
      return [];
  }
}

function renameIn(s: IonStmt, re: RegExp, to: string): IonStmt {
  const r = (t: string) => t.replace(re, to);
  switch (s.kind) {
    case "line":
      return { ...s, text: r(s.text) };
    case "if":
      return { ...s, branches: s.branches.map((b) => ({ cond: r(b.cond), body: b.body.map((x) => renameIn(x, re, to)) })), otherwise: s.otherwise?.map((x) => renameIn(x, re, to)) };
    case "while":
      return { ...s, cond: r(s.cond), body: s.body.map((x) => renameIn(x, re, to)) };
    case "for":
      return { ...s, variable: r(s.variable), words: r(s.words), body: s.body.map((x) => renameIn(x, re, to)) };
    default:
      return s;
  }
}

/** Does this command text (a line or a condition: a chain) run a function that returns? f_rt_die ends the script, so it leaves TSION_R alone. */
function textRunsCall(text: string): boolean {
  if (!text.includes("f_")) return false;
  return readIon(text).some((st) =>
    st.commands.some((c) => {
      let w = c.words;
      while (bare(w[0], /^(not|if|while)$/)) w = w.slice(1);
      return bare(w[0], /^f_/) && !bare(w[0], "f_rt_die");
    }),
  );
}

/** Does the statement run a function that returns (in a command or a condition)? */
function runsCall(s: IonStmt): boolean {
  switch (s.kind) {
    case "line":
      return textRunsCall(s.text);
    case "if":
      return s.branches.some((b) => textRunsCall(b.cond) || b.body.some(runsCall)) || (s.otherwise ?? []).some(runsCall);
    case "while":
      return textRunsCall(s.cond) || s.body.some(runsCall);
    case "for":
      return s.body.some(runsCall);
    default:
      return false;
  }
}

export interface FunctionInfo {
  ionName: string;
  decl: Node;
  params: { name: string; kind: ValueKind }[];
  returns: ValueKind;
  /** Reached from the program's top-level code. */
  used: boolean;
  /** Its one statement when it is lowered at its call sites instead (lower/calls.ts, `inlineStatement`); null when it is not. */
  inline?: import("ts-morph").Statement | null;
}

/** Where a module-level variable lives in Ion. */
export type ModuleVar =
  | { storage: "const"; name: string; kind: ValueKind; value: string }
  | { storage: "env"; name: string; kind: ValueKind };

export class ProgramContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly functions = new Map<Node, FunctionInfo>();
  readonly moduleVars = new Map<TsSymbol, ModuleVar>();
  readonly preludeUsed = new Set<string>();
  /** Arrays changed in place somewhere (push, sort, element assignment). */
  readonly mutated = new Set<TsSymbol>();
  /** Variables assigned after their declaration. */
  readonly assigned = new Set<TsSymbol>();
  /** Top-level names; the prelude's helpers and constants are reserved so program names never collide. */
  readonly globals = new NameAllocator(reservedGlobals());
  readonly constants: IonStmt[] = [];
  readonly checker: TypeChecker;
  /** Guest modules bundled into this program, in evaluation order. */
  modules: SourceFile[] = [];
  /** Absolute path of runtime-shims/runtime/index.ts (calls into it are runtime primitives). */
  runtimeFile = "";

  constructor(
    readonly project: Project,
    readonly entry: SourceFile,
    readonly cwd: string,
  ) {
    this.checker = project.getTypeChecker();
  }

  /** Path shown in markers, headers and diagnostics. */
  rel(file: string): string {
    const r = path.relative(this.cwd, file);
    // Outside the working directory: the absolute path is clearer than ../../..
    return (r.startsWith("..") ? file : r).split(path.sep).join("/");
  }

  report(node: Node, name: CodeName, message: string): void {
    const sf = node.getSourceFile();
    const start = node.getStart();
    const { line, column } = sf.getLineAndColumnAtPos(start);
    const c = Codes[name];
    // The specific hint of the construct at the node, when it has one.
    const refined = refineDiagnostic({ code: c.code, message, hint: c.hint }, node.compilerNode);
    this.diagnostics.push({
      file: sf.getFilePath(),
      line,
      col: column,
      length: Math.max(1, Math.min(node.getEnd(), sf.getFullText().indexOf("\n", start) === -1 ? node.getEnd() : sf.getFullText().indexOf("\n", start)) - start),
      code: c.code,
      message: refined.message,
      hint: refined.hint,
      category: "error",
    });
  }

  useHelper(name: string): string {
    this.preludeUsed.add(name);
    return name;
  }

  kindAt(node: Node): ValueKind | undefined {
    return kindOf(node.getType());
  }
}

function reservedGlobals(): string[] {
  const names = ["f_main"];
  for (const [name, h] of Object.entries(PRELUDE)) {
    if (!name.startsWith("K_")) names.push(name);
    for (const m of h.text.matchAll(/^let (K_\w+)/gm)) names.push(m[1]);
  }
  return names;
}

/** One loop being lowered (for break/continue and labelled jumps). */
export interface LoopFrame {
  label?: string;
  /** Ion loop that implements it (for `break` inside a `switch` wrapper etc.). */
  id: number;
  /** Value stored in the jump variable to break / continue this loop from an inner Ion loop. */
  kind: "loop" | "switch";
}

export class FnContext {
  readonly names: NameAllocator;
  /** Variables declared at the top of the Ion function (docs/ion-lowering.md, Scoping), in order. */
  readonly hoisted: { name: string; isArray: boolean }[] = [];
  /** TS locals: their Ion variable, kind, and value when it is a constant known at compile time. */
  readonly locals = new Map<TsSymbol, { name: string; kind: ValueKind; lit?: string }>();
  /** Parameters of a function being lowered at its call site, bound to the argument values (lower/calls.ts). */
  readonly bound = new Map<TsSymbol, ScalarVal>();
  out: IonStmt[] = [];
  readonly loops: LoopFrame[] = [];
  private loopIds = 0;
  /** Name of the jump variable once a labelled/switch jump needs it. */
  jumpVar?: string;
  lastMarkerLine = -1;

  constructor(
    readonly program: ProgramContext,
    readonly ionName: string,
    readonly info?: FunctionInfo,
  ) {
    this.names = new NameAllocator();
  }

  /** Calls emitted so far (a return value is valid until the next one, see `returned`). */
  calls = 0;

  emit(...stmts: IonStmt[]): void {
    for (const s of stmts) if (runsCall(s)) this.calls++;
    this.out.push(...stmts);
  }

  emitLine(text: string): void {
    this.emit(line(text));
  }

  /** Emit statements collected by `block` and not wrapped in anything: their calls are already counted. */
  emitCollected(stmts: IonStmt[]): void {
    this.out.push(...stmts);
  }

  /** Run `fn` collecting the statements it emits into a new list. */
  block(fn: () => void): IonStmt[] {
    const saved = this.out;
    const body: IonStmt[] = [];
    this.out = body;
    try {
      fn();
    } finally {
      this.out = saved;
    }
    return body;
  }

  /** Declare a function-level Ion variable (hoisted), returning its name. */
  declare(prefix: string, base: string, isArray = false): string {
    const name = this.names.fresh(prefix, base);
    this.hoisted.push({ name, isArray });
    return name;
  }

  private temps = 0;
  /** Temporaries free for reuse, and the ones taken by the statement being lowered. */
  private readonly freeTemps = { scalar: [] as string[], array: [] as string[] };
  private readonly takenTemps: { name: string; isArray: boolean }[] = [];
  private readonly pinnedTemps = new Set<string>();
  /** Nesting depth of statements being lowered. */
  statementDepth = 0;

  /**
   * A hoisted temporary `t_N`. Temporaries only carry values within the
   * statement that takes them, so they are recycled when it ends, nested
   * statements included (every use starts by assigning them): fewer
   * declarations.
   */
  temp(isArray = false): string {
    const pool = isArray ? this.freeTemps.array : this.freeTemps.scalar;
    const name = pool.shift() ?? this.declare("t_", String(++this.temps), isArray);
    this.takenTemps.push({ name, isArray });
    return name;
  }

  /** A temporary that now holds a variable's value: never recycled. */
  pin(name: string): void {
    this.pinnedTemps.add(name);
  }

  /** How many temporaries are taken now (`recycleTemps` frees the ones taken after). */
  tempMark(): number {
    return this.takenTemps.length;
  }

  /** Called when a statement ends: frees the temporaries it took. */
  recycleTemps(mark = 0): void {
    for (const t of this.takenTemps.splice(mark)) {
      if (this.pinnedTemps.has(t.name)) continue;
      (t.isArray ? this.freeTemps.array : this.freeTemps.scalar).push(t.name);
    }
  }

  /**
   * Statements from `mark` on computed a value into temporary `temp`; make
   * them compute it into variable `dest` instead (no copy). Only when `dest`
   * does not appear there (so nothing reads it before it is set), and `temp`
   * does. Temporaries have one purpose per statement, so `temp` is unused
   * afterwards. Returns false when it does not apply.
   */
  retarget(mark: number, temp: string, dest: string): boolean {
    const emitted = this.out.slice(mark);
    const mentions = (name: string) => new RegExp(`\\b${name}\\b`);
    const texts = emitted.flatMap(stmtTexts);
    if (!/^t_\d+$/.test(temp) || !texts.some((t) => mentions(temp).test(t)) || texts.some((t) => mentions(dest).test(t))) return false;
    const re = new RegExp(`\\b${temp}\\b`, "g");
    this.out.splice(mark, emitted.length, ...emitted.map((s) => renameIn(s, re, dest)));
    return true;
  }

  /**
   * Statements from `mark` on built a string in temporary `temp` (`let temp
   * = W`, then `let temp ++= W`…, nothing else touching it); append those
   * pieces to `dest` instead (`let dest ++= W`…). Only when `dest` does not
   * appear there. Returns false when it does not apply.
   */
  retargetAppend(mark: number, temp: string, dest: string): boolean {
    const emitted = this.out.slice(mark);
    const mentions = (text: string, name: string) => new RegExp(`\\b${name}\\b`).test(text);
    if (!/^t_\d+$/.test(temp) || emitted.some((s) => s.kind !== "line" && s.kind !== "marker")) return false;
    const lines = emitted.filter((s) => s.kind === "line") as { kind: "line"; text: string }[];
    if (lines.some((l) => mentions(l.text, dest))) return false;
    const uses = lines.filter((l) => mentions(l.text, temp));
    const piece = new RegExp(`^let ${temp} (=|\\+\\+=) (.*)$`, "s");
    if (uses.length === 0 || !piece.test(uses[0].text) || piece.exec(uses[0].text)![1] !== "=") return false;
    if (uses.some((l) => !piece.test(l.text) || mentions(piece.exec(l.text)![2], temp))) return false;
    if (uses.slice(1).some((l) => piece.exec(l.text)![1] !== "++=")) return false;
    this.out.splice(
      mark,
      emitted.length,
      ...emitted.map((s) => (s.kind === "line" && uses.includes(s) ? line(`let ${dest} ++= ${piece.exec(s.text)![2]}`) : s)),
    );
    return true;
  }

  /** A hoisted temporary array, emptied here (a loop may run this code again). */
  newArray(): string {
    const t = this.temp(true);
    this.emitLine(`let ${t} = []`);
    return t;
  }

  newLoopId(): number {
    return ++this.loopIds;
  }

  /** The jump variable (declared on first use). */
  jump(): string {
    this.jumpVar ??= this.declare("l_", "jump");
    return this.jumpVar;
  }

  /** Copy a scalar into a new temporary (a snapshot of its current value). */
  toVarAlways(v: ScalarVal): string {
    const t = this.temp();
    this.emitLine(`let ${t} = ${v.word}`);
    return t;
  }

  /** Store a scalar into a fresh temporary (needed for `$(( ))` operands and reuse). */
  toVar(v: ScalarVal): string {
    if (v.varName && /^[lptK]_/.test(v.varName)) return v.varName;
    const t = this.temp();
    this.emitLine(`let ${t} = ${v.word}`);
    return t;
  }
}

export { ref, word };
