// `tsion init`: what it creates, what it keeps, how it merges package.json,
// and that a failure leaves the directory as it was. The whole workflow from
// the packed tarball (tsc, build, test) is test/package/tarball.test.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanupProjects, listTree, makeProject, repoRoot, tsion } from "./helpers.ts";

afterAll(cleanupProjects);

const TEMPLATE = path.join(repoRoot, "templates", "init");
const CREATED = [".gitignore", "guest-scripts/lib/netcfg.ts", "guest-scripts/network-ready.ts", "scenarios/dhcp-lease.toml", "scenarios/no-adapter.toml", "tsconfig.json"];

describe("tsion init", () => {
  it("creates the project in a new directory: template files, package.json with the scripts and dev dependencies", async () => {
    const parent = makeProject();
    const r = await tsion(["init", "my-scripts"], { cwd: parent });
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    const dir = path.join(parent, "my-scripts");
    expect(listTree(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile())).toEqual([...CREATED, "package.json"].sort());
    for (const f of CREATED) {
      const source = f === ".gitignore" ? "gitignore" : f;
      expect(fs.readFileSync(path.join(dir, f), "utf8")).toBe(fs.readFileSync(path.join(TEMPLATE, source), "utf8"));
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    const own = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string; devDependencies: Record<string, string> };
    expect(pkg).toEqual({
      name: "my-scripts",
      version: "0.1.0",
      private: true,
      type: "module",
      scripts: { build: "tsion build", test: "tsion test", check: "tsc --noEmit && tsion check" },
      devDependencies: { tsion: `^${own.version}`, typescript: own.devDependencies.typescript },
    });
    expect(r.stdout).toContain("created my-scripts/guest-scripts/network-ready.ts\n");
    expect(r.stdout).toContain("  cd my-scripts\n  npm install");
  });

  it("keeps existing files and adds only the scripts package.json lacks", async () => {
    const dir = makeProject();
    fs.mkdirSync(path.join(dir, "guest-scripts"));
    fs.writeFileSync(path.join(dir, "guest-scripts", "network-ready.ts"), "// mine\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "x", scripts: { test: "vitest" }, dependencies: { a: "1" } }));
    const r = await tsion(["init"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("kept guest-scripts/network-ready.ts (exists)\n");
    expect(r.stdout).toContain("added the scripts build, check to package.json\n");
    expect(fs.readFileSync(path.join(dir, "guest-scripts", "network-ready.ts"), "utf8")).toBe("// mine\n");
    expect(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))).toEqual({
      name: "x",
      scripts: { test: "vitest", build: "tsion build", check: "tsc --noEmit && tsion check" },
      dependencies: { a: "1" },
    });
    const again = await tsion(["init"], { cwd: dir });
    expect(again.stdout).toContain("package.json already has the scripts build, test, check\n");
  });

  it("a failure undoes what it created and leaves package.json as it was (exit 2)", async () => {
    const dir = makeProject();
    fs.writeFileSync(path.join(dir, "package.json"), '{ "name": "x" }\n');
    fs.writeFileSync(path.join(dir, "scenarios"), "a file where a directory goes\n");
    const before = listTree(dir);
    const r = await tsion(["init"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe("tsion: error: cannot create directory scenarios: file exists\n");
    expect(listTree(dir)).toEqual(before);
    expect(fs.readFileSync(path.join(dir, "package.json"), "utf8")).toBe('{ "name": "x" }\n');
  });

  it("refuses an unparsable package.json before writing anything (exit 2)", async () => {
    const dir = makeProject();
    fs.writeFileSync(path.join(dir, "package.json"), "{ nope");
    const r = await tsion(["init"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^tsion: error: cannot parse package\.json: /);
    expect(listTree(dir)).toEqual(["package.json"]);
  });
});
