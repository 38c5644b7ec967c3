/**
 * The target tree: Ion statements, printed by printer.ts. Words and
 * conditions are already-rendered Ion text (built with quote.ts and names.ts);
 * the tree only carries block structure, so the printer owns indentation,
 * `else` placement and source markers.
 */
export type IonStmt =
  /** One Ion statement, e.g. `let l_x = 'a'`. */
  | { kind: "line"; text: string }
  /** `# file.ts:LINE` marker pointing back to the TypeScript source. */
  | { kind: "marker"; file: string; line: number }
  | { kind: "comment"; text: string }
  | { kind: "if"; branches: { cond: string; body: IonStmt[] }[]; otherwise?: IonStmt[] }
  /** `while COND` (COND is a plain pipeline: no `not` in front) */
  | { kind: "while"; cond: string; body: IonStmt[] }
  | { kind: "for"; variable: string; words: string; body: IonStmt[] }
  | { kind: "fn"; name: string; params: string[]; body: IonStmt[]; doc?: string };

export const line = (text: string): IonStmt => ({ kind: "line", text });
