// The documentation stands alone: README.md, docs/*.md and the CLI's help
// name no path of the machine they were written on, no notes outside the
// repository (its section numbers included), and every file they link to
// or name under docs/ exists in the repository.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
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

function offences(text: string): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, i) => {
    for (const [re, why] of FORBIDDEN) if (re.test(line)) found.push(`line ${i + 1}: ${why}: ${line.trim()}`);
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
    expect(linkTargets("[a](docs/x.md#y) [b](https://e.org) [c](#z)")).toEqual(["docs/x.md"]);
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
