/**
 * The Node backend: run a guest TypeScript program in-process against a Host
 * (the mocked Redox, or RealHost). `tsion/runtime` is the real Node
 * implementation with a RuntimeContext pointing at that host; `exit()` ends
 * the program through an internal ExitSignal; console.log/error format like
 * Node's console (util.format) and go to host.stdout/host.stderr.
 */
import * as util from "node:util";
import type { Host } from "../host/types.ts";
import * as runtime from "../runtime/index.ts";
import { errorSink, setRuntimeContext } from "../runtime/context.ts";
import { runModuleGraph } from "./module-loader.ts";

/** Thrown by the guest's `exit()`; never seen by guest code that does not catch everything. */
export class ExitSignal extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = "ExitSignal";
  }
}

export interface GuestRunOptions {
  host: Host;
  args?: string[];
  env?: Record<string, string>;
}

export interface GuestRunResult {
  status: number;
  /** What the program wrote to host.stdout / host.stderr during this run. */
  stdout: string;
  stderr: string;
}

function guestConsole(out: (s: string) => void, err: (s: string) => void) {
  const line = (sink: (s: string) => void) => (...a: unknown[]) => sink(`${util.format(...a)}\n`);
  return { log: line(out), info: line(out), debug: line(out), error: line(err), warn: line(err) };
}

/** Node's one-line report of an uncaught exception. */
function describeUncaught(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) {
    const name = (e as { name?: unknown }).name;
    return `${typeof name === "string" ? name : "Error"}: ${String((e as { message: unknown }).message)}`;
  }
  return `Uncaught ${util.inspect(e)}`;
}

export function runGuestOnNode(entryFile: string, opts: GuestRunOptions): GuestRunResult {
  const { host } = opts;
  let stdout = "";
  let stderr = "";
  const out = (s: string) => {
    stdout += s;
    host.stdout(s);
  };
  const err = (s: string) => {
    stderr += s;
    host.stderr(s);
  };
  // The runtime writes to host.stdout/stderr itself; capture those too.
  const captured: Host = {
    cwd: () => host.cwd(),
    uid: () => host.uid(),
    stat: (p) => host.stat(p),
    readFile: (p) => host.readFile(p),
    open: (p, m) => host.open(p, m),
    listDir: (p) => host.listDir(p),
    remove: (p) => host.remove(p),
    exec: (argv, io) => host.exec(argv, io),
    which: (c) => host.which(c),
    stdout: out,
    stderr: err,
    now: () => host.now(),
    sleep: (s) => host.sleep(s),
  };
  const previous = setRuntimeContext({
    host: captured,
    args: [...(opts.args ?? [])],
    env: { ...(opts.env ?? {}) },
    exit(code: number): never {
      throw new ExitSignal(code);
    },
  });
  let status = 0;
  try {
    runModuleGraph(entryFile, {
      builtins: { "tsion/runtime": runtime },
      // console.error follows the compiled code's rule: stdout when there is no /dev/stderr
      globals: { console: guestConsole(out, (s) => errorSink(captured)(s)) },
    });
  } catch (e) {
    if (e instanceof ExitSignal) status = ((e.code % 256) + 256) % 256;
    else {
      err(`${describeUncaught(e)}\n`);
      status = 1;
    }
  } finally {
    setRuntimeContext(previous);
  }
  return { status, stdout, stderr };
}
