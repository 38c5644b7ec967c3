/**
 * `tsion test [SCENARIO...]`: runs scenario files (docs/scenarios.md) in each
 * of their variants on the Node backend and on ion-sim (and on a real ion
 * binary with --ion or ION_BIN), checks `[expect]` on each and that the
 * backends agree, and prints PASS/FAIL per scenario variant with a diff of
 * what differs. Exit status 0 when everything passed, 1 when anything failed
 * (a scenario file that does not parse, a guest that does not compile, a
 * check), 2 for usage and I/O errors (nothing is run then).
 *
 * Without arguments it runs `scenarios/*.toml`, or `test/scenarios/*.toml`
 * when there is no `scenarios/` (this repository's layout).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CliError, describeIoError, EXIT_DIAGNOSTICS, EXIT_OK } from "./errors.ts";
import { requireSourceFile, statUserPath } from "./entries.ts";
import { formatResult, resultJson } from "./test-report.ts";

export interface TestOptions {
  /** A guest entry for every scenario (their `[run] script` may then be absent). */
  script?: string;
  /** A real ion binary (default $ION_BIN). */
  ion?: string;
  /** Every scenario also on an image without `sleep`. */
  withoutSleep?: boolean;
  json?: boolean;
}

/** Where `tsion test` looks without arguments, in this order. */
export const DEFAULT_SCENARIO_DIRS = ["scenarios", path.join("test", "scenarios")];

function tomlFiles(dir: string, shown: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    throw describeIoError(err, "read", shown);
  }
  return names
    .filter((n) => n.endsWith(".toml"))
    .sort()
    .map((n) => path.join(dir, n));
}

/** The scenario files named on the command line (files, or directories of *.toml), or the default directory's. */
export function scenarioPaths(args: string[], cwd: string): string[] {
  if (args.length === 0) {
    const dir = DEFAULT_SCENARIO_DIRS.find((d) => fs.existsSync(path.join(cwd, d)));
    if (dir === undefined) throw new CliError(`no scenarios: give scenario files, or put them in ${DEFAULT_SCENARIO_DIRS[0]}/*.toml`);
    const files = tomlFiles(path.join(cwd, dir), dir);
    if (files.length === 0) throw new CliError(`no scenarios: ${dir}/ has no *.toml file`);
    return files;
  }
  const out: string[] = [];
  for (const arg of args) {
    const { abs, stat } = statUserPath(arg, cwd);
    if (stat.isDirectory()) {
      const files = tomlFiles(abs, arg);
      if (files.length === 0) throw new CliError(`no scenarios: ${arg} has no *.toml file`);
      out.push(...files);
    } else {
      try {
        fs.accessSync(abs, fs.constants.R_OK);
      } catch (err) {
        throw describeIoError(err, "read", arg);
      }
      out.push(abs);
    }
  }
  return out;
}

/** The real ion binary to use, checked before anything runs; undefined without --ion and ION_BIN. */
async function realIonBinary(option: string | undefined, cwd: string): Promise<string | undefined> {
  const given = option ?? process.env.ION_BIN;
  if (given === undefined || given === "") return undefined;
  const bin = path.resolve(cwd, given);
  try {
    fs.accessSync(bin, fs.constants.X_OK);
  } catch (err) {
    throw describeIoError(err, "run", given);
  }
  const { realIonMissing } = await import("../../../runtime-shims/realion/requirements.ts");
  const missing = realIonMissing();
  if (missing !== null) throw new CliError(`cannot run real ion ${given}: its sandbox needs what this machine lacks: ${missing} (docs/real-ion.md)`);
  return bin;
}

export async function runTest(args: string[], options: TestOptions, cwd = process.cwd()): Promise<number> {
  const files = scenarioPaths(args, cwd);
  const script = options.script === undefined ? undefined : requireSourceFile(options.script, cwd);
  const realIon = await realIonBinary(options.ion, cwd);
  const { checkScenario, scenarioVariants } = await import("../../../runtime-shims/mock/scenario-runner.ts");
  const { loadScenario } = await import("../../../runtime-shims/mock/scenario.ts");

  const results: object[] = [];
  let passed = 0;
  let failed = 0;
  const say = (text: string) => {
    if (!options.json) process.stdout.write(text);
  };
  for (const file of files) {
    const shown = path.relative(cwd, file) || file;
    let variants;
    try {
      variants = scenarioVariants(loadScenario(file, undefined, { script }), { withoutSleep: options.withoutSleep });
    } catch (e) {
      // A scenario that does not parse is a failed scenario, not the end of the run.
      failed++;
      const message = (e as Error).message;
      results.push({ scenario: shown, passed: false, error: message });
      say(`FAIL  ${shown}\n    ${message}\n`);
      continue;
    }
    for (const variant of variants) {
      const result = await checkScenario(loadScenario(file, variant, { script }), { realIon });
      if (result.passed) passed++;
      else failed++;
      results.push(resultJson(result));
      say(formatResult(result));
    }
  }
  const summary = `${passed} passed, ${failed} failed (${files.length} ${files.length === 1 ? "scenario" : "scenarios"})`;
  if (options.json) process.stdout.write(`${JSON.stringify({ passed, failed, results }, null, 2)}\n`);
  else process.stdout.write(`\n${summary}\n`);
  return failed > 0 ? EXIT_DIAGNOSTICS : EXIT_OK;
}
