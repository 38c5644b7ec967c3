/**
 * `tsion/runtime`: the guest API.
 *
 * Each primitive has exactly three parts, all kept in this folder:
 *   1. its typed declaration and doc comment (here),
 *   2. its Node implementation (here, so guest code runs unchanged on Node),
 *   3. its Ion lowering (ion-lowering.ts, same name).
 * The Node implementation performs the same observable operations as the Ion
 * lowering (same external commands, same file opens and writes), so a guest
 * program produces the same stdout, files and command log on both backends.
 *
 * Failures that end the program print `tsion: FILE:LINE: ...` (the guest
 * call that failed) on stderr and exit 1, which is what the compiled Ion
 * does too.
 */
import { errorSink, runtimeContext } from "./context.ts";
import { callerLocation } from "./location.ts";
import { SLEEP_CACHE, SLEEP_FALLBACK, sleepFallbackTicks } from "./sleep-fallback.ts";
import { listDirEntries } from "./dir-listing.ts";
import { HostError } from "../host/types.ts";

/**
 * Print `tsion: FILE:LINE: MESSAGE` on stderr (the guest call that failed,
 * location.ts) and end the program with status 1, as the Ion lowering does.
 */
function die(message: string): never {
  const ctx = runtimeContext();
  const at = callerLocation();
  errorSink()(`tsion: ${at ? `${at}: ` : ""}${message}\n`);
  return ctx.exit(1);
}

/**
 * Paths starting with `-` would be read as options by commands; give them a
 * `./` prefix (same file). Mirrors `f_rt_argpath` in the Ion lowering.
 */
function commandPath(path: string): string {
  return path.startsWith("-") ? `./${path}` : path;
}

/** Run an external command, collecting its stdout; stderr is discarded (as Ion's `$( )` does). */
function collect(argv: string[]): { status: number | null; stdout: string } {
  const ctx = runtimeContext();
  let stdout = "";
  const status = ctx.host.exec(argv, {
    stdin: "",
    stdout: (s) => (stdout += s),
    stderr: () => {},
    env: ctx.env,
    cwd: ctx.host.cwd(),
  });
  return { status, stdout };
}

/** End the program with `code` (taken modulo 256 by the OS, as in Ion). */
export function exit(code: number): never {
  return runtimeContext().exit(code);
}

/** True when `path` names an existing file or directory. */
export function exists(path: string): boolean {
  return path !== "" && runtimeContext().host.stat(path) !== null;
}

/** True when `path` is an existing regular file (or other non-directory). */
export function isFile(path: string): boolean {
  return path !== "" && runtimeContext().host.stat(path)?.kind === "file";
}

/** True when `path` is an existing directory. */
export function isDir(path: string): boolean {
  return path !== "" && runtimeContext().host.stat(path)?.kind === "dir";
}

/**
 * True when the program `name` can be run: an executable file of that name
 * in one of PATH's directories (Ion's `exists -b`; no process is started).
 * Only a plain program name: "" and names holding "/" or starting with "-"
 * are false. Check an optional program before `run()`/`capture()`, which end
 * the script when the program is missing.
 */
export function commandExists(name: string): boolean {
  return isProgramName(name) && runtimeContext().host.which(name) !== null;
}

/** A name `exists -b` can look up as given (f_rt_command_exists checks the same). */
function isProgramName(name: string): boolean {
  return /^[^/-][^/]*$/.test(name);
}

/**
 * The whole content of a file, byte for byte (runs `cat PATH`).
 * An unreadable file ends the program: check with `isFile` first.
 */
export function readFile(path: string): string {
  const { status, stdout } = collect(["cat", commandPath(path)]);
  if (status !== 0) die(`readFile: cannot read '${path}'`);
  return stdout;
}

function write(path: string, data: string, mode: "write" | "append"): boolean {
  const host = runtimeContext().host;
  // Same pre-checks as the Ion lowering: Ion treats an unopenable
  // redirection target as fatal, so it must never try one.
  if (path === "") return false;
  const st = host.stat(path);
  if (st?.kind === "dir") return false;
  const slash = path.lastIndexOf("/");
  const parent = slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash);
  if (host.stat(parent)?.kind !== "dir") return false;
  if (st && !writable(st.mode, st.uid, host.uid())) return false;
  let handle;
  try {
    handle = host.open(path, mode);
  } catch (e) {
    if (e instanceof HostError) return false;
    throw e;
  }
  try {
    if (data !== "") handle.write(data);
  } catch (e) {
    handle.close();
    if (e instanceof HostError) return false;
    throw e;
  }
  handle.close();
  return true;
}

/** `test -w` as root sees it (root may write anything) or by permission bits. */
function writable(mode: number, owner: number, uid: number): boolean {
  if (uid === 0) return true;
  return owner === uid ? (mode & 0o200) !== 0 : (mode & 0o002) !== 0;
}

/**
 * Replace the content of `path` with `data` in one write.
 * Returns false when the file cannot be opened or the write is rejected
 * (e.g. netcfg answering EINVAL); the caller must check it.
 */
export function writeFile(path: string, data: string): boolean {
  return write(path, data, "write");
}

/** Append `data` to `path` in one write; false when rejected, like `writeFile`. */
export function appendFile(path: string, data: string): boolean {
  return write(path, data, "append");
}

/**
 * Entry names of a directory: every entry but `.` and `..`, hidden ones
 * included, in UTF-8 byte order. Lists with Ion's own glob, so no process
 * runs and no `ls` is needed (dir-listing.ts). A path that is not a
 * directory, or that contains whitespace, ends the program; an unreadable
 * directory lists as empty.
 */
export function listDir(path: string): string[] {
  const r = listDirEntries(runtimeContext().host, path);
  if ("error" in r) die(`${r.error} '${path}'`);
  return r.names;
}

/** Remove a file (runs `rm PATH`); false when it could not be removed. */
export function remove(path: string): boolean {
  const { status } = collect(["rm", commandPath(path)]);
  return status === 0;
}

/**
 * Run a command; its output passes through. Returns its exit status.
 * A command that does not exist ends the program (as in Ion).
 */
export function run(cmd: string, ...args: string[]): number {
  const ctx = runtimeContext();
  const status = ctx.host.exec([cmd, ...args], {
    stdin: "",
    stdout: (s) => ctx.host.stdout(s),
    stderr: (s) => ctx.host.stderr(s),
    env: ctx.env,
    cwd: ctx.host.cwd(),
  });
  if (status === null) die(`command not found: ${cmd}`);
  return status;
}

/**
 * Run a command and return its stdout minus one trailing newline; its stderr
 * is discarded and its status ignored. A missing command ends the program.
 */
export function capture(cmd: string, ...args: string[]): string {
  const { status, stdout } = collect([cmd, ...args]);
  if (status === null) die(`command not found: ${cmd}`);
  return stdout.endsWith("\n") ? stdout.slice(0, -1) : stdout;
}

/**
 * How `sleep()` waits on this system, decided on its first call and kept in
 * SLEEP_CACHE (exported, as the Ion lowering does): `cmd` when a `sleep`
 * program is on PATH (Ion's `exists -b sleep`), else `loop` (the fallback)
 * when NODE exists, else `none`.
 */
function sleepMethod(): string {
  const ctx = runtimeContext();
  let how = ctx.env[SLEEP_CACHE] ?? "";
  if (how === "") {
    if (ctx.host.which("sleep") !== null) how = "cmd";
    else if (ctx.host.stat(SLEEP_FALLBACK.NODE) !== null) how = "loop";
    else how = "none";
    ctx.env[SLEEP_CACHE] = how;
  }
  return how;
}

/**
 * Sleep for `seconds` (fractions allowed): `sleep SECONDS` when the system
 * has a `sleep` program; otherwise a bounded delay of scheme I/O that spawns
 * no process (SLEEP_FALLBACK, sleepFallbackTicks). Never "command not found".
 */
export function sleep(seconds: number): void {
  const text = String(seconds);
  const how = sleepMethod();
  if (how === "cmd") {
    run("sleep", text);
    return;
  }
  if (how !== "loop") return;
  const host = runtimeContext().host;
  const ticks = sleepFallbackTicks(text);
  for (let i = 0; i < ticks; i++) {
    // `echo -n '' > /scheme/null`: an open (truncating) and a close, nothing written
    for (let k = 0; k < SLEEP_FALLBACK.OPENS_PER_TICK; k++) host.open(SLEEP_FALLBACK.NODE, "write").close();
  }
}

/** The environment variable `name`, or "" when unset. `name` must be a literal. */
export function env(name: string): string {
  return runtimeContext().env[name] ?? "";
}

/** The program's arguments (without the script name). */
export function args(): string[] {
  return [...runtimeContext().args];
}
