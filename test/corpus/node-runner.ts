/**
 * Runs a corpus program under Node the way the recordings are made:
 * `tsx ENTRY ARGS...` in a fresh empty temp dir, minimal env, stdin /dev/null.
 * The entry stays in the repo so `tsion/runtime` resolves by package self-reference.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";
import { minimalEnv, REPO_ROOT, type Recorded } from "./corpus.ts";

const TSX_BIN = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");

export async function runOnNode(entry: string, args: string[]): Promise<Recorded & { stderr: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-corpus-node-"));
  try {
    const r = await execa(TSX_BIN, [entry, ...args], {
      cwd: dir,
      env: minimalEnv(),
      extendEnv: false,
      stdin: "ignore",
      reject: false,
      stripFinalNewline: false,
      timeout: 60_000,
    });
    if (r.timedOut) throw new Error(`${entry}: timed out under Node`);
    const status = r.exitCode ?? 128 + (r.signal ? (os.constants.signals[r.signal] ?? 0) : 0);
    return { stdout: r.stdout, status, stderr: r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Map with bounded concurrency (each Node run is a separate process). */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
