/**
 * Exit statuses and the two kinds of failure the CLI reports without a stack
 * trace: usage errors (bad arguments) and I/O errors (unreadable input,
 * unwritable output). Both exit with status 2; diagnostics exit with 1.
 */
export const EXIT_OK = 0;
export const EXIT_DIAGNOSTICS = 1;
export const EXIT_USAGE = 2;

/** A failure caused by the user's input or environment, reported as `tsion: error: <message>`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Node's fs errors carry a code and a path; render them like coreutils do. */
export function describeIoError(err: unknown, action: string, file: string): CliError {
  const e = err as NodeJS.ErrnoException;
  const reason =
    e?.code === "ENOENT"
      ? "no such file or directory"
      : e?.code === "EACCES" || e?.code === "EPERM"
        ? "permission denied"
        : e?.code === "EISDIR"
          ? "is a directory"
          : e?.code === "ENOTDIR"
            ? "not a directory"
            : e?.code === "ENOSPC"
              ? "no space left on device"
              : (e?.message ?? String(err));
  return new CliError(`cannot ${action} ${file}: ${reason}`);
}
