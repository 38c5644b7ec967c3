/**
 * Statement tree built by parser.ts, mirroring ion's `Statement` (src/lib/shell/flow_control.rs).
 * Words are kept raw (with their quotes) and expanded at run time.
 */

/** A type annotation (parser/lexers/assignments/primitive.rs). */
export type Primitive =
  | { t: "str" | "bool" | "int" | "float" }
  | { t: "array" | "hmap" | "bmap"; of: Primitive }
  | { t: "indexed"; index: string; of: Primitive };

/** Primitive's Display in ion (used in error messages). */
export function primitiveText(p: Primitive): string {
  switch (p.t) {
    case "array":
      return `[${primitiveText(p.of)}]`;
    case "hmap":
    case "bmap":
      return p.of.t === "str" ? `${p.t}[]` : `${p.t}[${primitiveText(p.of)}]`;
    case "indexed":
      return primitiveText(p.of);
    default:
      return p.t;
  }
}

export interface Key {
  name: string;
  kind: Primitive;
}

/** Where a pipeline item's output goes to the next item (`|`, `^|`, `&|`), or "none" for the last. */
export type RedirectFrom = "stdout" | "stderr" | "both" | "none";

export interface Redirection {
  from: "stdout" | "stderr" | "both";
  file: string;
  append: boolean;
}

export type Input = { k: "file"; file: string } | { k: "herestring"; text: string };

export interface PipeItem {
  args: string[];
  redirection: RedirectFrom;
  outputs: Redirection[];
  inputs: Input[];
}

export interface Pipeline {
  items: PipeItem[];
  pipe: "normal" | "background" | "disown";
}

export interface Case {
  /** null: matches anything (`case _`) */
  value: string | null;
  binding: string | null;
  conditional: string | null;
  body: Stmt[];
}

export interface ElseIf {
  expr: Stmt[];
  success: Stmt[];
}

export interface FnDef {
  name: string;
  description: string | null;
  params: Key[];
  body: Stmt[];
  line: number;
}

export type Assignment = { keys: string; op: string; values: string };

export type Stmt = { line: number } & (
  | { k: "let"; action: Assignment | null }
  | { k: "export"; action: Assignment | { keys: string; op: null; values: null } | null }
  | { k: "if"; expr: Stmt[]; success: Stmt[]; elseIf: ElseIf[]; failure: Stmt[]; mode: "success" | "elseif" | "else" }
  | { k: "elseif"; expr: Stmt[] }
  | { k: "else" }
  | { k: "end" }
  | { k: "fn"; def: FnDef }
  | { k: "for"; vars: string[]; values: string[]; body: Stmt[] }
  | { k: "while"; expr: Stmt[]; body: Stmt[] }
  | { k: "match"; subject: string; cases: Case[] }
  | { k: "case"; c: Case }
  | { k: "break" }
  | { k: "continue" }
  | { k: "return"; arg: string | null }
  | { k: "pipeline"; pipeline: Pipeline }
  | { k: "and" | "or" | "not" | "time"; inner: Stmt }
  | { k: "assignact"; key: string; value: string; inner: Stmt }
  | { k: "default" }
);

export type StmtOf<K extends Stmt["k"]> = Extract<Stmt, { k: K }>;

/** Statement::is_block */
export function isBlock(s: Stmt): boolean {
  return ["case", "if", "elseif", "fn", "for", "while", "match", "else"].includes(s.k);
}
