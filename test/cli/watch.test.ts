// `tsion build --watch`: rebuilds on change, survives errors, stops cleanly on SIGINT.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanupProjects, compilerPresent, compilerSkipReason, makeProject, spawnTsion } from "./helpers.ts";

afterAll(cleanupProjects);
if (!compilerPresent) console.warn(`test/cli/watch.test.ts skipped: ${compilerSkipReason}`);

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!compilerPresent)("tsion build --watch", () => {
  it("rebuilds after a change, keeps running after an error, exits 0 on SIGINT", async () => {
    const dir = makeProject("project");
    const child = spawnTsion(["build", "--watch"], dir);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
    const watching = () => (stdout.match(/Watching for file changes\./g) ?? []).length;
    const hello = path.join(dir, "dist", "ion", "hello.ion");
    const src = path.join(dir, "guest-scripts", "hello.ts");
    try {
      await until("first build", () => watching() >= 1);
      expect(fs.readFileSync(hello, "utf8")).toContain("hello from tsion");

      fs.writeFileSync(src, 'const n: number = "oops";\nconsole.log(n);\n');
      await until("error report", () => /error TS2322/.test(stderr) && watching() >= 2);
      expect(stdout).toContain("Build finished with errors. Watching for file changes.");
      expect(fs.readFileSync(hello, "utf8")).toContain("hello from tsion");

      fs.writeFileSync(src, 'console.log("changed text");\n');
      await until("rebuild", () => fs.readFileSync(hello, "utf8").includes("changed text"), 30_000);
      await until("watch message", () => /Build succeeded\. Watching/.test(stdout.split("changed").pop() ?? stdout));
    } finally {
      child.kill("SIGINT");
    }
    const result = await child;
    expect(result.exitCode).toBe(0);
  });
});
