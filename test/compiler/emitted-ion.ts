/**
 * The one check every suite runs on the Ion it produces (corpus, guest
 * scripts, fuzz programs, test fixtures): the emitted-script check of
 * compiler/src/ion/check.ts. It fails on a literal method argument with a
 * parenthesis (real Ion splits the call there; docs/ion-lowering.md, Method
 * arguments), a construct that compiler/src/ion/constructs.ts does not list
 * with a conformance case, a control character, `while not`, or a call of an undefined function.
 *
 * The compiler already refuses such a script (TSION9999); suites check again
 * so that a script reaching them by any path is held to the same rules.
 */
import { checkEmittedIon, formatProblems } from "../../compiler/src/ion/check.ts";

/** Problems of one generated script, as text ("" when it is clean). */
export function emittedIonProblems(ion: string): string {
  return formatProblems(checkEmittedIon(ion).problems, 10);
}

/** Throws (failing the test) when `ion` breaks a rule of the emitted-script check. */
export function assertCleanIon(ion: string, label: string): void {
  const problems = emittedIonProblems(ion);
  if (problems !== "") throw new Error(`${label}: the generated Ion breaks the emitted-script check:\n${problems}`);
}
