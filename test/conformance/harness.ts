/**
 * Runs one ion-conformance case through ion-sim following the harness rules
 * that come with the cases (docs/ion-sim.md): fresh temp dir as cwd, `files`
 * created, script copied under its own name, env = PATH + LANG=C.UTF-8 + case
 * env, empty stdin.
 *
 * The cases are recorded from real ion and live outside this repository, in
 * `ion-conformance/cases` of the steering checkout next to it
 * (`ION_CONFORMANCE_DIR` overrides the location).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runIonInDir } from "../ion-sim/run.ts";

export const CASES_DIR = process.env.ION_CONFORMANCE_DIR
  ? path.resolve(process.env.ION_CONFORMANCE_DIR)
  : path.resolve(import.meta.dirname, "../../../shared/ion-conformance/cases");

/** Why the cases cannot be read ("" when they can). */
export function casesMissing(): string {
  return fs.existsSync(CASES_DIR) ? "" : `ion-conformance cases not found at ${CASES_DIR} (set ION_CONFORMANCE_DIR)`;
}

export interface CaseSpec {
  stdout: string;
  status: number;
  stderr_contains?: string[];
  env?: Record<string, string>;
  files?: Record<string, string>;
  tags: string[];
}

export function listCases(): string[] {
  if (casesMissing() !== "") return [];
  return fs
    .readdirSync(CASES_DIR)
    .filter((f) => f.endsWith(".ion"))
    .map((f) => f.slice(0, -4))
    .sort();
}

export function loadCase(name: string): { script: string; spec: CaseSpec } {
  const script = fs.readFileSync(path.join(CASES_DIR, name + ".ion"), "utf8");
  const spec = JSON.parse(fs.readFileSync(path.join(CASES_DIR, name + ".json"), "utf8")) as CaseSpec;
  return { script, spec };
}

export function runCase(name: string): { stdout: string; stderr: string; status: number; spec: CaseSpec } {
  const { script, spec } = loadCase(name);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ion-sim-case-"));
  try {
    for (const [rel, content] of Object.entries(spec.files ?? {})) {
      const p = path.join(dir, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content, "utf8");
    }
    fs.copyFileSync(path.join(CASES_DIR, name + ".ion"), path.join(dir, name + ".ion"));
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8", ...(spec.env ?? {}) };
    return { ...runIonInDir(script, dir, { fileName: name + ".ion", env }), spec };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
