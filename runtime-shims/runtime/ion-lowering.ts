/**
 * `tsion/runtime`: the Ion lowering of each primitive (the declarations and
 * Node implementations are in index.ts, same names). Each lowering performs
 * the same observable operations as its Node implementation: same external
 * commands with the same arguments, same single write per file write.
 */
import { Node, type CallExpression, type Expression } from "ts-morph";
import { line } from "../../compiler/src/ion/ast.ts";
import { envWord, ION_BUILTINS, RETURN_VAR } from "../../compiler/src/ion/names.ts";
import { lowerOperands } from "../../compiler/src/lower/calls.ts";
import { decodeArray } from "../../compiler/src/lower/arrays.ts";
import { type FnContext, type ScalarVal, type Val, varVal } from "../../compiler/src/lower/context.ts";
import { guard, helperCall, location, locationWord, lowerArray, spliceable } from "../../compiler/src/lower/expressions.ts";
import { quote } from "../../compiler/src/ion/quote.ts";
import { atom, type Cond } from "../../compiler/src/lower/conditions.ts";
import { parenFreeWord } from "../../compiler/src/ion/check.ts";

export const RUNTIME_MODULE = "tsion/runtime";

/** Ion builtins that `run`/`capture` must not be given: Ion would not run the external program. */
export { ION_BUILTINS };

const NONE: Val = { t: "scalar", kind: "number", word: "0", lit: "0" };

type Lowering = (fx: FnContext, call: CallExpression, args: Expression[]) => Val;
/** A primitive with a boolean result: the command whose status is that result (ion/../lower/calls.ts). */
type CondLowering = (fx: FnContext, call: CallExpression, args: Expression[]) => Cond;

/**
 * `test FLAG PATH`: directly for a literal path that is neither empty (never
 * a file) nor an option lookalike; else f_rt_fstest handles both.
 */
function fsTest(flag: string): CondLowering {
  return (fx, _call, args) => {
    const [p] = lowerOperands(fx, args) as ScalarVal[];
    if (p.lit !== undefined && p.lit !== "" && !p.lit.startsWith("-")) return atom(`test ${flag} ${p.word}`);
    fx.program.useHelper("f_rt_fstest");
    return atom(`f_rt_fstest ${flag} ${p.word}`);
  };
}

/** The command and argument words of run()/capture(), with a spread string[] last. */
function commandWords(fx: FnContext, call: CallExpression, args: Expression[]): { words: string[]; spread?: string } | undefined {
  const last = args[args.length - 1];
  const spreadExpr = last && Node.isSpreadElement(last) ? last.getExpression() : undefined;
  const plain = spreadExpr ? args.slice(0, -1) : args;
  if (plain.some((a) => Node.isSpreadElement(a))) {
    fx.program.report(call, "SpreadArgument", "Only the last argument may be a spread string[].");
    return undefined;
  }
  const cmd = plain[0];
  if (cmd && (Node.isStringLiteral(cmd) || Node.isNoSubstitutionTemplateLiteral(cmd)) && ION_BUILTINS.has(cmd.getLiteralValue())) {
    fx.program.report(cmd, "BuiltinCommand", `'${cmd.getLiteralValue()}' is an Ion builtin.`);
  }
  const vals = lowerOperands(fx, plain) as ScalarVal[];
  const words = vals.map((v) => v.word);
  if (!spreadExpr) return { words };
  const arr = lowerArray(fx, spreadExpr);
  return { words, spread: arr.name };
}

/** Emit `words...` (and `@spread` unless it is empty: an empty `@a` would pass one empty argument). */
function emitCommand(fx: FnContext, words: string[], spread: string | undefined, wrap: (cmd: string) => string): void {
  const base = words.join(" ");
  if (!spread) {
    fx.emitLine(wrap(base));
    return;
  }
  fx.emit({
    kind: "if",
    branches: [{ cond: `test $len(@${spread}) -eq 0`, body: [line(wrap(base))] }],
    otherwise: [line(wrap(`${base} @${spread}`))],
  });
}

export const LOWERINGS: Record<string, Lowering> = {
  exit(fx, _call, args) {
    const [c] = lowerOperands(fx, args) as ScalarVal[];
    fx.emitLine(`exit ${c.word}`);
    return NONE;
  },
  readFile(fx, call, args) {
    const [p] = lowerOperands(fx, args) as ScalarVal[];
    return helperCall(fx, "f_rt_read_file", [p.word, locationWord(fx, call)], "string");
  },
  listDir(fx, call, args) {
    const [p] = lowerOperands(fx, args) as ScalarVal[];
    fx.program.useHelper("f_rt_list_dir");
    fx.emitLine(`f_rt_list_dir ${p.word} ${locationWord(fx, call)}`);
    const arr = fx.temp(true);
    decodeArray(fx, envWord(RETURN_VAR), arr);
    return { t: "array", kind: "string[]", name: arr, fresh: true };
  },
  run(fx, call, args) {
    const cw = commandWords(fx, call, args);
    if (!cw) return NONE;
    requireCommand(fx, call, cw.words[0]);
    const t = fx.temp();
    emitCommand(fx, cw.words, cw.spread, (c) => c);
    fx.emitLine(`let ${t} = $?`);
    return varVal("number", t);
  },
  capture(fx, call, args) {
    const cw = commandWords(fx, call, args);
    if (!cw) return NONE;
    fx.program.useHelper("K_text");
    // Inside `$( )` the first `)` ends it, quoted or not: a `$(( ))` or
    // method word is computed into a variable first (ion/check.ts, parenFreeWord).
    cw.words = cw.words.map((w) => (parenFreeWord(w) ? w : `"\${${fx.toVarAlways({ t: "scalar", kind: "string", word: w })}}"`));
    requireCommand(fx, call, cw.words[0]);
    const t = fx.temp();
    fx.emitLine(`let ${t} = ''`);
    // K_MARK keeps trailing newlines; a command that cannot start leaves t empty (a failing
    // `$( )` on the right of `let` is an assignment error: nothing is assigned).
    emitCommand(fx, cw.words, cw.spread, (c) => `let ${t} = $(${c}; echo -n "\${K_MARK}")`);
    guard(fx, atom(`ends-with "\${${t}}\${K_DOT}" "\${K_MARK}\${K_DOT}"`), `${location(fx, call)}: command not found: ${cmdName(args)}`);
    fx.emitLine(`let ${t} = $${t}[..-1]`);
    return helperCall(fx, "f_rt_chomp", [`"\${${t}}"`], "string");
  },
  sleep(fx, call, args) {
    const a = args[0];
    let w: string;
    if (a && Node.isNumericLiteral(a)) w = quote(String(a.getLiteralValue()));
    else w = (lowerOperands(fx, args) as ScalarVal[])[0].word;
    // f_rt_sleep: `sleep` when the system has it, else a bounded delay of
    // scheme opens (runtime-shims/runtime/sleep-fallback.ts).
    fx.program.useHelper("f_rt_sleep");
    fx.emitLine(`f_rt_sleep ${w}`);
    return NONE;
  },
  env(fx, call, args) {
    const a = args[0];
    if (!a || !(Node.isStringLiteral(a) || Node.isNoSubstitutionTemplateLiteral(a)) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(a.getLiteralValue())) {
      fx.program.report(a ?? call, "EnvNameNotLiteral", "env() needs a literal variable name.");
      return NONE;
    }
    const t = fx.temp();
    fx.emitLine(`let ${t} = ${envWord(a.getLiteralValue())}`);
    return varVal("string", t);
  },
  args(fx) {
    const arr = fx.newArray();
    const i = fx.temp();
    fx.emit({ kind: "for", variable: i, words: "1..$len(@args)", body: [line(`let ${arr} ++= "@args[\${${i}}]"`)] });
    return { t: "array", kind: "string[]", name: arr, fresh: true };
  },
};

/** The primitives with a boolean result, as conditions (value uses go through boolValue). */
export const CONDITION_LOWERINGS: Record<string, CondLowering> = {
  exists: fsTest("-e"),
  isFile: fsTest("-f"),
  isDir: fsTest("-d"),
  writeFile(fx, _call, args) {
    const [p, d] = lowerOperands(fx, args) as ScalarVal[];
    fx.program.useHelper("f_rt_write");
    return atom(`f_rt_write ${p.word} ${d.word} w`);
  },
  appendFile(fx, _call, args) {
    const [p, d] = lowerOperands(fx, args) as ScalarVal[];
    fx.program.useHelper("f_rt_write");
    return atom(`f_rt_write ${p.word} ${d.word} a`);
  },
  remove(fx, _call, args) {
    const [p] = lowerOperands(fx, args) as ScalarVal[];
    fx.program.useHelper("f_rt_remove");
    return atom(`f_rt_remove ${p.word}`);
  },
  // `exists -b NAME` (extra/exists_b_program_on_path): directly for a literal
  // program name, else through f_rt_command_exists, which refuses "", "/"
  // and a leading "-" (an option such as -h would print exists' manual).
  commandExists(fx, _call, args) {
    const [n] = lowerOperands(fx, args) as ScalarVal[];
    if (n.lit !== undefined && /^[A-Za-z0-9_.+][A-Za-z0-9_.+-]*$/.test(n.lit)) return atom(`exists -b ${n.lit}`);
    fx.program.useHelper("f_rt_command_exists");
    return atom(`f_rt_command_exists ${n.word}`);
  },
};

/** A boolean primitive's call as a condition; undefined for the others. */
export function lowerRuntimeCond(fx: FnContext, name: string, call: CallExpression): Cond | undefined {
  const l = CONDITION_LOWERINGS[name];
  return l && l(fx, call, call.getArguments() as Expression[]);
}

/**
 * Before run()/capture(): a program that is not on PATH stops the script
 * with `tsion: FILE:LINE: command not found: NAME`, as the Node
 * implementation does (Ion's own error would name no TypeScript line, and
 * inside `$( )` it is not even fatal). A name with a `/` is run as it is
 * (exists -b only searches PATH): Ion reports that one itself.
 */
function requireCommand(fx: FnContext, call: CallExpression, cmd: string): void {
  const at = location(fx, call);
  const plain = /^'([A-Za-z0-9_.+][A-Za-z0-9_.+-]*)'$/.exec(cmd);
  if (plain) {
    guard(fx, atom(`exists -b ${plain[1]}`), `${at}: command not found: ${plain[1]}`);
    return;
  }
  if (!/^"\$\{[A-Za-z_][A-Za-z0-9_]*\}"$/.test(cmd)) {
    const t = fx.temp();
    fx.emitLine(`let ${t} = ${cmd}`);
    cmd = `"\${${t}}"`;
  }
  fx.program.useHelper("f_rt_command_exists");
  fx.program.useHelper("f_rt_die_at");
  fx.emitLine(`matches "x${cmd.slice(1, -1)}" '/' || f_rt_command_exists ${cmd} || f_rt_die_at ${quote(at)} 'command not found: '${cmd}`);
}

function cmdName(args: Expression[]): string {
  const c = args[0];
  return c && (Node.isStringLiteral(c) || Node.isNoSubstitutionTemplateLiteral(c)) ? c.getLiteralValue() : "(computed)";
}

export function lowerRuntimeCall(fx: FnContext, name: string, call: CallExpression): Val {
  const l = LOWERINGS[name];
  if (!l) {
    fx.program.report(call, "UnsupportedCall", `tsion/runtime has no primitive '${name}'.`);
    return NONE;
  }
  return l(fx, call, call.getArguments() as Expression[]);
}

export { spliceable };
