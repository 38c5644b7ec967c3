/**
 * ion-sim: an interpreter for the Ion shell (ion 1.0.0-alpha, redox-os/ion commit 1440704f) that
 * fails where Ion fails: it parses and expands as Ion's sources do (see docs/ion-sim.md). Every
 * outside effect goes through the Host.
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
