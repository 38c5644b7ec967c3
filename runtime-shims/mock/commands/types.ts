/** What a command shim gets: the mock, its argv and its stdio. */
import type { ExecIO } from "../../host/types.ts";
import type { MockRedox } from "../mock-redox.ts";

export interface ShimContext {
  mock: MockRedox;
  argv: string[];
  io: ExecIO;
  /** Guest path resolved against the caller's cwd. */
  abs(p: string): string;
}

/** Runs the command and returns its exit status. */
export type Shim = (ctx: ShimContext) => number;
