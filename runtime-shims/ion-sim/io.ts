/**
 * Output sinks. `echo` and friends write to the current sink, which may be the
 * script's stdout, a `$( )` capture, a pipeline buffer or a redirected file.
 */
import type { FileHandle } from "../host/types.ts";

export interface Sink {
  write(data: string): void;
}

export class BufferSink implements Sink {
  data = "";
  write(s: string): void {
    this.data += s;
  }
}

export class NullSink implements Sink {
  write(_s: string): void {}
}

export class FuncSink implements Sink {
  constructor(private f: (s: string) => void) {}
  write(s: string): void {
    this.f(s);
  }
}

/** A redirection target; `write` throws HostError when the file rejects the write. */
export class FileSink implements Sink {
  constructor(public handle: FileHandle) {}
  write(s: string): void {
    if (s !== "") this.handle.write(s);
  }
}

/** Several redirections of one stream (`> a > b`, or `> f | cmd`): ion tees the output to all. */
export class TeeSink implements Sink {
  constructor(readonly sinks: Sink[]) {}
  write(s: string): void {
    for (const k of this.sinks) k.write(s);
  }
}

/** The stdio of one command. */
export interface IO {
  stdout: Sink;
  stderr: Sink;
  /** whole standard input ("" when none) */
  stdin: string;
}
