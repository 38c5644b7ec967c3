/**
 * tsion/runtime keeps one declaration, one Node implementation and one Ion
 * lowering per primitive: the same names in index.ts and ion-lowering.ts
 * (LOWERINGS, or CONDITION_LOWERINGS for boolean results), each with a doc
 * comment.
 */
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import * as runtime from "../../runtime-shims/runtime/index.ts";
import { CONDITION_LOWERINGS, LOWERINGS } from "../../runtime-shims/runtime/ion-lowering.ts";
import { RUNTIME_INDEX } from "../../compiler/src/compile.ts";

describe("tsion/runtime", () => {
  it("every exported primitive has an Ion lowering and every lowering a primitive", () => {
    const exported = Object.entries(runtime)
      .filter(([, v]) => typeof v === "function")
      .map(([k]) => k)
      .sort();
    const lowered = [...Object.keys(LOWERINGS), ...Object.keys(CONDITION_LOWERINGS)];
    expect(new Set(lowered).size, "a primitive lowered twice").toBe(lowered.length);
    expect(exported).toEqual(lowered.sort());
    expect(exported).toEqual(
      ["appendFile", "args", "capture", "commandExists", "env", "exists", "exit", "isDir", "isFile", "listDir", "readFile", "remove", "run", "sleep", "writeFile"].sort(),
    );
  });

  it("every primitive has a doc comment on its declaration", () => {
    const src = fs.readFileSync(RUNTIME_INDEX, "utf8");
    for (const name of [...Object.keys(LOWERINGS), ...Object.keys(CONDITION_LOWERINGS)]) {
      expect(src, name).toMatch(new RegExp(`\\*/\\s*export function ${name}\\(`));
    }
  });
});
