/**
 * The external programs a script can run (compiler/src/ion/commands.ts):
 * on the compile result, in `tsion build`'s summary and in
 * <out>/commands.json, which `tsion pack` and image checks read.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileEntries } from "../../compiler/src/compile.ts";
import { cleanupProjects, makeProject, tsion } from "../cli/helpers.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-commands-"));
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  cleanupProjects();
});

function compile(src: string): ReturnType<typeof compileEntries> extends Map<string, infer R> ? R : never {
  const file = path.join(dir, `p${fs.readdirSync(dir).length}.ts`);
  fs.writeFileSync(file, src);
  return compileEntries([file], { cwd: dir }).get(file)!;
}

describe("external commands of a script", () => {
  it("lists the programs of runtime primitives and of run()/capture() with literal names, sorted, once each (listDir runs none)", () => {
    const r = compile(
      [
        'import { capture, listDir, readFile, remove, run, sleep } from "tsion/runtime";',
        'console.log(readFile("a.txt"), listDir(".").length, remove("b"));',
        'run("mkdir", "-p", "x");',
        'console.log(capture("uname", "-r"), capture("uname"));',
        "sleep(1);",
      ].join("\n"),
    );
    expect(r.diagnostics).toEqual([]);
    const file = path.basename([...fs.readdirSync(dir)].sort().at(-1)!);
    expect(r.externalCommands).toEqual([
      { name: "cat", optional: false, from: "readFile()" },
      { name: "mkdir", optional: false, from: `${file}:3` },
      { name: "rm", optional: false, from: "remove()" },
      { name: "sleep", optional: true, from: "sleep()" },
      { name: "uname", optional: false, from: `${file}:4` },
    ]);
  });

  it("marks a program named only at run time as computed, and a script that runs nothing has an empty list", () => {
    const r = compile('import { args, run } from "tsion/runtime";\nconst a = args();\nif (a.length > 0) run(a[0]);\n');
    expect(r.externalCommands).toEqual([{ name: "<computed>", optional: false, from: expect.stringMatching(/:3$/), computed: true }]);
    expect(compile('console.log("hi");\n').externalCommands).toEqual([]);
  });

  it("is the same list on every compile (deterministic)", () => {
    const file = path.join(dir, "same.ts");
    fs.writeFileSync(file, 'import { readFile, run } from "tsion/runtime";\nrun("b");\nrun("a");\nconsole.log(readFile("x"));\n');
    const once = compileEntries([file], { cwd: dir }).get(file)!.externalCommands;
    expect(compileEntries([file], { cwd: dir }).get(file)!.externalCommands).toEqual(once);
    expect(once!.map((c) => c.name)).toEqual(["a", "b", "cat"]);
  });

  it("tsion build prints one line per script and writes <out>/commands.json; a script not rewritten keeps its entry", async () => {
    const project = makeProject("project");
    fs.writeFileSync(path.join(project, "guest-scripts", "files.ts"), 'import { readFile } from "tsion/runtime";\nconsole.log(readFile("/etc/hostname"));\n');
    const r = await tsion(["build"], { cwd: project });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^files\.ion runs cat$/m);
    expect(r.stdout).toMatch(/^hello\.ion runs no external program$/m);
    const file = path.join(project, "dist", "ion", "commands.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as { scripts: Record<string, unknown[]> };
    expect(json.scripts["files.ion"]).toEqual([{ name: "cat", optional: false, from: "readFile()" }]);
    expect(json.scripts["hello.ion"]).toEqual([]);
    // files.ts breaks: its old .ion stays, and so does its entry
    fs.writeFileSync(path.join(project, "guest-scripts", "files.ts"), 'const x: number = "no";\n');
    const again = await tsion(["build"], { cwd: project });
    expect(again.exitCode).toBe(1);
    expect((JSON.parse(fs.readFileSync(file, "utf8")) as { scripts: Record<string, unknown[]> }).scripts["files.ion"]).toEqual(json.scripts["files.ion"]);
  }, 60_000);
});
