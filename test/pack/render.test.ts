// The renderers on their own, with hostile file contents: TOML parsed back with
// smol-toml, JSON parsed back, byte for byte.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parse } from "smol-toml";
import type { GuestFileSet } from "../../pack/file-set.ts";
import { renderJson } from "../../pack/render-json.ts";
import { literalAllowed, renderRedoxToml, tomlString } from "../../pack/render-toml.ts";
import { ALL_CONTROLS, HOSTILE } from "./hostile.ts";

function setOf(contents: string[]): GuestFileSet {
  return {
    config: { mode: "auto", label: "cloud-hypervisor", init: "current" },
    files: contents.map((content, i) => ({ path: `f/${String(i).padStart(3, "0")}`, mode: i % 2 === 0 ? 0o644 : 0o755, content })),
  };
}

describe("redox-toml", () => {
  it("every data string parses back to the exact content, with path and integer mode", () => {
    const set = setOf([...HOSTILE, ALL_CONTROLS, `${ALL_CONTROLS}\n${ALL_CONTROLS}`]);
    const doc = parse(renderRedoxToml(set, "0.0.0")) as { files: { path: string; mode: number; data: string }[] };
    expect(doc.files).toHaveLength(set.files.length);
    doc.files.forEach((entry, i) => {
      const f = set.files[i]!;
      expect(entry).toEqual({ path: `/${f.path}`, mode: f.mode, data: f.content });
    });
  });

  it("any string at all survives (property test, 500 cases)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (s) => {
        const doc = parse(`x = ${tomlString(s)}\n`) as { x: string };
        expect(doc.x).toBe(s);
      }),
      { numRuns: 500 },
    );
  });

  it("uses a literal string where TOML allows it, a basic string otherwise", () => {
    expect(tomlString("ion\nscript \\ with backslash\n")).toBe("'''\nion\nscript \\ with backslash\n'''");
    expect(literalAllowed("a\tb\n")).toBe(true);
    for (const s of ["a\rb\n", "a'''b\n", "ends'", "esc\u001b\n", "del\u007f\n"]) expect(literalAllowed(s)).toBe(false);
    expect(tomlString("esc\u001b\nline\n")).toBe('"""\nesc\\u001B\nline\n"""');
    expect(tomlString("172.16.0.2\n")).toBe('"172.16.0.2\\n"');
  });

  it("writes the mode as an octal integer", () => {
    const text = renderRedoxToml(setOf(["a\n", "b\n"]), "0.0.0");
    expect(text).toContain("mode = 0o644\n");
    expect(text).toContain("mode = 0o755\n");
  });
});

describe("json", () => {
  it("maps each path to its mode string and exact content, paths in order", () => {
    const set = setOf([...HOSTILE, ALL_CONTROLS]);
    const out = JSON.parse(renderJson(set)) as Record<string, { mode: string; content: string }>;
    expect(Object.keys(out)).toEqual(set.files.map((f) => f.path));
    for (const f of set.files) expect(out[f.path]).toEqual({ mode: f.mode === 0o755 ? "0755" : "0644", content: f.content });
  });
});
