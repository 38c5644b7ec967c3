/**
 * One rule for suites that need something a developer machine may lack
 * (root, a system tool, the conformance vectors beside the repository, a real
 * ion binary): outside CI they skip, and say why on the console; under
 * CI=true nothing skips, so a missing tool fails the run instead of hiding.
 *
 *   const need = requirement("test/network", await whyNotNetns());
 *   describe.skipIf(need.skip)("...", () => { beforeAll(need.assert); ... });
 */
export const CI = process.env.CI === "true";

export interface Requirement {
  /** True when the suite should be skipped (missing, and not under CI). */
  readonly skip: boolean;
  /** Why it cannot run ("" when it can). */
  readonly missing: string;
  /** Throws when something is missing: call it first in the suite (under CI the suite runs anyway). */
  readonly assert: () => void;
}

/**
 * `missing` lists what is absent ("" or [] when nothing is). Prints one
 * `[suite] skipped: …` line when the suite is skipped.
 */
export function requirement(suite: string, missing: string | string[], opts: { optionalInCi?: boolean } = {}): Requirement {
  const text = Array.isArray(missing) ? missing.filter((m) => m !== "").join("; ") : missing;
  const skip = text !== "" && (!CI || opts.optionalInCi === true);
  if (skip) console.warn(`[${suite}] skipped: ${text}`);
  return {
    skip,
    missing: text,
    assert: () => {
      if (text !== "") throw new Error(`${suite} cannot run: ${text}`);
    },
  };
}
