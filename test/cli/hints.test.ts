// The specific hints for the constructs guest authors reach for most, as
// `tsion check` prints them, and TypeScript's "install @types/node" advice
// replaced for Node's names and modules. One program per construct, all
// checked in one run.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Codes, ConstructHints, type ConstructHintName } from "../../compiler/src/diagnostic-codes.ts";
import { cleanupProjects, makeProject, tsion } from "./helpers.ts";

afterAll(cleanupProjects);

const RUNTIME = 'import { args, exit, writeFile } from "tsion/runtime";\n';

/** file name -> [program, the code reported at the construct, the hint expected there] */
const CASES: Record<string, [string, string, ConstructHintName]> = {
  "arrow.ts": ["const double = (x: number): number => x * 2;\nconsole.log(double(2));\n", "TSION1001", "arrowFunction"],
  "callback.ts": ["const xs = [1, 2, 3];\nxs.forEach(function (x: number): void {\n  console.log(x);\n});\n", "TSION1005", "arrayCallback"],
  "class.ts": ["class Lease {\n  ip = \"\";\n}\nconsole.log(\"x\");\n", "TSION1014", "classes"],
  "object.ts": ["const lease = { ip: \"10.0.2.15\", prefix: 24 };\nconsole.log(lease.ip);\n", "TSION1001", "objectLiteral"],
  "regex.ts": ["const ok = /^\\d+$/.test(\"12\");\nconsole.log(ok);\n", "TSION1004", "regex"],
  "try.ts": [`${RUNTIME}try {\n  writeFile("/etc/net/dns", "1.1.1.1\\n");\n} catch (e) {\n  exit(1);\n}\n`, "TSION1014", "exceptions"],
  "any.ts": ["let value: any = 3;\nconsole.log(value);\n", "TSION1002", "anyType"],
  "fraction.ts": ["const timeout = 2.5;\nconsole.log(timeout);\n", "TSION1003", "fractionalNumber"],
  "var.ts": ["var count = 0;\nconsole.log(count);\n", "TSION1014", "varDeclaration"],
  "process.ts": ["const first = process.argv[2];\nconsole.log(first);\n", "TSION1001", "nodeProcess"],
  "node-import.ts": ['import { readFileSync } from "node:fs";\nconsole.log(readFileSync("/etc/net/dns", "utf8"));\n', "TSION1006", "nodeModule"],
  "null.ts": ["let lease: string | null = null;\nconsole.log(lease);\n", "TSION1001", "nullOrUndefined"],
};

/** Constructs without specific advice keep their code's hint. */
const GENERIC: Record<string, string> = { "date.ts": "const now = new Date();\nconsole.log(now);\n" };

interface Reported {
  line: number;
  col: number;
  code: string;
  message: string;
  hint?: string;
}

/** Each diagnostic of `tsion check`'s output: header, and the hint under it. */
function parseDiagnostics(stderr: string): Map<string, Reported[]> {
  const byFile = new Map<string, Reported[]>();
  let last: Reported | undefined;
  for (const line of stderr.split("\n")) {
    const head = /^guest-scripts\/([\w-]+\.ts)\((\d+),(\d+)\): error (TS\w+): (.*)$/.exec(line);
    if (head) {
      last = { line: Number(head[2]), col: Number(head[3]), code: head[4]!, message: head[5]! };
      byFile.set(head[1]!, [...(byFile.get(head[1]!) ?? []), last]);
      continue;
    }
    const hint = /^ {2}hint: (.*)$/.exec(line);
    if (hint && last) last.hint = hint[1];
  }
  return byFile;
}

describe("specific hints", () => {
  let reported: Map<string, Reported[]>;
  it("tsion check reports every case (exit 1)", async () => {
    const dir = makeProject();
    fs.mkdirSync(path.join(dir, "guest-scripts"));
    for (const [name, [text]] of Object.entries(CASES)) fs.writeFileSync(path.join(dir, "guest-scripts", name), text);
    for (const [name, text] of Object.entries(GENERIC)) fs.writeFileSync(path.join(dir, "guest-scripts", name), text);
    const r = await tsion(["check"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    reported = parseDiagnostics(r.stderr);
    expect([...reported.keys()].sort()).toEqual([...Object.keys(CASES), ...Object.keys(GENERIC)].sort());
  });

  for (const [name, [, code, hint]] of Object.entries(CASES)) {
    it(`${name}: ${code} with the ${hint} hint`, () => {
      const list = reported.get(name) ?? [];
      const d = list.find((x) => x.code === code);
      expect(d, `${code} in ${JSON.stringify(list)}`).toBeDefined();
      // shown once for the line, on the first of its diagnostics with that hint
      const onLine = list.filter((x) => x.line === d!.line && x.hint !== undefined).map((x) => x.hint);
      expect(onLine.filter((h) => h === ConstructHints[hint])).toHaveLength(1);
    });
  }

  it("no @types/node advice: Node's names and modules get tsion's hint", () => {
    const all = [...reported.values()].flat();
    expect(all.filter((d) => /@types\/node|npm i/.test(`${d.message} ${d.hint ?? ""}`))).toEqual([]);
    // the message is tsion's, and the line shows tsion's hint (once, on its first diagnostic)
    const lineHints = (file: string, line: number) => reported.get(file)!.filter((d) => d.line === line).map((d) => d.hint);
    const process = reported.get("process.ts")!.find((d) => d.code === "TS2591" || d.code === "TS2580");
    expect(process?.message).toBe("Cannot find name 'process'.");
    expect(lineHints("process.ts", process!.line)).toContain(ConstructHints.nodeProcess);
    const nodeFs = reported.get("node-import.ts")!.find((d) => d.code === "TS2591" || d.code === "TS2307");
    expect(nodeFs?.message).toBe("Cannot find module 'node:fs'.");
    expect(lineHints("node-import.ts", nodeFs!.line)).toContain(ConstructHints.nodeModule);
  });

  it("a construct without a specific hint keeps the generic one", () => {
    expect(reported.get("date.ts")!.find((d) => d.code === Codes.UnsupportedSyntax.code)).toMatchObject({
      message: "NewExpression is not supported by tsion.",
      hint: Codes.UnsupportedSyntax.hint,
    });
  });
});
