/**
 * Prints the Ion tree. Rules that keep generated code away from Ion's sharp
 * edges (ion-semantics.md): `else` and `end` always alone on their line (§2:
 * keywords match by prefix), two-space indentation, no trailing spaces.
 */
import type { IonStmt } from "./ast.ts";

export function printIon(stmts: IonStmt[], indent = 0): string {
  const out: string[] = [];
  print(stmts, indent, out);
  return out.join("\n");
}

function print(stmts: IonStmt[], depth: number, out: string[]): void {
  const pad = "  ".repeat(depth);
  for (const s of stmts) {
    switch (s.kind) {
      case "line":
        out.push(pad + s.text);
        break;
      case "marker":
        out.push(`${pad}# ${s.file}:${s.line}`);
        break;
      case "comment":
        for (const l of s.text.split("\n")) out.push(`${pad}# ${l}`.trimEnd());
        break;
      case "if":
        s.branches.forEach((b, i) => {
          out.push(`${pad}${i === 0 ? "if" : "else if"} ${b.cond}`);
          print(b.body, depth + 1, out);
        });
        if (s.otherwise && s.otherwise.length > 0) {
          out.push(`${pad}else`);
          print(s.otherwise, depth + 1, out);
        }
        out.push(`${pad}end`);
        break;
      case "while":
        out.push(`${pad}while ${s.cond}`);
        print(s.body, depth + 1, out);
        out.push(`${pad}end`);
        break;
      case "for":
        out.push(`${pad}for ${s.variable} in ${s.words}`);
        print(s.body, depth + 1, out);
        out.push(`${pad}end`);
        break;
      case "fn":
        if (s.doc) for (const l of s.doc.split("\n")) out.push(`${pad}# ${l}`.trimEnd());
        out.push(`${pad}fn ${[s.name, ...s.params].join(" ")}`);
        print(s.body, depth + 1, out);
        out.push(`${pad}end`);
        break;
    }
  }
}
