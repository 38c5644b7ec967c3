/**
 * The compiler test corpus: enumerates the programs under programs/ and reads
 * their recorded Node results. A program is either `programs/NAME.ts` or a
 * folder `programs/NAME/` with an entry `main.ts`; its recording sits next to
 * the entry as `NAME.expected.json` (`main.expected.json` in a folder).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const CORPUS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const PROGRAMS_DIR = path.join(CORPUS_DIR, "programs");
export const REJECTED_DIR = path.join(CORPUS_DIR, "rejected");
export const REPO_ROOT = path.resolve(CORPUS_DIR, "../..");

export interface Recorded {
  stdout: string;
  /** What the program wrote to stderr (console.error, runtime failures `tsion: FILE:LINE: …`). */
  stderr: string;
  status: number;
}

export interface CorpusProgram {
  /** file name without `.ts`, or the folder name */
  name: string;
  /** absolute path of the entry module */
  entry: string;
  /** absolute path of the recorded Node result */
  expectedPath: string;
  /** program arguments from a `// @args: [...]` header line */
  args: string[];
}

/** `// @args: ["a", "-n"]` on one of the first lines gives the program arguments. */
export function parseArgsHeader(source: string): string[] {
  const m = /^\/\/ @args: (\[.*\])\s*$/m.exec(source.split("\n").slice(0, 5).join("\n"));
  if (!m) return [];
  const parsed: unknown = JSON.parse(m[1]!);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === "string")) {
    throw new Error(`bad @args header: ${m[0]}`);
  }
  return parsed as string[];
}

export function listCorpus(): CorpusProgram[] {
  const out: CorpusProgram[] = [];
  for (const ent of fs.readdirSync(PROGRAMS_DIR, { withFileTypes: true })) {
    if (ent.isDirectory()) {
      const entry = path.join(PROGRAMS_DIR, ent.name, "main.ts");
      if (!fs.existsSync(entry)) continue;
      out.push(program(ent.name, entry, path.join(PROGRAMS_DIR, ent.name, "main.expected.json")));
    } else if (ent.name.endsWith(".ts")) {
      const name = ent.name.slice(0, -3);
      out.push(program(name, path.join(PROGRAMS_DIR, ent.name), path.join(PROGRAMS_DIR, `${name}.expected.json`)));
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function program(name: string, entry: string, expectedPath: string): CorpusProgram {
  return { name, entry, expectedPath, args: parseArgsHeader(fs.readFileSync(entry, "utf8")) };
}

export function readRecorded(p: CorpusProgram): Recorded | undefined {
  if (!fs.existsSync(p.expectedPath)) return undefined;
  const r = JSON.parse(fs.readFileSync(p.expectedPath, "utf8")) as Recorded;
  if (typeof r.stdout !== "string" || typeof r.stderr !== "string" || typeof r.status !== "number") throw new Error(`malformed ${p.expectedPath}`);
  return r;
}

/** The minimal environment every corpus run gets (Node, ion-sim and real ion alike). */
export function minimalEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8" };
}
