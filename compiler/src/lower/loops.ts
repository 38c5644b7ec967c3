/**
 * Loops and jumps.
 *
 * Every TS loop becomes one Ion `while` loop whose condition is checked at
 * the top of each iteration, so `continue` (which restarts the Ion loop)
 * always does what it does in JavaScript: run the `for` update, re-check the
 * `do…while` condition. Loop variables live in hoisted locals, so Ion's fresh
 * scope per iteration never loses them.
 *
 * Ion's `break`/`continue` reach only the innermost loop (`break 2` is fatal).
 * A jump to an outer loop (a label, or `continue` out of a `switch`)
 * stores its target in the jump variable, breaks out, and every Ion loop it
 * crosses is followed by a check that breaks or continues further.
 */
import { Node, type Statement } from "ts-morph";
import { line, type IonStmt } from "../ion/ast.ts";
import type { FnContext, LoopFrame } from "./context.ts";
import { lowerExpr, lowerArray, assignTo } from "./expressions.ts";
import { atom, condText, isTrue, lowerCond, negate, whileText, type Cond } from "./conditions.ts";
import { lowerStatement, declareVariable, lowerEffect } from "./statements.ts";

interface Frame extends LoopFrame {
  /** A jump crossed this Ion loop: check the jump variable after it. */
  crossed: boolean;
}

/** Run `body` with `frame` on the loop stack; return the Ion loop plus any jump check after it. */
export function withFrame(fx: FnContext, frame: Frame, build: () => IonStmt): IonStmt[] {
  fx.loops.push(frame);
  let loop: IonStmt;
  try {
    loop = build();
  } finally {
    fx.loops.pop();
  }
  const out: IonStmt[] = [loop];
  if (frame.crossed) out.push(jumpCheck(fx));
  return out;
}

/** After an Ion loop that a jump may have left: finish the jump here or pass it outward. */
function jumpCheck(fx: FnContext): IonStmt {
  const j = fx.jump();
  const parent = fx.loops[fx.loops.length - 1] as Frame | undefined;
  const body: IonStmt[] = [];
  if (parent) {
    body.push({
      kind: "if",
      branches: [
        { cond: `test "\${${j}}" = ${parent.id}b`, body: [line(`let ${j} = ''`), line("break")] },
        { cond: `test "\${${j}}" = ${parent.id}c`, body: [line(`let ${j} = ''`), line("continue")] },
      ],
      otherwise: [line("break")],
    });
  }
  return { kind: "if", branches: [{ cond: `not test "x\${${j}}" = x`, body }] };
}

function newFrame(fx: FnContext, kind: "loop" | "switch", label?: string): Frame {
  return { id: fx.newLoopId(), kind, label, crossed: false };
}

export function lowerLabeled(fx: FnContext, s: import("ts-morph").LabeledStatement): void {
  const inner = s.getStatement();
  if (Node.isWhileStatement(inner) || Node.isDoStatement(inner) || Node.isForStatement(inner) || Node.isForOfStatement(inner)) {
    lowerLoop(fx, inner, s.getLabel().getText());
    return;
  }
  fx.program.report(s, "UnsupportedStatement", "Labels are supported on loops only.");
}

/** An Ion `while` loop around `body` (statements at its top first), condition `cond` (a pipeline). */
function ionWhile(fx: FnContext, frame: Frame, cond: string, body: () => void): IonStmt[] {
  return withFrame(fx, frame, () => ({ kind: "while", cond, body: fx.block(body) }));
}

/** A flag, set before the loop, that is 1 only during the first iteration. */
function firstFlag(fx: FnContext): string {
  const first = fx.declare("l_", "first");
  fx.emitLine(`let ${first} = 1`);
  return first;
}

/**
 * Statements at the top of every iteration but the first: a `for` update or
 * a `do…while` condition, so that `continue` (which restarts the Ion loop)
 * runs them as JavaScript does.
 */
function exceptOnFirst(fx: FnContext, first: string, build: () => void): void {
  const body = fx.block(build);
  fx.emit({ kind: "if", branches: [{ cond: `test "\${${first}}" = 0`, body }] });
  fx.emitLine(`let ${first} = 0`);
}

/** Emit `if not COND; break; end` for the loop condition. */
function breakUnless(fx: FnContext, cond: Node): void {
  const c = lowerCond(fx, cond as import("ts-morph").Expression);
  if (isTrue(c)) return;
  fx.emit({ kind: "if", branches: [{ cond: condText(negate(c)), body: [line("break")] }] });
}

/**
 * A loop condition, lowered once: the Ion `while` condition itself when it
 * needs no statement before it (checked at the top of every iteration, as
 * JavaScript does); otherwise `while true` whose body starts with the
 * statements and `if not COND; break; end`.
 */
function loopCondition(fx: FnContext, cond: Node | undefined): { head: string; check: () => void } {
  if (!cond) return { head: "true", check: () => {} };
  let c: Cond = atom("true");
  const pre = fx.block(() => {
    c = lowerCond(fx, cond as import("ts-morph").Expression);
  });
  if (pre.length === 0) return { head: whileText(c), check: () => {} };
  return {
    head: "true",
    check: () => {
      fx.emitCollected(pre);
      fx.emit({ kind: "if", branches: [{ cond: condText(negate(c)), body: [line("break")] }] });
    },
  };
}

/**
 * Does a `continue` restart this loop from inside `body`: an unlabelled one
 * not inside an inner loop (a `switch` does not count), or one naming `label`?
 * Then an update or condition placed at the end of the body would be skipped.
 */
function continuesHere(body: Node, label: string | undefined): boolean {
  let found = false;
  const visit = (n: Node, inInnerLoop: boolean) => {
    if (found) return;
    if (Node.isContinueStatement(n)) {
      const l = n.getLabel()?.getText();
      if (l ? l === label : !inInnerLoop) found = true;
      return;
    }
    const inner = inInnerLoop || Node.isIterationStatement(n);
    n.forEachChild((c) => visit(c, inner));
  };
  body.forEachChild((c) => visit(c, Node.isIterationStatement(body)));
  return found;
}

export function lowerLoop(fx: FnContext, s: Statement, label?: string): void {
  const frame = newFrame(fx, "loop", label);
  if (Node.isWhileStatement(s)) {
    const c = loopCondition(fx, s.getExpression());
    fx.emit(
      ...ionWhile(fx, frame, c.head, () => {
        c.check();
        lowerStatement(fx, s.getStatement());
      }),
    );
    return;
  }
  if (Node.isDoStatement(s)) {
    if (!continuesHere(s.getStatement(), label)) {
      // Body, then the condition: `continue` never restarts this loop.
      fx.emit(
        ...ionWhile(fx, frame, "true", () => {
          lowerStatement(fx, s.getStatement());
          breakUnless(fx, s.getExpression());
        }),
      );
      return;
    }
    const first = firstFlag(fx);
    fx.emit(
      ...ionWhile(fx, frame, "true", () => {
        exceptOnFirst(fx, first, () => breakUnless(fx, s.getExpression()));
        lowerStatement(fx, s.getStatement());
      }),
    );
    return;
  }
  if (Node.isForStatement(s)) {
    const init = s.getInitializer();
    if (init) {
      if (Node.isVariableDeclarationList(init)) {
        if (init.getDeclarationKind() === "var") fx.program.report(init, "UnsupportedStatement", "'var' is not supported; use let.");
        for (const d of init.getDeclarations()) declareVariable(fx, d);
      } else lowerExpr(fx, init);
    }
    const update = s.getIncrementor();
    const cond = s.getCondition();
    if (!update || !continuesHere(s.getStatement(), label)) {
      // The update at the end of the body: `continue` never restarts this loop.
      const c = loopCondition(fx, cond);
      fx.emit(
        ...ionWhile(fx, frame, c.head, () => {
          c.check();
          lowerStatement(fx, s.getStatement());
          if (update) lowerEffect(fx, update);
        }),
      );
      return;
    }
    const first = firstFlag(fx);
    fx.emit(
      ...ionWhile(fx, frame, "true", () => {
        exceptOnFirst(fx, first, () => lowerEffect(fx, update));
        if (cond) breakUnless(fx, cond);
        lowerStatement(fx, s.getStatement());
      }),
    );
    return;
  }
  if (Node.isForOfStatement(s)) {
    const arr = lowerArray(fx, s.getExpression());
    const i = fx.declare("l_", "i");
    const init = s.getInitializer();
    const element = () => {
      const item = { t: "scalar" as const, kind: elementKindOf(arr.kind), word: `"@${arr.name}[\${${i}}]"` };
      if (Node.isVariableDeclarationList(init)) {
        const d = init.getDeclarations()[0];
        const name = fx.declare("l_", d.getName());
        const sym = d.getNameNode().getSymbol();
        if (sym) fx.locals.set(sym, { name, kind: item.kind });
        fx.emitLine(`let ${name} = ${item.word}`);
      } else assignTo(fx, init as import("ts-morph").Expression, item);
    };
    if (fixedLength(fx, s.getExpression(), arr.fresh)) {
      // The array cannot change during the loop: an index range over its length.
      fx.emit(
        ...withFrame(fx, frame, () => ({
          kind: "for",
          variable: i,
          words: `0..$len(@${arr.name})`,
          body: fx.block(() => {
            element();
            lowerStatement(fx, s.getStatement());
          }),
        })),
      );
      return;
    }
    // JavaScript sees elements pushed during the loop: the length is read on every iteration.
    fx.emitLine(`let ${i} = 0`);
    fx.emit(
      ...ionWhile(fx, frame, `test "\${${i}}" -lt $len(@${arr.name})`, () => {
        element();
        fx.emitLine(`let ${i} += 1`);
        lowerStatement(fx, s.getStatement());
      }),
    );
    return;
  }
}

/**
 * Can the array a `for…of` iterates change length during the loop? Not a
 * fresh array (a literal, a call's result, split()), which only the loop
 * refers to, nor a local array that is never assigned or changed in place.
 */
function fixedLength(fx: FnContext, e: Node, fresh: boolean): boolean {
  while (Node.isParenthesizedExpression(e) || Node.isAsExpression(e)) e = e.getExpression();
  if (!Node.isIdentifier(e)) return fresh;
  let sym = e.getSymbol();
  if (sym?.isAlias()) sym = sym.getAliasedSymbol() ?? sym;
  return !!sym && fx.locals.has(sym) && !fx.program.mutated.has(sym) && !fx.program.assigned.has(sym);
}

function elementKindOf(k: string): "string" | "number" | "boolean" {
  return k.slice(0, -2) as "string" | "number" | "boolean";
}

export function lowerBreakContinue(fx: FnContext, s: import("ts-morph").BreakStatement | import("ts-morph").ContinueStatement): void {
  const isBreak = Node.isBreakStatement(s);
  const label = s.getLabel()?.getText();
  const frames = fx.loops as Frame[];
  let target = -1;
  for (let k = frames.length - 1; k >= 0; k--) {
    const f = frames[k];
    if (label ? f.label === label : isBreak || f.kind === "loop") {
      target = k;
      break;
    }
  }
  if (target < 0) {
    fx.program.report(s, "UnsupportedStatement", `This ${isBreak ? "break" : "continue"} has no enclosing loop tsion can target.`);
    return;
  }
  if (target === frames.length - 1) {
    fx.emit(line(isBreak ? "break" : "continue"));
    return;
  }
  const j = fx.jump();
  for (let k = target + 1; k < frames.length; k++) frames[k].crossed = true;
  fx.emitLine(`let ${j} = ${frames[target].id}${isBreak ? "b" : "c"}`);
  fx.emit(line("break"));
}
