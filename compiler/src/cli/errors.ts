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

/** Why a file operation failed, worded like coreutils (`no such file or directory`); one wording for every command. */
export function ioReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    case "ENOTDIR":
      return "not a directory";
    case "EEXIST":
      return "file exists";
    case "ENOSPC":
      return "no space left on device";
    case "ELOOP":
      return "too many levels of symbolic links";
    case "EROFS":
      return "read-only file system";
    default:
      return e?.message ?? String(err);
  }
}

/** `cannot <action> <file>: <reason>` (exit 2) for an fs error. */
export function describeIoError(err: unknown, action: string, file: string): CliError {
  return new CliError(`cannot ${action} ${file}: ${ioReason(err)}`);
}
