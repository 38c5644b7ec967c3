/**
 * Standard output and error of a real shell as FIFOs. Node's own child stdio
 * are socket pairs, and a script's `> /dev/stderr` (open(2) through
 * /proc/self/fd) fails on a socket with ENXIO; on a FIFO it works, as on a
 * terminal or a pipe.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

export interface Fifo {
  /** The write end, for the child's stdio (close it here once the child has it). */
  w: number;
  /** Read until EOF, passing each chunk to `on`. */
  read: (on: (s: string) => void) => Promise<void>;
}

/** A FIFO made in `dir` under `name`; its name is removed once both ends are open. */
export function stdioFifo(dir: string, name: string): Fifo {
  const p = path.join(dir, `${name}.fifo`);
  execFileSync("mkfifo", ["-m", "600", p]);
  const r = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const w = fs.openSync(p, fs.constants.O_WRONLY);
  fs.unlinkSync(p);
  return {
    w,
    read: (on) =>
      new Promise<void>((resolve) => {
        const sock = new net.Socket({ fd: r, readable: true, writable: false });
        sock.setEncoding("utf8");
        sock.on("data", on);
        sock.once("error", () => resolve());
        sock.once("close", () => resolve());
      }),
  };
}
