/**
 * How Ion fidelity is guarded (docs/testing.md):
 *
 *  - compiler/src/ion/constructs.ts lists every Ion construct the compiler
 *    emits with the conformance cases (recorded from real Ion) that pin it:
 *    every cited case exists and one of them shows the construct;
 *  - the project's own cases (test/ion-conformance-extra) pass on ion-sim,
 *    and on real ion when ION_BIN is set;
 *  - the emitted-script check (compiler/src/ion/check.ts) recognises every
 *    command and word piece of every generated script as a listed construct,
 *    and refuses what real Ion would reject;
 *  - the list is exact: every construct is used by some corpus or guest script.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compileEntries } from "../../compiler/src/compile.ts";
import { checkEmittedIon } from "../../compiler/src/ion/check.ts";
import { CONSTRUCTS } from "../../compiler/src/ion/constructs.ts";
import { CASES_DIR, casesMissing } from "../conformance/harness.ts";
import { listCorpus, REPO_ROOT } from "../corpus/corpus.ts";
import { findIonBinary } from "../corpus/toolchain.ts";
import { EXTRA_DIR, listExtraCases, loadExtraCase, runExtraOnIonSim, runExtraOnRealIon } from "../ion-conformance-extra/cases.ts";
import { requirement } from "../support/requirements.ts";
import { assertCleanIon, emittedIonProblems } from "./emitted-ion.ts";

const vectors = requirement("test/compiler/constructs (cited public cases)", casesMissing());

function caseScript(name: string): string | undefined {
  const file = name.startsWith("extra/") ? path.join(EXTRA_DIR, `${name.slice(6)}.ion`) : path.join(CASES_DIR, `${name}.ion`);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
}

describe("the construct list (compiler/src/ion/constructs.ts)", () => {
  it("has unique ids, and every construct cites at least one case", () => {
    const ids = CONSTRUCTS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CONSTRUCTS) expect(c.cases.length, c.id).toBeGreaterThan(0);
  });

  it("cites the project's own cases that exist", () => {
    for (const c of CONSTRUCTS) for (const n of c.cases.filter((x) => x.startsWith("extra/"))) expect(caseScript(n), `${c.id}: ${n}`).toBeDefined();
  });

  it.skipIf(vectors.skip)("cites public cases that exist, and one cited case shows the construct", () => {
    vectors.assert();
    for (const c of CONSTRUCTS) {
      const scripts = c.cases.map((n) => [n, caseScript(n)] as const);
      for (const [n, s] of scripts) expect(s, `${c.id} cites ${n}, which does not exist`).toBeDefined();
      expect(
        scripts.some(([, s]) => s !== undefined && c.evidence.test(s)),
        `${c.id}: no cited case contains ${c.evidence}`,
      ).toBe(true);
    }
  });
});

const ionBin = findIonBinary();
if (!ionBin) console.warn("[test/compiler/constructs] real-ion runs of the project's own cases skipped: set ION_BIN");

describe("the project's own conformance cases (test/ion-conformance-extra)", () => {
  for (const name of listExtraCases()) {
    const { spec } = loadExtraCase(name);
    it(`${name}: ion-sim matches the recording`, async () => {
      expect(spec.status, "recorded by record.ts").toBeGreaterThanOrEqual(0);
      const r = await runExtraOnIonSim(name);
      expect({ stdout: r.stdout, status: r.status }, r.stderr).toEqual({ stdout: spec.stdout, status: spec.status });
    });
    it.skipIf(!ionBin)(`${name}: real ion matches the recording${ionBin ? "" : " (skipped: no ION_BIN)"}`, async () => {
      const r = await runExtraOnRealIon(ionBin!, name);
      expect({ stdout: r.stdout, status: r.status }, r.stderr).toEqual({ stdout: spec.stdout, status: spec.status });
    });
  }
});

describe("the emitted-script check (compiler/src/ion/check.ts)", () => {
  const script = (...body: string[]) => ["fn f_main", ...body.map((l) => `  ${l}`), "end", "f_main", "exit 0", ""].join("\n");

  it("accepts the shapes the compiler writes", () => {
    expect(emittedIonProblems(script("let l_t = ''", "let l_t = $regex_replace($l_t $K_RE $K_G1)", 'if test "x${l_t}" = x\'a\' && not matches "${l_t}" \'^[0-9]\'', "  echo ok", "end"))).toBe("");
  });

  it("refuses a literal method argument with a parenthesis (the f_rt_num line that stopped every script on real Ion)", () => {
    const p = emittedIonProblems(script("let l_t = ''", "let l_t = $regex_replace($l_t '(?s)^([+-]?[0-9]+).*$' '$''1')"));
    expect(p).toMatch(/literal .* contains a parenthesis/);
    expect(emittedIonProblems(script("let l_t = ''", 'let l_t = $replace($l_t "\\(" \'x\')'))).toMatch(/backslash escape/);
    expect(emittedIonProblems(script("let l_t = ''", "let l_t = $replace($l_t ')' 'x')"))).toMatch(/parenthesis/);
  });

  it("refuses empty literal method arguments, control characters, while not, unknown constructs and undefined functions", () => {
    expect(emittedIonProblems(script("let l_n = $len(@split($l_s ''))"))).toMatch(/empty literal argument/);
    expect(emittedIonProblems(script("let l_x = '\u0001'"))).toMatch(/U\+0001 is not printable/);
    expect(emittedIonProblems(script("while not test 1 = 1", "end"))).toMatch(/cannot start with not/);
    expect(emittedIonProblems(script("let l_x = $reverse($l_y)"))).toMatch(/unrecognised word piece/);
    expect(emittedIonProblems(script("match $l_x"))).toMatch(/unrecognised command|unreadable/);
    expect(emittedIonProblems(script("f_nowhere 1"))).toMatch(/does not define/);
    expect(emittedIonProblems(script("let l_x = $((l_a+1))"))).toMatch(/unrecognised word piece/);
  });

  it("refuses a ')' inside $( ) other than the closing one (real Ion: unterminated arithmetic subexpression / subshell)", () => {
    const capture = (arg: string) => emittedIonProblems(script("let l_n = 5", `let l_t = $(printf '%s' ${arg}; echo -n "\${K_MARK}")`));
    expect(capture("$((l_n + 0))")).toMatch(/\$\(\(l_n \+ 0\)\) inside \$\( \)/);
    expect(capture('"$((l_n + 0))"')).toMatch(/inside \$\( \)/);
    expect(capture("$len(@l_a)")).toMatch(/inside \$\( \)/);
    expect(capture("'(x)'")).toMatch(/literal parenthesis inside \$\( \)/);
    expect(capture('"\\("\'x\'"\\)"')).not.toMatch(/inside \$\( \)/);
    expect(capture('"${l_n}"')).toBe("");
  });
});

describe("the list is exact, and every compiled test fixture passes the check", () => {
  it("every construct is used by some corpus program or guest script", () => {
    const guest = fs
      .readdirSync(path.join(REPO_ROOT, "guest-scripts"))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => path.join(REPO_ROOT, "guest-scripts", f));
    const results = compileEntries([...guest, ...listCorpus().map((p) => p.entry)], { cwd: REPO_ROOT });
    const used = new Set<string>();
    for (const [entry, r] of results) {
      expect(r.ion, entry).toBeDefined();
      for (const c of checkEmittedIon(r.ion!).constructs) used.add(c);
    }
    expect(CONSTRUCTS.map((c) => c.id).filter((id) => !used.has(id))).toEqual([]);
  }, 120_000);

  it("compiles every guest program of the other suites' fixtures that has no errors, and checks its Ion", () => {
    const fixtures: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith(".ts") && !p.includes(`${path.sep}lib${path.sep}`)) fixtures.push(p);
      }
    };
    for (const d of ["test/cli/fixtures", "test/scenario-harness/fixtures"]) if (fs.existsSync(path.join(REPO_ROOT, d))) walk(path.join(REPO_ROOT, d));
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-constructs-"));
    try {
      let checked = 0;
      for (const [entry, r] of compileEntries(fixtures, { cwd: tmp })) {
        if (r.ion === undefined) continue; // fixtures with errors on purpose
        assertCleanIon(r.ion, path.relative(REPO_ROOT, entry));
        checked++;
      }
      expect(checked).toBeGreaterThan(3);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});
