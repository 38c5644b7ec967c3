/**
 * The external programs a generated script can run, read from the script
 * itself (every command constructs.ts recognises as `external`), so packing
 * can check that an image provides them:
 *
 *   - from runtime helpers: readFile → cat, remove → rm,
 *     sleep → sleep (optional: f_rt_sleep probes it with `exists -b sleep`
 *     and falls back without it);
 *   - from run() / capture(): the program named by the call (a name only known
 *     at run time is listed as computed).
 *
 * A program is optional when every place that runs it sits in a function
 * that first checks for it with `exists -b NAME` (commandExists(), sleep's
 * probe), not merely to stop with "command not found" (run()/capture()).
 */
import { bare, construct } from "./constructs.ts";
import { readIon, type Statement, type Word } from "./reader.ts";

export interface ExternalCommand {
  /** The program's name; `<computed>` when it is only known at run time. */
  name: string;
  /** The script runs without it (it checks first). */
  optional: boolean;
  /** Where it is run: a runtime primitive such as `readFile()`, or `path.ts:LINE` of a run()/capture(). */
  from: string;
  /** The name is computed at run time, so nobody can check it in advance. */
  computed?: true;
}

/** Runtime helpers (prelude.ts) and the guest API primitive each implements. */
const HELPER_PRIMITIVE: Record<string, string> = {
  f_rt_read_file: "readFile()",
  f_rt_remove: "remove()",
  f_rt_sleep: "sleep()",
};

const EXTERNAL = construct("external").command!;
/** `a.ts:4` before `a.ts:10`. */
const NATURAL = new Intl.Collator("en", { numeric: true });

/** The program a command word names, or undefined when it is computed. */
function programName(w: Word): string | undefined {
  if (w.every((p) => p.k === "text" || p.k === "sq")) return w.map((p) => (p as { text: string }).text).join("");
  return undefined;
}

/** The external commands of `ion`, one entry per program, sorted by name. */
export function externalCommands(ion: string): ExternalCommand[] {
  const markers: { line: number; at: string }[] = [];
  ion.split("\n").forEach((l, i) => {
    const m = /^\s*# ([^\s:]+\.ts:\d+)$/.exec(l);
    if (m) markers.push({ line: i + 1, at: m[1] });
  });
  const uses: { name: string; computed: boolean; fn: string; line: number }[] = [];
  /** Programs each function probes with `exists -b`. */
  const probed = new Map<string, Set<string>>();
  let fn = "";
  let depth = 0;
  const visit = (stmts: Statement[]) => {
    for (const s of stmts) {
      // `exists -b NAME || f_rt_die …` requires the program (run()/capture() stop without it): not a probe.
      const required = s.commands.length === 2 && s.ops[0] === "||" && bare(s.commands[1].words[0], "f_rt_die");
      for (const c of s.commands) {
        let w = c.words;
        if (bare(w[0], "fn")) {
          fn = (w[1][0] as { text: string }).text;
          depth = 0;
        }
        if (bare(w[0], /^(if|while|for)$/)) depth++;
        if (bare(w[0], "end")) {
          if (depth === 0) fn = "";
          else depth--;
        }
        if (w.length >= 3 && (bare(w[w.length - 2], ">") || bare(w[w.length - 2], ">>"))) w = w.slice(0, -2);
        while (bare(w[0], /^(if|else|while|not)$/)) w = w.slice(1);
        for (const word of w) for (const p of word) if (p.k === "subst") visit(p.body);
        if (!required && w.length === 3 && bare(w[0], "exists") && bare(w[1], "-b")) {
          const name = programName(w[2]);
          if (name) (probed.get(fn) ?? probed.set(fn, new Set()).get(fn)!).add(name);
        }
        if (w.length === 0 || !EXTERNAL(w)) continue;
        const name = programName(w[0]);
        uses.push({ name: name ?? "<computed>", computed: name === undefined, fn, line: s.line });
      }
    }
  };
  visit(readIon(ion));
  const byName = new Map<string, ExternalCommand & { sources: Set<string> }>();
  for (const u of uses) {
    const marker = [...markers].reverse().find((m) => m.line < u.line);
    const from = HELPER_PRIMITIVE[u.fn] ?? (u.fn.startsWith("f_rt_") ? u.fn : (marker?.at ?? u.fn));
    const optional = !u.computed && (probed.get(u.fn)?.has(u.name) ?? false);
    const e = byName.get(u.name) ?? { name: u.name, optional: true, from: "", sources: new Set<string>(), ...(u.computed ? { computed: true as const } : {}) };
    e.optional &&= optional;
    e.sources.add(from);
    byName.set(u.name, e);
  }
  return [...byName.values()]
    .map(({ sources, ...e }) => ({ ...e, from: [...sources].sort(NATURAL.compare).join(", ") }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
