/**
 * Conformance cases this project recorded itself from the real ion binary,
 * for the few constructs the compiler emits that the public vectors do not
 * pin (compiler/src/ion/constructs.ts cites them as `extra/NAME`).
 *
 * Same format as the public cases (NAME.ion + NAME.json with stdout, status,
 * tags, optional files and env), plus an optional `args` list: the script's
 * command-line arguments. Expected values are written by record.ts from a
 * real binary, never by hand; ion-sim must pass them too.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";
import { runIonInDir } from "../ion-sim/run.ts";

export const EXTRA_DIR = path.dirname(new URL(import.meta.url).pathname);

export interface ExtraSpec {
  /** What the case pins, in one sentence. */
  description: string;
  stdout: string;
  status: number;
  tags: string[];
  args?: string[];
  env?: Record<string, string>;
  files?: Record<string, string>;
}

export interface CaseRun {
  stdout: string;
  stderr: string;
  status: number;
}

export function listExtraCases(): string[] {
  return fs
    .readdirSync(EXTRA_DIR)
    .filter((f) => f.endsWith(".ion"))
    .map((f) => f.slice(0, -4))
    .sort();
}

export function loadExtraCase(name: string): { script: string; spec: ExtraSpec } {
  return {
    script: fs.readFileSync(path.join(EXTRA_DIR, `${name}.ion`), "utf8"),
    spec: JSON.parse(fs.readFileSync(path.join(EXTRA_DIR, `${name}.json`), "utf8")) as ExtraSpec,
  };
}

/** The harness rules of the public cases: fresh dir, files, script copied in under its name, PATH + LANG + env, stdin empty. */
async function inCaseDir<T>(name: string, spec: ExtraSpec, fn: (dir: string, env: Record<string, string>) => Promise<T> | T): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ion-extra-case-"));
  try {
    for (const [rel, content] of Object.entries(spec.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content, "utf8");
    }
    fs.copyFileSync(path.join(EXTRA_DIR, `${name}.ion`), path.join(dir, `${name}.ion`));
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8", ...(spec.env ?? {}) };
    return await fn(dir, env);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function runExtraOnIonSim(name: string): Promise<CaseRun> {
  const { script, spec } = loadExtraCase(name);
  return inCaseDir(name, spec, (dir, env) => runIonInDir(script, dir, { fileName: `${name}.ion`, args: spec.args ?? [], env }));
}

export function runExtraOnRealIon(ionBin: string, name: string): Promise<CaseRun> {
  const { spec } = loadExtraCase(name);
  return inCaseDir(name, spec, async (dir, env) => {
    const r = await execa(ionBin, [`${name}.ion`, ...(spec.args ?? [])], { cwd: dir, env, extendEnv: false, stdin: "ignore", reject: false, stripFinalNewline: false, timeout: 10_000 });
    return { stdout: r.stdout, stderr: r.stderr, status: r.exitCode ?? 128 + (r.signal ? (os.constants.signals[r.signal] ?? 0) : 0) };
  });
}
