/**
 * Host on the real Linux machine: node:fs, child processes and the wall clock.
 * Used by `tsion sim` without --root/--scenario and by guest scripts run on
 * plain Node.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import { spawnSync } from "node:child_process";
import { HostError, type Errno, type ExecIO, type FileHandle, type Host, type StatInfo } from "./types.ts";

const KNOWN_ERRNOS = new Set<Errno>([
  "ENOENT",
  "EINVAL",
  "EACCES",
  "EPERM",
  "EBADF",
  "EISDIR",
  "ENOTDIR",
  "EEXIST",
  "ENOTEMPTY",
  "EMSGSIZE",
  "EIO",
]);

function toHostError(e: unknown, p: string): HostError {
  const code = (e as NodeJS.ErrnoException)?.code as Errno | undefined;
  return new HostError(code && KNOWN_ERRNOS.has(code) ? code : "EIO", p);
}

export class RealHost implements Host {
  private readonly started = performance.now();

  constructor(
    private readonly out: (s: string) => void = (s) => fs.writeSync(1, s),
    private readonly err: (s: string) => void = (s) => fs.writeSync(2, s),
    private readonly workdir: string = process.cwd(),
  ) {}

  cwd(): string {
    return this.workdir;
  }
  uid(): number {
    return process.getuid?.() ?? 0;
  }
  private abs(p: string): string {
    return path.resolve(this.workdir, p);
  }

  stat(p: string): StatInfo | null {
    if (p === "") return null;
    try {
      const st = fs.statSync(this.abs(p));
      return { kind: st.isDirectory() ? "dir" : "file", mode: st.mode & 0o7777, size: st.size, uid: st.uid };
    } catch {
      return null;
    }
  }

  readFile(p: string): string {
    try {
      return fs.readFileSync(this.abs(p), "utf8");
    } catch (e) {
      throw toHostError(e, p);
    }
  }

  open(p: string, mode: "write" | "append"): FileHandle {
    let fd: number;
    try {
      fd = fs.openSync(this.abs(p), mode === "write" ? "w" : "a");
    } catch (e) {
      throw toHostError(e, p);
    }
    let closed = false;
    return {
      write(data: string) {
        try {
          fs.writeSync(fd, data);
        } catch (e) {
          throw toHostError(e, p);
        }
      },
      sync() {
        try {
          fs.fsyncSync(fd);
        } catch (e) {
          throw toHostError(e, p);
        }
      },
      close() {
        if (closed) return;
        closed = true;
        try {
          fs.closeSync(fd);
        } catch {
          /* close errors are swallowed, as on Redox */
        }
      },
    };
  }

  listDir(p: string): string[] {
    try {
      return fs.readdirSync(this.abs(p)).sort();
    } catch (e) {
      throw toHostError(e, p);
    }
  }

  remove(p: string): void {
    try {
      const st = fs.lstatSync(this.abs(p));
      if (st.isDirectory()) fs.rmdirSync(this.abs(p));
      else fs.unlinkSync(this.abs(p));
    } catch (e) {
      throw toHostError(e, p);
    }
  }

  which(cmd: string): string | null {
    if (cmd.includes("/")) {
      const p = this.abs(cmd);
      try {
        fs.accessSync(p, fs.constants.X_OK);
        return fs.statSync(p).isFile() ? p : null;
      } catch {
        return null;
      }
    }
    for (const dir of (process.env.PATH ?? "").split(":")) {
      if (!dir) continue;
      const p = path.join(dir, cmd);
      try {
        fs.accessSync(p, fs.constants.X_OK);
        if (fs.statSync(p).isFile()) return p;
      } catch {
        /* next */
      }
    }
    return null;
  }

  exec(argv: string[], io: ExecIO): number | null {
    const resolved = this.which(argv[0] ?? "");
    if (!resolved) return null;
    const r = spawnSync(resolved, argv.slice(1), {
      argv0: argv[0],
      cwd: io.cwd,
      env: io.env,
      input: io.stdin,
      maxBuffer: 1 << 30,
      encoding: "utf8",
    });
    if (r.stdout) io.stdout(r.stdout);
    if (r.stderr) io.stderr(r.stderr);
    // a program that exits without reading all of its stdin gives EPIPE: it still ran
    if (r.error && (r.error as NodeJS.ErrnoException).code !== "EPIPE") return null;
    if (r.status === null) return 128 + (r.signal ? (osSignal(r.signal) ?? 0) : 0);
    return r.status;
  }

  stdout(chunk: string): void {
    this.out(chunk);
  }
  stderr(chunk: string): void {
    this.err(chunk);
  }

  now(): number {
    return (performance.now() - this.started) / 1000;
  }

  sleep(seconds: number): void {
    if (!(seconds > 0)) return;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
  }
}

function osSignal(name: NodeJS.Signals): number | undefined {
  return (os.constants.signals as Record<string, number>)[name];
}
