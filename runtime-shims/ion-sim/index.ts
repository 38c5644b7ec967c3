/**
 * ion-sim: an interpreter for the Ion shell dialect of ion-semantics.md (ion 1.0.0-alpha,
 * commit 1440704f). Every outside effect goes through the Host.
 */
import type { Host } from "../host/types.ts";
import { Shell } from "./interpreter.ts";

export interface RunIonOptions {
  /** script file name, used in error messages and `@args[0]` */
  fileName: string;
  args?: string[];
  /** the process environment (only these variables exist) */
  env: Record<string, string>;
  host: Host;
  /** standard input of the script ("" like /dev/null) */
  stdin?: string;
}

export function runIon(source: string, opts: RunIonOptions): { status: number } {
  const sh = new Shell(opts.host, opts.fileName, opts.env, opts.args ?? [], opts.stdin ?? "");
  return { status: sh.run(source) };
}
