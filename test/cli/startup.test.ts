// What `tsion --help`, `tsion compile` and `tsion check` load: commands are
// registered with their options, and their implementations imported only when
// they run. So no execa (its colour library makes Node warn when NO_COLOR and
// FORCE_COLOR are both set), no networking, VM or packing code. Counted, not
// timed: `npm run bench` has no place for a flaky timing here.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { bin, cleanupProjects, makeProject, repoRoot } from "./helpers.ts";

afterAll(cleanupProjects);

const recorder = path.join(path.dirname(fileURLToPath(import.meta.url)), "support", "record-loads.mjs");

/** The repository files and packages a CLI run loaded. */
async function loaded(args: string[], cwd: string): Promise<{ exitCode: number; modules: string[] }> {
  const log = path.join(makeProject(), "loaded.txt");
  const r = await execa("node", ["--import", recorder, bin, ...args], { cwd, reject: false, env: { TSION_LOADED_LOG: log, NO_COLOR: "1" } });
  const urls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
  const modules = [...new Set(urls.filter((u) => u.startsWith("file:")).map((u) => path.relative(repoRoot, fileURLToPath(u))))];
  return { exitCode: r.exitCode ?? -1, modules };
}

const NEVER_AT_START = [/^node_modules\/execa\//, /^node_modules\/yoctocolors\//, /^host\/net\/(?!cli\.ts$)/, /^host\/vm\/(?!cli\.ts$|defaults\.ts$)/, /^pack\/(?!cli\.ts$|network-config\.ts$)/];

describe("startup: what a command loads", () => {
  it("--help loads no command's implementation and no compiler", async () => {
    const { exitCode, modules } = await loaded(["--help"], repoRoot);
    expect(exitCode).toBe(0);
    expect(modules).toContain("compiler/src/cli/index.ts");
    expect(modules.filter((m) => NEVER_AT_START.some((re) => re.test(m)))).toEqual([]);
    expect(modules.filter((m) => m.startsWith("node_modules/ts-morph/") || m === "compiler/src/compile.ts")).toEqual([]);
  });

  it("compile and check load the compiler, and nothing of net, vm or pack", async () => {
    const dir = makeProject("project");
    for (const args of [["compile", "guest-scripts/hello.ts"], ["check"]]) {
      const { exitCode, modules } = await loaded(args, dir);
      expect(exitCode, args.join(" ")).toBe(0);
      expect(modules).toContain("compiler/src/compile.ts");
      expect(modules.filter((m) => NEVER_AT_START.some((re) => re.test(m)))).toEqual([]);
    }
  });

  it("the recorder sees a lazily loaded command (net loads execa)", async () => {
    const { modules } = await loaded(["net", "show", "--config", "nope.toml"], repoRoot);
    expect(modules.some((m) => m.startsWith("node_modules/execa/"))).toBe(true);
    expect(modules).toContain("host/net/cli-actions.ts");
  });
});
