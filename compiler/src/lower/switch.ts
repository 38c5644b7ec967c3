/**
 * switch. Ion's `match` treats case values as regexes and lets an empty
 * subject match the first case, so switch compiles to `test` chains.
 *
 * Simple form (every clause ends in break/return/continue/exit and `break`
 * appears only there): an if / else if / else chain, empty clauses merged
 * into the next one with `||`.
 * General form (fall-through, breaks elsewhere): find the index of the
 * clause that matches (cases evaluated in order, as JavaScript does), then
 * run every clause from that index on inside a one-pass `while true` loop
 * that `break` leaves.
 */
import { Node, type CaseClause, type DefaultClause, type Statement, type SwitchStatement } from "ts-morph";
import { line, type IonStmt } from "../ion/ast.ts";
import type { FnContext, ScalarVal } from "./context.ts";
import { lowerScalar, xWord } from "./expressions.ts";
import { withFrame } from "./loops.ts";
import { lowerStatements } from "./statements.ts";

type Clause = CaseClause | DefaultClause;

function endsWithJump(stmts: Statement[]): boolean {
  const last = stmts[stmts.length - 1];
  if (!last) return false;
  if (Node.isBlock(last)) return endsWithJump(last.getStatements());
  if (Node.isBreakStatement(last) || Node.isReturnStatement(last) || Node.isContinueStatement(last)) return true;
  if (Node.isExpressionStatement(last)) {
    const t = last.getExpression().getType();
    return t.getFlags() !== undefined && t.getText() === "never";
  }
  return false;
}

/** Does a `break` that targets this switch occur anywhere but as a clause's last statement? */
function hasInnerBreak(sw: SwitchStatement): boolean {
  let found = false;
  const visit = (n: Node, depthInLoop: boolean, isClauseLast: boolean) => {
    if (found) return;
    if (Node.isBreakStatement(n) && !n.getLabel() && !depthInLoop && !isClauseLast) found = true;
    const entersLoop = Node.isIterationStatement(n) || (Node.isSwitchStatement(n) && n !== sw);
    if (Node.isFunctionDeclaration(n)) return;
    n.forEachChild((c) => visit(c, depthInLoop || entersLoop, false));
  };
  for (const clause of sw.getClauses()) {
    const stmts = clause.getStatements();
    stmts.forEach((st, i) => {
      const last = i === stmts.length - 1;
      if (Node.isBreakStatement(st) && !st.getLabel() && last) return;
      visit(st, false, false);
    });
  }
  return found;
}

function bodyWithoutFinalBreak(stmts: Statement[]): Statement[] {
  const last = stmts[stmts.length - 1];
  return last && Node.isBreakStatement(last) && !last.getLabel() ? stmts.slice(0, -1) : stmts;
}

export function lowerSwitch(fx: FnContext, sw: SwitchStatement): void {
  const subject = lowerScalar(fx, sw.getExpression());
  const d = fx.toVarAlways(subject);
  const clauses = sw.getCaseBlock().getClauses() as Clause[];
  const simple =
    !hasInnerBreak(sw) &&
    clauses.every((c, i) => i === clauses.length - 1 || c.getStatements().length === 0 || endsWithJump(c.getStatements())) &&
    clauses.every((c) => !Node.isCaseClause(c) || isStatic(c.getExpression())) &&
    !clauses.some((c, i) => Node.isDefaultClause(c) && c.getStatements().length === 0 && i < clauses.length - 1);
  if (simple) lowerSimple(fx, d, clauses);
  else lowerGeneral(fx, d, clauses, sw);
}

function isStatic(e: Node): boolean {
  return Node.isStringLiteral(e) || Node.isNumericLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e) || (Node.isPrefixUnaryExpression(e) && Node.isNumericLiteral(e.getOperand())) || Node.isIdentifier(e);
}

function caseTest(fx: FnContext, d: string, c: CaseClause): string {
  const v: ScalarVal = lowerScalar(fx, c.getExpression());
  // strict equality: numbers with -eq (-0 === 0), strings as text
  if (v.kind === "number") return `test "\${${d}}" -eq ${v.word}`;
  return `test "x\${${d}}" = ${xWord(fx, v)}`;
}

function lowerSimple(fx: FnContext, d: string, clauses: Clause[]): void {
  const branches: { cond: string; body: IonStmt[] }[] = [];
  let otherwise: IonStmt[] | undefined;
  let pending: string[] = [];
  let pendingDefault = false;
  for (const c of clauses) {
    if (Node.isDefaultClause(c)) pendingDefault = true;
    else pending.push(caseTest(fx, d, c));
    if (c.getStatements().length === 0) continue;
    const body = fx.block(() => lowerStatements(fx, bodyWithoutFinalBreak(c.getStatements())));
    if (pendingDefault) otherwise = body;
    else branches.push({ cond: pending.join(" || "), body });
    pending = [];
    pendingDefault = false;
  }
  if (branches.length === 0) {
    if (otherwise) fx.emit(...otherwise);
    return;
  }
  fx.emit({ kind: "if", branches, otherwise });
}

function lowerGeneral(fx: FnContext, d: string, clauses: Clause[], sw: SwitchStatement): void {
  const m = fx.declare("l_", "case");
  fx.emitLine(`let ${m} = -1`);
  clauses.forEach((c, i) => {
    if (!Node.isCaseClause(c)) return;
    const test = fx.block(() => {
      const cond = caseTest(fx, d, c);
      fx.emit({ kind: "if", branches: [{ cond, body: [line(`let ${m} = ${i}`)] }] });
    });
    fx.emit({ kind: "if", branches: [{ cond: `test "\${${m}}" = -1`, body: test }] });
  });
  const def = clauses.findIndex((c) => Node.isDefaultClause(c));
  if (def >= 0) fx.emit({ kind: "if", branches: [{ cond: `test "\${${m}}" = -1`, body: [line(`let ${m} = ${def}`)] }] });
  const frame = { id: fx.newLoopId(), kind: "switch" as const, crossed: false };
  fx.emit(
    ...withFrame(fx, frame, () => {
      const body = fx.block(() => {
        clauses.forEach((c, i) => {
          const stmts = c.getStatements();
          if (stmts.length === 0) return;
          const inner = fx.block(() => lowerStatements(fx, stmts));
          fx.emit({ kind: "if", branches: [{ cond: `test "\${${m}}" -ge 0 && test "\${${m}}" -le ${i}`, body: inner }] });
        });
        fx.emit(line("break"));
      });
      return { kind: "while", cond: "true", body };
    }),
  );
  void sw;
}
