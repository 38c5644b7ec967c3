/**
 * The Host is everything outside a guest program: files, processes, time and
 * the program's own stdout/stderr. Three things talk to it:
 *   - the Node implementation of `tsion/runtime` (guest TS run on Node),
 *   - ion-sim (compiled Ion run by the TS interpreter),
 *   - the mocked Redox (runtime-shims/mock), which implements it.
 * `RealHost` (real-host.ts) implements it on the Linux machine itself.
 *
 * Paths are as the guest sees them (absolute, or relative to `cwd()`).
 */

/** errno names the mock and the real host report. */
export type Errno =
  | "ENOENT"
  | "EINVAL"
  | "EACCES"
  | "EPERM"
  | "EBADF"
  | "EISDIR"
  | "ENOTDIR"
  | "EEXIST"
  | "ENOTEMPTY"
  | "EMSGSIZE"
  | "EIO";

export class HostError extends Error {
  constructor(
    readonly code: Errno,
    readonly path: string,
    detail?: string,
  ) {
    super(`${code}: ${detail ?? describeErrno(code)}: ${path}`);
    this.name = "HostError";
  }
}

export function describeErrno(code: Errno): string {
  switch (code) {
    case "ENOENT":
      return "No such file or directory";
    case "EINVAL":
      return "Invalid argument";
    case "EACCES":
      return "Permission denied";
    case "EPERM":
      return "Operation not permitted";
    case "EBADF":
      return "Bad file descriptor";
    case "EISDIR":
      return "Is a directory";
    case "ENOTDIR":
      return "Not a directory";
    case "EEXIST":
      return "File exists";
    case "ENOTEMPTY":
      return "Directory not empty";
    case "EMSGSIZE":
      return "Message too long";
    case "EIO":
      return "Input/output error";
  }
}

export interface StatInfo {
  kind: "file" | "dir";
  /** permission bits, e.g. 0o644 */
  mode: number;
  size: number;
  uid: number;
}

/** An open file, written with one `write()` per call, committed on close/sync. */
export interface FileHandle {
  /** One write(2). Throws HostError (EINVAL, EBADF, EACCES, EMSGSIZE, ...). */
  write(data: string): void;
  /** fsync(2): commits now; throws HostError if the commit fails. */
  sync(): void;
  /** close(2): commits; commit errors are swallowed as Redox does. */
  close(): void;
}

/** stdio of an external command started through `Host.exec`. */
export interface ExecIO {
  /** whole standard input ("" = empty, like /dev/null) */
  stdin: string;
  stdout(chunk: string): void;
  stderr(chunk: string): void;
  /** exported environment of the caller */
  env: Record<string, string>;
  cwd: string;
}

export interface Host {
  /** Working directory used to resolve relative paths. */
  cwd(): string;
  /** uid of the running program (0 = root). */
  uid(): number;

  /** null when the path does not exist or cannot be stat'ed (EINVAL on netcfg included). */
  stat(path: string): StatInfo | null;
  /** Whole content. Throws HostError. */
  readFile(path: string): string;
  /** Open for writing (truncate) or appending; creates a missing file. Throws HostError. */
  open(path: string, mode: "write" | "append"): FileHandle;
  /** Sorted entry names. Throws HostError. */
  listDir(path: string): string[];
  /** Remove a file or an empty directory. Throws HostError. */
  remove(path: string): void;

  /**
   * Run an external command. Returns its exit status, or null when no such
   * command exists (Ion treats that as fatal "command not found").
   */
  exec(argv: string[], io: ExecIO): number | null;
  /** Path of an external command as PATH lookup finds it, or null (`exists -b`). */
  which(cmd: string): string | null;

  /** The guest program's own standard output and error. */
  stdout(chunk: string): void;
  stderr(chunk: string): void;

  /** Seconds since the host started (virtual or real). */
  now(): number;
  /** Block for `seconds` (virtual clocks advance instantly). Used by the `sleep` command shims. */
  sleep(seconds: number): void;
}
