/**
 * One test per subset diagnostic code (compiler/src/diagnostic-codes.ts):
 * a minimal program that triggers it, the code, the line, a message
 * substring and the hint; plus "all errors in one run" and TS errors.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileEntries, compileFile } from "../../compiler/src/compile.ts";
import { Codes, ConstructHints } from "../../compiler/src/diagnostic-codes.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-diag-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, src: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, src);
  return file;
}

/** [code name, program, line of the error, message substring] */
const CASES: [keyof typeof Codes, string, number, string][] = [
  ["UnsupportedSyntax", `const f = (x: number) => x;\nconsole.log("a");\n`, 1, "ArrowFunction"],
  ["UnsupportedType", `const o = { a: 1 };\nconsole.log(String(o.a));\n`, 1, "outside the tsion subset"],
  ["NonIntegerNumber", `const x = 7;\nconsole.log(x / 2);\n`, 2, "non-integer"],
  ["UnsupportedCall", `console.log(Math.random());\n`, 1, "Math.random"],
  ["UnsupportedMember", `const s = "abc";\nconsole.log(s.padStart(5));\n`, 2, "padStart"],
  ["UnsupportedImport", `import * as fs from "node:fs";\nconsole.log(String(fs.existsSync("x")));\n`, 1, "node:fs"],
  ["NestedFunction", `function outer(): number {\n  function inner(): number { return 1; }\n  return inner();\n}\nconsole.log(outer());\n`, 2, "top level"],
  ["ArrayAliasing", `const a: string[] = ["x"];\nconst b = a;\nb.push("y");\nconsole.log(a.join());\n`, 2, "new array"],
  ["EnvNameNotLiteral", `import { env } from "tsion/runtime";\nconst n = "HOME";\nconsole.log(env(n));\n`, 3, "literal"],
  ["ConsoleFormat", `console.log("%j", "x");\n`, 1, "%j"],
  ["BuiltinCommand", `import { run } from "tsion/runtime";\nrun("echo", "hi");\n`, 2, "Ion builtin"],
  ["ModuleVarInit", `let count: number;\nfunction bump(): void { count = 1; }\nbump();\nconsole.log(count);\n`, 1, "initial value"],
  ["UnsupportedStatement", `try {\n  console.log("x");\n} catch {\n  console.log("y");\n}\n`, 1, "TryStatement"],
  ["SpreadArgument", `function f(a: string, b: string): string { return a + b; }\nconst xs: string[] = ["1", "2"];\nconsole.log(f(...(xs as [string, string])));\n`, 3, "Spread"],
];

describe("subset diagnostics: one per code", () => {
  for (const [name, src, line, text] of CASES) {
    it(`${Codes[name].code} ${name}`, () => {
      const file = write(`${name}.ts`, src);
      const r = compileFile(file);
      expect(r.ion, "no Ion for a program with errors").toBeUndefined();
      const d = r.diagnostics.find((x) => x.code === Codes[name].code);
      expect(d, JSON.stringify(r.diagnostics, null, 1)).toBeDefined();
      expect(d!.file).toBe(file);
      expect(d!.line).toBe(line);
      expect(d!.col).toBeGreaterThan(0);
      expect(d!.message).toContain(text);
      // the code's own hint, or the specific one of the construct (test/cli/hints.test.ts)
      expect([Codes[name].hint, ...Object.values(ConstructHints)]).toContain(d!.hint);
    });
  }

  it(`${Codes.FileUnreadable.code} FileUnreadable`, () => {
    const missing = path.join(dir, "does-not-exist.ts");
    const r = compileFile(missing);
    expect(r.ion).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual([Codes.FileUnreadable.code]);
  });

  it("every code in the table has a test here (TSION9999 is the internal-error guard)", () => {
    const tested = new Set([...CASES.map((c) => c[0]), "FileUnreadable", "InternalError"]);
    expect(Object.keys(Codes).filter((k) => !tested.has(k))).toEqual([]);
  });
});

describe("diagnostics collection", () => {
  it("reports every error of a file in one run, in source order, TypeScript's and the subset's together", () => {
    const file = write(
      "many.ts",
      [
        `const a: number = "x";`, // TS2322
        `const f = () => 1;`, // TSION1001
        `class C {}`, // TSION1014
        `console.log(Math.random());`, // TSION1004
      ].join("\n") + "\n",
    );
    const r = compileFile(file);
    const codes = r.diagnostics.map((d) => `${d.line}:${d.code}`);
    expect(codes).toEqual(expect.arrayContaining(["1:TS2322", "2:TSION1001", "3:TSION1014", "4:TSION1004"]));
    const lines = r.diagnostics.map((d) => d.line);
    expect([...lines].sort((x, y) => x - y)).toEqual(lines);
    expect(r.ion).toBeUndefined();
  });

  it("attributes errors to the imported module they are in, and not to other entries", () => {
    const lib = write("proj/lib.ts", `export function twice(n: number): number {\n  return n * 2.5;\n}\n`);
    const main = write("proj/main.ts", `import { twice } from "./lib.ts";\nconsole.log(twice(2));\n`);
    const other = write("proj/other.ts", `const bad: number = "no";\nconsole.log(bad);\n`);
    const rs = compileEntries([main, other]);
    const m = rs.get(main)!;
    expect(m.diagnostics.map((d) => [d.file, d.code])).toEqual([[lib, "TSION1003"]]);
    expect(rs.get(other)!.diagnostics.map((d) => [d.file, d.code])).toEqual([[other, "TS2322"]]);
  });

  it("never throws on arbitrary broken input", () => {
    const file = write("garbage.ts", "function (((( {{ ]] const = ;\n\u0000\n");
    const r = compileFile(file);
    expect(r.ion).toBeUndefined();
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics.every((d) => d.code !== Codes.InternalError.code)).toBe(true);
  });
});
