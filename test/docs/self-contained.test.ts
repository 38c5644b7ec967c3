// The documentation stands alone: README.md, docs/*.md, the CLI's help, the
// source files (their comments, test names and messages) and the generated
// guest scripts name no path of the machine they were written on, no notes
// outside the repository (its section numbers included), and every file they
// link to or name under docs/ exists in the repository.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compileEntries } from "../../compiler/src/compile.ts";
import { repoRoot, tsion } from "../cli/helpers.ts";

const DOCS = ["README.md", ...fs.readdirSync(path.join(repoRoot, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)].sort();

/** What must not appear, and why. */
const FORBIDDEN: [RegExp, string][] = [
  [/\/work\//, "an absolute path of the machine the docs were written on"],
  [/(^|[^\w.])\.\.\/shared\b|\bshared\/(docs|ion-conformance)\b/, "the notes and vectors beside the repository (../shared)"],
  [/redox-guest-networking(\.md)?|ion-semantics(\.md)?/, "a notes file that is not in the repository"],
  // A section sign cites numbered notes; only the repository's own redox-contract.md is cited that way.
  [/(?<!redox-contract\.md )§\s*\d/, "a section number of notes outside the repository"],
];

/**
 * The one reference to what lies beside the repository that code may make:
 * the conformance vectors' default location, where the test harness looks
 * for them (ION_CONFORMANCE_DIR overrides it).
 */
const ALLOWED = { file: "test/conformance/harness.ts", text: '"../../../shared/ion-conformance/cases"' };

function offences(text: string, file = ""): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, i) => {
    const checked = file === ALLOWED.file ? line.replace(ALLOWED.text, '""') : line;
    for (const [re, why] of FORBIDDEN) if (re.test(checked)) found.push(`${file ? file + ":" : "line "}${i + 1}: ${why}: ${line.trim()}`);
  });
  return found;
}

/** Relative targets of markdown links `[text](target)`, without #anchors. */
function linkTargets(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/.test(t) && !t.startsWith("#")).map((t) => t.split("#")[0]!);
}

/** docs/NAME.md mentioned in running text or code. */
function docMentions(text: string): string[] {
  return [...new Set([...text.matchAll(/\bdocs\/[\w.-]+\.md\b/g)].map((m) => m[0]))];
}

describe("docs name nothing outside the repository", () => {
  for (const doc of DOCS) {
    it(doc, () => {
      const text = fs.readFileSync(path.join(repoRoot, doc), "utf8");
      expect(offences(text)).toEqual([]);
      const dir = path.dirname(path.join(repoRoot, doc));
      for (const target of linkTargets(text)) expect(fs.existsSync(path.resolve(dir, target)), `${doc} links to ${target}`).toBe(true);
      for (const mention of docMentions(text)) expect(fs.existsSync(path.join(repoRoot, mention)), `${doc} names ${mention}`).toBe(true);
    });
  }

  it("the checks catch what they are for", () => {
    expect(offences("see /work/shared/docs/x.md")).toHaveLength(2);
    expect(offences("(redox-guest-networking.md §1.3)")).toHaveLength(2);
    expect(offences("docs/redox-contract.md §5 and ../shared/ion-conformance")).toHaveLength(1);
    expect(offences("the scope rule (§4.2)")).toHaveLength(1);
    expect(offences(" * cite shared/docs/ion-semantics.md")).toHaveLength(2);
    expect(offences('  : path.resolve(dir, "../../../shared/ion-conformance/cases");', ALLOWED.file)).toEqual([]);
    expect(offences('  : path.resolve(dir, "../../../shared/ion-conformance/cases");', "test/x.ts")).toHaveLength(1);
    expect(offences('"../../../shared/ion-conformance/cases" // ion-semantics.md §6.5', ALLOWED.file)).toHaveLength(2);
    expect(linkTargets("[a](docs/x.md#y) [b](https://e.org) [c](#z)")).toEqual(["docs/x.md"]);
  });
});

/** Where source files live: the code, its tests, tools and templates. */
const SOURCE_DIRS = ["bench", "bin", "compiler", "guest-scripts", "host", "nix", "pack", "runtime-shims", "templates", "test"].filter((d) =>
  fs.existsSync(path.join(repoRoot, d)),
);
const SOURCE_ROOT_FILES = ["flake.nix", "package.json", "tsconfig.json", "vitest.config.ts"];
/** This file spells out what it looks for. */
const SELF = "test/docs/self-contained.test.ts";

/** Text files under `dir` (repository-relative), without node_modules. */
function textFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (e.name !== "node_modules") out.push(...textFiles(rel));
    } else if (e.isFile() && rel !== SELF && !fs.readFileSync(path.join(repoRoot, rel)).includes(0)) {
      out.push(rel);
    }
  }
  return out.sort();
}

/** Offences and docs/ mentions that do not exist, in the given repository-relative files. */
function sourceProblems(files: string[]): string[] {
  return files.flatMap((file) => {
    const text = fs.readFileSync(path.join(repoRoot, file), "utf8");
    const missing = docMentions(text).filter((m) => !fs.existsSync(path.join(repoRoot, m)));
    return [...offences(text, file), ...missing.map((m) => `${file}: names ${m}, which does not exist`)];
  });
}

describe("source files name nothing outside the repository", () => {
  it("there are source files to check", () => {
    expect(SOURCE_DIRS).toEqual(expect.arrayContaining(["compiler", "runtime-shims", "guest-scripts", "test"]));
    expect(textFiles("compiler").length).toBeGreaterThan(10);
  });
  for (const dir of SOURCE_DIRS) {
    it(`${dir}/`, () => {
      expect(sourceProblems(textFiles(dir))).toEqual([]);
    });
  }
  it(SOURCE_ROOT_FILES.join(", "), () => {
    expect(sourceProblems(SOURCE_ROOT_FILES.filter((f) => fs.existsSync(path.join(repoRoot, f))))).toEqual([]);
  });
  it("the conformance harness's default location is the one exception, and it is still there", () => {
    const harness = fs.readFileSync(path.join(repoRoot, ALLOWED.file), "utf8");
    expect(harness).toContain(ALLOWED.text);
    expect(offences(harness)).not.toEqual([]);
  });
});

describe("generated guest scripts name nothing outside the repository", () => {
  const entries = fs
    .readdirSync(path.join(repoRoot, "guest-scripts"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => path.join(repoRoot, "guest-scripts", f));
  it(`guest-scripts/*.ts compiled (${entries.length} scripts)`, () => {
    expect(entries.length).toBeGreaterThan(0);
    const results = compileEntries(entries, { cwd: repoRoot });
    for (const entry of entries) {
      const r = results.get(entry)!;
      expect(r.diagnostics, entry).toEqual([]);
      expect(offences(r.ion!, path.relative(repoRoot, entry))).toEqual([]);
    }
  });
});

describe("the CLI's help names nothing outside the repository", () => {
  const commands = [[], ["init"], ["compile"], ["build"], ["check"], ["test"], ["sim"], ["pack"], ["net"], ["net", "setup"], ["net", "doctor"], ["vm"], ["vm", "run"], ["vm", "test"]];
  it("tsion --help and every command's --help", async () => {
    for (const cmd of commands) {
      const r = await tsion([...cmd, "--help"]);
      expect(r.exitCode, cmd.join(" ")).toBe(0);
      expect(offences(r.stdout), cmd.join(" ")).toEqual([]);
      for (const mention of docMentions(r.stdout)) expect(fs.existsSync(path.join(repoRoot, mention)), `${cmd.join(" ")} --help names ${mention}`).toBe(true);
    }
  });
});
