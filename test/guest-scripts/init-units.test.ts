// The init units follow the init formats of redox-guest-networking.md §5 and never block boot.
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "smol-toml";

const INIT = path.resolve(import.meta.dirname, "../../guest-scripts/init");
const ENTRY_DIR = path.resolve(import.meta.dirname, "../../guest-scripts");

/** The entry script a unit runs, from `/usr/bin/<name>`. */
function entryExists(usrBinPath: string): boolean {
  const name = usrBinPath.replace(/^\/usr\/bin\//, "");
  return fs.existsSync(path.join(ENTRY_DIR, `${name}.ts`));
}

describe("current init: 16_netcfg.service", () => {
  const unit = parse(fs.readFileSync(path.join(INIT, "current/16_netcfg.service"), "utf8")) as Record<string, Record<string, unknown>>;

  it("has only the sections and keys init knows (unknown keys are errors)", () => {
    expect(Object.keys(unit).sort()).toEqual(["service", "unit"]);
    for (const k of Object.keys(unit.unit!)) expect(["description", "requires_weak", "default_dependencies"]).toContain(k);
    for (const k of Object.keys(unit.service!)) expect(["cmd", "args", "envs", "inherit_envs", "type"]).toContain(k);
  });
  it("starts after netstack without blocking boot", () => {
    expect(unit.unit!.requires_weak).toEqual(["10_smolnetd.service"]);
    expect(unit.service!.type).toBe("oneshot_async");
  });
  it("runs an existing script through ion from /usr/bin", () => {
    expect(unit.service!.cmd).toBe("ion");
    const args = unit.service!.args as string[];
    expect(args).toHaveLength(1);
    expect(entryExists(args[0]!)).toBe(true);
  });
});

describe("init.rc era: 16_netcfg", () => {
  const lines = fs.readFileSync(path.join(INIT, "init-rc/16_netcfg"), "utf8").split("\n").filter((l) => l !== "");

  it("is one nowait line, split on single spaces, with no shell syntax", () => {
    expect(lines).toHaveLength(1);
    const words = lines[0]!.split(" ");
    expect(words[0]).toBe("nowait");
    expect(words[1]).toBe("ion");
    expect(entryExists(words[2]!)).toBe(true);
    expect(lines[0]).not.toMatch(/[|&;<>"'#$]/);
  });
});

it("keeps one folder per init era (they must not be installed together)", () => {
  expect(fs.readdirSync(INIT).sort()).toEqual(["current", "init-rc"]);
});
