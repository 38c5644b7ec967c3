/**
 * State shared while lowering: the program (functions, module variables,
 * prelude helpers used, diagnostics) and one function being lowered
 * (hoisted locals, the statement list being filled, the loop stack).
 */
import { Node, type Project, type SourceFile, type Symbol as TsSymbol, type TypeChecker } from "ts-morph";
import * as path from "node:path";
import type { Diagnostic } from "../diagnostics.ts";
import { Codes, type CodeName } from "../diagnostic-codes.ts";
import { line, type IonStmt } from "../ion/ast.ts";
import { NameAllocator, ref, word } from "../ion/names.ts";
import { quote } from "../ion/quote.ts";
import type { ScalarKind, ValueKind } from "./types.ts";
import { kindOf } from "./types.ts";
import { PRELUDE } from "../prelude.ts";

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

export interface FunctionInfo {
  ionName: string;
  decl: Node;
  params: { name: string; kind: ValueKind }[];
  returns: ValueKind;
  /** Reached from the program's top-level code. */
  used: boolean;
}

/** Where a module-level variable lives in Ion. */
export type ModuleVar =
  | { storage: "const"; name: string; kind: ValueKind }
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
    this.diagnostics.push({
      file: sf.getFilePath(),
      line,
      col: column,
      length: Math.max(1, Math.min(node.getEnd(), sf.getFullText().indexOf("\n", start) === -1 ? node.getEnd() : sf.getFullText().indexOf("\n", start)) - start),
      code: c.code,
      message,
      hint: c.hint,
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
  /** Declarations hoisted to the top of the Ion function (§4.3 rule 2). */
  readonly hoisted: IonStmt[] = [];
  readonly locals = new Map<TsSymbol, { name: string; kind: ValueKind }>();
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

  emit(...stmts: IonStmt[]): void {
    this.out.push(...stmts);
  }

  emitLine(text: string): void {
    this.out.push(line(text));
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
    this.hoisted.push(line(isArray ? `let ${name} = []` : `let ${name} = ''`));
    return name;
  }

  private temps = 0;
  /** Temporaries free for reuse, and the ones taken by the statement being lowered. */
  private readonly freeTemps = { scalar: [] as string[], array: [] as string[] };
  private readonly takenTemps: { name: string; isArray: boolean }[] = [];
  private readonly pinnedTemps = new Set<string>();
  /** Nesting depth of statements being lowered (temporaries are recycled at depth 0). */
  statementDepth = 0;

  /**
   * A hoisted temporary `t_N`. Temporaries only carry values within one
   * top-level statement, so they are recycled between statements (every use
   * starts by assigning them), which keeps the declarations short.
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

  /** Called after each top-level statement of the function. */
  recycleTemps(): void {
    for (const t of this.takenTemps.splice(0)) {
      if (this.pinnedTemps.has(t.name)) continue;
      (t.isArray ? this.freeTemps.array : this.freeTemps.scalar).push(t.name);
    }
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
