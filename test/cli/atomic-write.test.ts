// writeFileAtomic in-process: the destination is replaced whole or not at all.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../compiler/src/cli/atomic-write.ts";
import { CliError } from "../../compiler/src/cli/errors.ts";
import { cleanupProjects, listTree, makeProject, modeOf } from "./helpers.ts";

afterAll(cleanupProjects);

describe("writeFileAtomic", () => {
  it("creates parent directories and sets the exact mode despite the umask", () => {
    const dir = makeProject();
    const dest = path.join(dir, "a", "b", "x.ion");
    const old = process.umask(0o077);
    try {
      writeFileAtomic(dest, "echo hi\n", 0o755);
    } finally {
      process.umask(old);
    }
    expect(fs.readFileSync(dest, "utf8")).toBe("echo hi\n");
    expect(modeOf(dest)).toBe(0o755);
    expect(listTree(path.join(dir, "a", "b"))).toEqual(["x.ion"]);
  });

  it("replaces an existing file", () => {
    const dir = makeProject();
    const dest = path.join(dir, "x.ion");
    fs.writeFileSync(dest, "old", { mode: 0o600 });
    writeFileAtomic(dest, "new", 0o644);
    expect(fs.readFileSync(dest, "utf8")).toBe("new");
    expect(modeOf(dest)).toBe(0o644);
  });

  it("on failure leaves no temporary file and reports a CliError", () => {
    const dir = makeProject();
    const dest = path.join(dir, "taken");
    fs.mkdirSync(dest);
    fs.writeFileSync(path.join(dest, "inside"), "keep");
    let caught: unknown;
    try {
      writeFileAtomic(dest, "data", 0o755);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CliError);
    expect((caught as CliError).message).toMatch(/^cannot write .*taken: /);
    expect(listTree(dir)).toEqual(["taken", path.join("taken", "inside")]);
  });
});
