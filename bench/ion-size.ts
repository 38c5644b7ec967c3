/**
 * bench section: the size of the generated Ion.
 *
 *  a. Per guest script: TypeScript lines of reachable code (function bodies
 *     and top-level statements) against the Ion lines generated for them,
 *     outside the runtime helpers (the prelude); blank and comment lines do
 *     not count on either side. Target: at most 2x.
 *  b. Before/after in the same run: the guest scripts of the baseline
 *     revision (BENCH_BASELINE, default the commit before the lean-Ion work)
 *     compiled by that revision's compiler and by today's. Skipped with a
 *     note without git or the revision.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";

type Table = (headers: string[], rows: string[][]) => string;

interface Compiled {
  ion?: string;
  stats?: { tsLines: number; ionLines: number; preludeLines: number; functions: number };
}
type CompileEntries = (entries: string[], options?: { cwd?: string }) => Map<string, Compiled>;

const TARGET = 2;
/** The last commit before issues 7 and 8 changed the lowering. */
const BASELINE = process.env.BENCH_BASELINE ?? "47e55ec";

function entriesOf(dir: string): string[] {
  return fs
    .readdirSync(path.join(dir, "guest-scripts"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .sort()
    .map((f) => path.join(dir, "guest-scripts", f));
}

const lineCount = (text: string) => text.split("\n").length - (text.endsWith("\n") ? 1 : 0);

/** Code lines of the program's own functions (every `fn` but the runtime helpers f_rt_*), measured the same way for any compiler. */
function programCodeLines(ion: string): number {
  let inProgram = false;
  let n = 0;
  for (const l of ion.split("\n")) {
    const m = /^fn (\S+)/.exec(l);
    if (m) inProgram = !m[1].startsWith("f_rt_");
    if (inProgram && l.trim() !== "" && !l.trim().startsWith("#")) n++;
    if (l === "end") inProgram = false;
  }
  return n;
}

async function load(root: string): Promise<CompileEntries> {
  return ((await import(pathToFileURL(path.join(root, "compiler", "src", "compile.ts")).href)) as { compileEntries: CompileEntries }).compileEntries;
}

export async function benchIonSize(root: string, table: Table): Promise<void> {
  console.log("\n7. generated Ion size (lines of code: no blank or comment lines)\n");
  const compileEntries = await load(root);
  const results = compileEntries(entriesOf(root), { cwd: root });
  const rows: string[][] = [];
  let ts = 0;
  let ion = 0;
  for (const [entry, r] of results) {
    const name = path.basename(entry, ".ts");
    if (!r.stats || r.ion === undefined) {
      rows.push([name, "-", "-", "not compiled", "-", "-", "-"]);
      continue;
    }
    ts += r.stats.tsLines;
    ion += r.stats.ionLines;
    rows.push([name, String(r.stats.tsLines), String(r.stats.ionLines), `${(r.stats.ionLines / r.stats.tsLines).toFixed(2)}x`, String(r.stats.preludeLines), String(lineCount(r.ion)), String(r.stats.functions)]);
  }
  console.log(table(["script", "TS lines (reachable)", "Ion lines (outside prelude)", "ratio", "prelude lines", "total lines", "functions"], rows));
  if (ts > 0) console.log(`\n   all scripts: ${(ion / ts).toFixed(2)}x generated lines per TypeScript line (target <= ${TARGET}x: ${ion / ts <= TARGET ? "met" : "NOT met"})`);
  await beforeAfter(root, compileEntries, table);
}

async function beforeAfter(root: string, current: CompileEntries, table: Table): Promise<void> {
  console.log(`\n   before/after: guest scripts at ${BASELINE}, compiled by the compiler at ${BASELINE} and by today's`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-bench-size-"));
  try {
    const archive = await execa("git", ["-C", root, "archive", "--format=tar", BASELINE, "compiler", "runtime-shims/runtime", "guest-scripts", "package.json"], { encoding: "buffer", reject: false });
    if (archive.exitCode !== 0) {
      console.log(`   skipped: git archive ${BASELINE} failed (${String(archive.stderr).split("\n")[0]})`);
      return;
    }
    await execa("tar", ["-x", "-C", tmp], { input: archive.stdout });
    fs.symlinkSync(path.join(root, "node_modules"), path.join(tmp, "node_modules"));
    const old = (await load(tmp))(entriesOf(tmp), { cwd: tmp });
    const now = current(entriesOf(tmp), { cwd: tmp });
    const rows: string[][] = [];
    for (const [entry, before] of old) {
      const after = now.get(entry);
      const name = path.basename(entry, ".ts");
      if (before.ion === undefined || after?.ion === undefined) {
        rows.push([name, "-", "-", "-", "-", "not compiled"]);
        continue;
      }
      const [b, a] = [before.ion, after.ion];
      // The size ratio of section 7, where the baseline's compiler reports it.
      const ratio = (r: Compiled) => (r.stats ? `${(r.stats.ionLines / r.stats.tsLines).toFixed(2)}x` : "-");
      rows.push([name, String(lineCount(b)), String(lineCount(a)), String(programCodeLines(b)), String(programCodeLines(a)), ratio(before), ratio(after!), `${(100 * (1 - lineCount(a) / lineCount(b))).toFixed(0)}% fewer lines`]);
    }
    console.log(table(["script", "total before", "total after", "program code before", "program code after", "ratio before", "ratio after", "change"], rows));
  } catch (e) {
    console.log(`   skipped: ${(e as Error).message.split("\n")[0]}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
