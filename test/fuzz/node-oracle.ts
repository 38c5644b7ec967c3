/**
 * Runs a generated program under Node in-process, in a fresh vm context whose
 * console formats exactly like Node's (util.format). The fuzzer passes the
 * generator's own type-erased JavaScript (transpiling every program with
 * ts.transpileModule costs ~15 ms each); `runTsOnNode` transpiles, and the
 * fuzz suite checks on a sample that both give the same output.
 */
import * as util from "node:util";
import * as vm from "node:vm";
import { ts } from "ts-morph";

export type OracleResult =
  | { ok: true; stdout: string; status: number }
  /** the program cannot serve as a reference (threw or looped) */
  | { ok: false; reason: string };

export function transpile(source: string): string {
  return ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    reportDiagnostics: false,
  }).outputText;
}

export function runTsOnNode(source: string, timeoutMs = 2000): OracleResult {
  return runJsOnNode(transpile(source), timeoutMs);
}

export function runJsOnNode(js: string, timeoutMs = 2000): OracleResult {
  let stdout = "";
  // Programs that print -0 are kept: the compiler reproduces JavaScript's negative zero.
  const print = (...args: unknown[]) => {
    stdout += util.format(...args) + "\n";
  };
  const context = vm.createContext({ console: { log: print, error: () => {} } });
  try {
    new vm.Script(js).runInContext(context, { timeout: timeoutMs });
  } catch (e) {
    return { ok: false, reason: `threw under Node: ${String(e).split("\n")[0]}` };
  }
  return { ok: true, stdout, status: 0 };
}
