/**
 * Control-flow signals and error kinds of the interpreter (docs/ion-sim.md, Errors and panics).
 * They are thrown as exceptions and caught where Ion would stop unwinding.
 */

/** A fatal Ion error: `ion: <message>` on stderr, script status 1. */
export class IonFatal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IonFatal";
  }
}

/**
 * An error found while parsing a statement (statement::Error, PipelineParsingError):
 * ion prints `ion: syntax error: <message>` and exits 1.
 */
export class IonSyntax extends IonFatal {
  constructor(message: string) {
    super(`syntax error: ${message}`);
    this.name = "IonSyntax";
  }
}

/** A block-structure error found while assembling blocks (BlockError): `ion: block error: …`. */
export function blockError(message: string): IonFatal {
  return new IonFatal(`block error: ${message}`);
}

/** Something ion-sim does not implement: `ion-sim: FILE:LINE: unsupported ...`, status 1. */
export class IonUnsupported extends Error {
  constructor(
    message: string,
    public line: number = 0,
  ) {
    super(message);
    this.name = "IonUnsupported";
  }
}

/** A Rust panic in real ion (status 134). */
export class IonPanic extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IonPanic";
  }
}

/** `exit N` anywhere (also inside `$( )`) ends the script (subst_exit_terminates_script). */
export class ExitSignal {
  constructor(public status: number) {}
}

/** `return [N]`: unwinds to the function call (fn_return_unwinds_loops). */
export class ReturnSignal {
  constructor(public status: number | null) {}
}

export class BreakSignal {}
export class ContinueSignal {}

const OS_ERRNO: Record<string, number> = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  EBADF: 9,
  EACCES: 13,
  EEXIST: 17,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  ENOTEMPTY: 39,
  EMSGSIZE: 90,
};

/** Rust's `io::Error` display: "No such file or directory (os error 2)" */
export function osErrorText(code: string, text: string): string {
  const n = OS_ERRNO[code];
  return n === undefined ? text : `${text} (os error ${n})`;
}
