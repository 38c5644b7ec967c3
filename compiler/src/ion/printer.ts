/**
 * Prints the Ion tree. Rules that keep generated code away from Ion's sharp
 * edges (docs/ion-lowering.md): `else` and `end` always alone on their line
 * (keywords match by prefix: `else echo x` is `else`), two-space indentation, no trailing spaces.
 *
 * An `if` without `else` whose body is one command (after any `export`
 * lines, which always succeed) prints as one chain, `COND && CMD`:
 * `test "${l_n}" -lt 0 && export TSION_R = -1 && return`. Chains run left
 * to right with equal precedence (extra/chain_statements), so the command
 * runs exactly when the whole condition holds; and ion/names.ts makes a
 * block and a chain equivalent (every variable exists before either runs).
 * A command that is itself an `||` chain would change the meaning, so that
 * body stays a block.
 */
import type { IonStmt } from "./ast.ts";
import { readIon } from "./reader.ts";

/** The one-line form of an `if` (see the module comment), or undefined. */
export function chainedIf(s: IonStmt): string | undefined {
  if (s.kind !== "if" || s.branches.length !== 1 || (s.otherwise && s.otherwise.length > 0)) return undefined;
  const body = s.branches[0].body.filter((b) => b.kind !== "marker" && b.kind !== "comment");
  if (body.length === 0 || body.length > 2 || body.some((b) => b.kind !== "line")) return undefined;
  const texts = body.map((b) => (b as { text: string }).text);
  if (texts.slice(0, -1).some((t) => !/^export [A-Za-z_][A-Za-z0-9_]* = /.test(t))) return undefined;
  if (texts.some((t) => readIon(t).some((st) => st.ops.includes("||")))) return undefined;
  return [s.branches[0].cond, ...texts].join(" && ");
}

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
      case "if": {
        const chained = chainedIf(s);
        if (chained !== undefined) {
          out.push(pad + chained);
          break;
        }
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
      }
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
