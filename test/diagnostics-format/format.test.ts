import { describe, expect, it } from "vitest";
import {
  codeFrame,
  colorEnabled,
  displayPath,
  formatDiagnostic,
  formatDiagnostics,
  formatSummary,
  type Diagnostic,
} from "../../compiler/src/diagnostics.ts";

const cwd = "/proj";
const src = ["let a = 1;", "const x: number = \"a\";", "\tif (eval(s)) {}", ""].join("\n");

function diag(over: Partial<Diagnostic>): Diagnostic {
  return { file: "/proj/guest-scripts/a.ts", line: 2, col: 7, length: 1, code: "TS2322", message: "Type 'string' is not assignable to type 'number'.", category: "error", ...over };
}

describe("formatDiagnostic", () => {
  it("prints a tsc-style header, the source line with its gutter and ~ under the span", () => {
    const out = formatDiagnostic(diag({}), src, { cwd, color: false });
    expect(out).toBe(
      [
        "guest-scripts/a.ts(2,7): error TS2322: Type 'string' is not assignable to type 'number'.",
        "",
        '2 const x: number = "a";',
        "        ~",
      ].join("\n"),
    );
  });

  it("underlines the whole span and prints the hint", () => {
    const out = formatDiagnostic(diag({ line: 3, col: 6, length: 4, code: "TSION1001", message: "eval is not supported", hint: "remove it" }), src, { cwd, color: false });
    const lines = out.split("\n");
    expect(lines[0]).toBe("guest-scripts/a.ts(3,6): error TSION1001: eval is not supported");
    expect(lines[2]).toBe("3 \tif (eval(s)) {}");
    // the tab before the span is kept so the marker lines up in a terminal
    expect(lines[3]).toBe("  \t    ~~~~");
    expect(lines[5]).toBe("  hint: remove it");
  });

  it("uses ^ for an empty span and clamps multi-line spans to the line end", () => {
    expect(codeFrame(diag({ line: 1, col: 5, length: 0 }), src).split("\n")[1]).toBe("      ^");
    expect(codeFrame(diag({ line: 1, col: 9, length: 100 }), src).split("\n")[1]).toBe("          ~~");
  });

  it("omits the frame when the line does not exist and the location for global diagnostics", () => {
    expect(formatDiagnostic(diag({ line: 99 }), src, { cwd, color: false }).split("\n")).toHaveLength(1);
    expect(formatDiagnostic(diag({ file: "", line: 0, col: 0 }), "", { cwd, color: false })).toBe(
      "error TS2322: Type 'string' is not assignable to type 'number'.",
    );
  });

  it("aligns the marker under a wide gutter", () => {
    const many = Array.from({ length: 120 }, (_, i) => `line${i + 1}`).join("\n");
    const frame = codeFrame(diag({ line: 110, col: 1, length: 4 }), many);
    expect(frame).toBe("110 line110\n    ~~~~");
  });

  it("colours only when asked, and never the text itself", () => {
    const plain = formatDiagnostic(diag({ hint: "h" }), src, { cwd, color: false });
    const coloured = formatDiagnostic(diag({ hint: "h" }), src, { cwd, color: true });
    expect(plain).not.toMatch(/\x1b\[/);
    expect(coloured).toMatch(/\x1b\[/);
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, "")).toBe(plain);
  });
});

describe("colorEnabled", () => {
  it("follows the TTY and NO_COLOR / FORCE_COLOR", () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({}, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
  });
});

describe("displayPath", () => {
  it("is relative to cwd with forward slashes", () => {
    expect(displayPath("/proj/guest-scripts/a.ts", "/proj")).toBe("guest-scripts/a.ts");
    expect(displayPath("guest-scripts/a.ts", "/proj")).toBe("guest-scripts/a.ts");
    expect(displayPath("/other/b.ts", "/proj")).toBe("../other/b.ts");
  });
});

describe("formatDiagnostics and the summary", () => {
  const b = "/proj/b.ts";
  const a = "/proj/a.ts";
  const list: Diagnostic[] = [
    diag({ file: b, line: 1, col: 1, message: "b1" }),
    diag({ file: a, line: 2, col: 7, message: "a2" }),
    diag({ file: a, line: 1, col: 5, message: "a1" }),
  ];

  it("sorts by file, line, column and ends with the summary", () => {
    const out = formatDiagnostics(list, (f) => (f === a ? src : "x"), { cwd, color: false });
    const headers = out.split("\n").filter((l) => /\): error /.test(l));
    expect(headers.map((h) => h.split(": ").pop())).toEqual(["a1", "a2", "b1"]);
    expect(out.trimEnd().split("\n").pop()).toBe("Found 3 errors in 2 files.");
  });

  it("shows a hint once per line when several diagnostics of the line share it", () => {
    const same = [
      diag({ file: a, line: 1, col: 5, code: "TSION1002", message: "x", hint: "H" }),
      diag({ file: a, line: 1, col: 9, code: "TSION1001", message: "y", hint: "H" }),
      diag({ file: a, line: 2, col: 1, code: "TSION1001", message: "z", hint: "H" }),
      diag({ file: a, line: 2, col: 3, code: "TSION1003", message: "w", hint: "other" }),
    ];
    const out = formatDiagnostics(same, () => undefined, { cwd, color: false });
    expect(out.split("\n").filter((l) => l.startsWith("  hint: "))).toEqual(["  hint: H", "  hint: H", "  hint: other"]);
  });

  it("leaves out the frame when the source cannot be read", () => {
    const out = formatDiagnostics([list[0]!], () => undefined, { cwd, color: false });
    expect(out).toBe("b.ts(1,1): error TS2322: b1\n\nFound 1 error in b.ts:1\n");
  });

  it("uses tsc's wording", () => {
    expect(formatSummary([], { cwd })).toBe("");
    expect(formatSummary([list[1]!, list[2]!], { cwd })).toBe("Found 2 errors in the same file, starting at: a.ts:1");
    expect(formatSummary([diag({ category: "warning" }), diag({ file: b })], { cwd })).toBe(
      "Found 1 error and 1 warning in 2 files.",
    );
  });
});
