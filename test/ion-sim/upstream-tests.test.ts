/**
 * Optional: redox-os/ion's own test scripts (tests/*.ion, each with the expected output in
 * tests/*.out) run through ion-sim the way ion's tests/run_examples.sh runs them: from the
 * checkout's root, as `ion tests/NAME.ion 1`, with stdout and stderr in one stream.
 *
 *   ION_UPSTREAM_TESTS=/path/to/ion/tests npx vitest run test/ion-sim/upstream-tests.test.ts
 *
 * The tests are not part of this repository; without the variable the suite skips (also in CI).
 * A script ion-sim cannot run must fail loudly (`ion-sim: FILE:LINE: unsupported …`) after
 * printing exactly what ion prints up to that point.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { RealHost } from "../../runtime-shims/host/real-host.ts";
import { runIon } from "../../runtime-shims/ion-sim/index.ts";
import { requirement } from "../support/requirements.ts";

const DIR = process.env.ION_UPSTREAM_TESTS ? path.resolve(process.env.ION_UPSTREAM_TESTS) : "";
const need = requirement(
  "test/ion-sim/upstream-tests",
  DIR ? "" : "set ION_UPSTREAM_TESTS to a checkout of redox-os/ion's tests/ directory",
  { optionalInCi: true },
);

/** Scripts whose expected output depends on the machine they were recorded on. */
const EXCLUDED: Record<string, string> = {
  script_exec: "runs target/debug/ion, the binary of ion's own build tree",
  "fn-root-vars": "has no .out: run_examples.sh writes it from $HOME, $USER and `id -u` before running",
};

/** Scripts using something ion-sim deliberately does not do; they must stop with a clear error. */
const UNSUPPORTED: Record<string, string> = {
  exists: "prints builtin manuals (`exists --help`), whose text ion-sim does not carry",
};

function scripts(): string[] {
  if (!DIR) return [];
  return fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith(".ion"))
    .map((f) => f.slice(0, -4))
    .sort();
}

function run(name: string): string {
  let out = "";
  const root = path.dirname(DIR);
  const host = new RealHost((s) => (out += s), (s) => (out += s), root);
  const src = fs.readFileSync(path.join(DIR, name + ".ion"), "utf8");
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  runIon(src, { fileName: `${path.basename(DIR)}/${name}.ion`, args: ["1"], env, host, stdin: "" });
  return out;
}

describe.skipIf(need.skip)("redox-os/ion tests/*.ion through ion-sim", () => {
  it("finds the upstream tests", () => {
    need.assert();
    expect(fs.existsSync(DIR), `ION_UPSTREAM_TESTS=${DIR} does not exist`).toBe(true);
    expect(scripts().length).toBeGreaterThan(50);
  });
  for (const name of scripts()) {
    if (EXCLUDED[name]) {
      it.skip(`${name} (excluded: ${EXCLUDED[name]})`, () => {});
      continue;
    }
    const expected = () => fs.readFileSync(path.join(DIR, name + ".out"), "utf8");
    if (UNSUPPORTED[name]) {
      it(`${name} stops with an unsupported error (${UNSUPPORTED[name]})`, () => {
        const out = run(name);
        const m = /(^|\n)(ion-sim: [^\n]*: unsupported [^\n]*)\n$/.exec(out);
        expect(m, out).not.toBeNull();
        expect(expected().startsWith(out.slice(0, m!.index + m![1]!.length))).toBe(true);
      });
      continue;
    }
    it(name, () => {
      expect(run(name)).toBe(expected());
    });
  }
});
