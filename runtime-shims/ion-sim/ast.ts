/** Statement tree built by parser.ts. Words are kept raw (with their quotes) and expanded at run time. */

export type RedirOp = ">" | ">>" | "^>" | "^>>" | "&>" | "&>>" | "<" | "<<<";

export interface Redir {
  op: RedirOp;
  target: string;
}

export interface Stage {
  words: string[];
  redirs: Redir[];
}

export interface Pipeline {
  stages: Stage[];
}

export interface ChainItem {
  op: "&&" | "||" | null;
  pipeline: Pipeline;
}

export interface Chain {
  items: ChainItem[];
}

export interface Param {
  name: string;
  type: string | null;
}

export interface FnDef {
  name: string;
  params: Param[];
  body: Stmt[];
  line: number;
}

export type Stmt =
  | { k: "chain"; line: number; chain: Chain; guard: "and" | "or" | null }
  | { k: "if"; line: number; branches: { cond: Chain | null; body: Stmt[] }[] }
  | { k: "while"; line: number; cond: Chain; body: Stmt[] }
  | { k: "for"; line: number; vars: string[]; words: string[]; body: Stmt[] }
  | { k: "fn"; line: number; def: FnDef }
  | { k: "match"; line: number; subject: string[]; cases: { pat: string[] | null; body: Stmt[] }[] }
  | { k: "break"; line: number }
  | { k: "continue"; line: number }
  | { k: "return"; line: number; arg: string | null };
