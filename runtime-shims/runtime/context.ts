/**
 * Where the Node implementation of `tsion/runtime` sends its effects.
 *
 * By default a guest script run with plain Node talks to the real machine
 * (RealHost, process.argv, process.env, process.exit). The scenario runner
 * swaps in the mocked Redox with `setRuntimeContext` so that the very same
 * guest code runs against /scheme/netcfg on a virtual clock.
 */
import type { Host } from "../host/types.ts";
import { RealHost } from "../host/real-host.ts";

export interface RuntimeContext {
  host: Host;
  /** Arguments after the script name. */
  args: string[];
  /** The process environment the guest sees (and passes to commands). */
  env: Record<string, string>;
  /** Ends the program; never returns. */
  exit(code: number): never;
}

function defaultContext(): RuntimeContext {
  return {
    host: new RealHost(),
    args: process.argv.slice(2),
    env: process.env as Record<string, string>,
    exit(code: number): never {
      process.exit(code);
    },
  };
}

let current: RuntimeContext | undefined;

export function runtimeContext(): RuntimeContext {
  current ??= defaultContext();
  return current;
}

/** Install a context (tests, scenario runner); returns the previous one. */
export function setRuntimeContext(ctx: RuntimeContext | undefined): RuntimeContext | undefined {
  const prev = current;
  current = ctx;
  return prev;
}

/**
 * The guest's error stream, as the Ion lowering finds it: /dev/stderr when
 * the system has one, else stdout (f_rt_eprint in compiler/src/prelude.ts).
 * Redox images may ship no /dev/stderr; under init both streams reach the log.
 */
export function errorSink(host: Host = runtimeContext().host): (chunk: string) => void {
  return host.stat("/dev/stderr") ? (s) => host.stderr(s) : (s) => host.stdout(s);
}
