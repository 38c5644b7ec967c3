/**
 * Loops and jumps.
 *
 * Every TS loop becomes one Ion `while` loop whose condition is checked at
 * the top of each iteration, so `continue` (which restarts the Ion loop)
 * always does what it does in JavaScript: run the `for` update, re-check the
 * `do…while` condition. Loop variables live in hoisted locals, so Ion's fresh
 * scope per iteration (§4.1) never loses them.
 *
 * Ion's `break`/`continue` reach only the innermost loop (`break 2` is fatal,
 * §9.1). A jump to an outer loop (a label, or `continue` out of a `switch`)
 * stores its target in the jump variable, breaks out, and every Ion loop it
 * crosses is followed by a check that breaks or continues further.
 */
import { Node, type Statement } from "ts-morph";
import { line, type IonStmt } from "../ion/ast.ts";
import type { FnContext, LoopFrame } from "./context.ts";
import { lowerCond, lowerExpr, lowerArray, assignTo } from "./expressions.ts";
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

/** `while (true)`-shaped loop whose first statements check the condition. */
function whileTrue(fx: FnContext, frame: Frame, head: () => void, body: () => void): IonStmt[] {
  return withFrame(fx, frame, () => {
    const stmts = fx.block(() => {
      head();
      body();
    });
    return { kind: "while", cond: "true", body: stmts };
  });
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
  if (c === "true" || c === "test true = true") return;
  fx.emit({ kind: "if", branches: [{ cond: c.startsWith("not ") ? c.slice(4) : `not ${c}`, body: [line("break")] }] });
}

export function lowerLoop(fx: FnContext, s: Statement, label?: string): void {
  const frame = newFrame(fx, "loop", label);
  if (Node.isWhileStatement(s)) {
    fx.emit(...whileTrue(fx, frame, () => breakUnless(fx, s.getExpression()), () => lowerStatement(fx, s.getStatement())));
    return;
  }
  if (Node.isDoStatement(s)) {
    const first = firstFlag(fx);
    fx.emit(
      ...whileTrue(
        fx,
        frame,
        () => exceptOnFirst(fx, first, () => breakUnless(fx, s.getExpression())),
        () => lowerStatement(fx, s.getStatement()),
      ),
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
    const first = update ? firstFlag(fx) : "";
    fx.emit(
      ...whileTrue(
        fx,
        frame,
        () => {
          if (update) exceptOnFirst(fx, first, () => lowerEffect(fx, update));
          if (cond) breakUnless(fx, cond);
        },
        () => lowerStatement(fx, s.getStatement()),
      ),
    );
    return;
  }
  if (Node.isForOfStatement(s)) {
    const arr = lowerArray(fx, s.getExpression());
    const i = fx.declare("l_", "i");
    fx.emitLine(`let ${i} = 0`);
    const init = s.getInitializer();
    fx.emit(
      ...whileTrue(
        fx,
        frame,
        () => {
          fx.emit({ kind: "if", branches: [{ cond: `test "\${${i}}" -ge $len(@${arr.name})`, body: [line("break")] }] });
          const item = { t: "scalar" as const, kind: elementKindOf(arr.kind), word: `"@${arr.name}[\${${i}}]"` };
          if (Node.isVariableDeclarationList(init)) {
            const d = init.getDeclarations()[0];
            const name = fx.declare("l_", d.getName());
            const sym = d.getNameNode().getSymbol();
            if (sym) fx.locals.set(sym, { name, kind: item.kind });
            fx.emitLine(`let ${name} = ${item.word}`);
          } else assignTo(fx, init as import("ts-morph").Expression, item);
          fx.emitLine(`let ${i} += 1`);
        },
        () => lowerStatement(fx, s.getStatement()),
      ),
    );
    return;
  }
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
