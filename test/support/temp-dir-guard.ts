/**
 * vitest globalSetup: the whole test run gets one temporary directory of its
 * own (TMPDIR, inherited by every worker and every process a test starts),
 * and at the end it must be empty: a suite that leaves a temporary file or
 * directory behind makes the run exit non-zero, naming what it left. The directory is removed either
 * way, so nothing is left in the machine's temp directory.
 *
 * Kept: tsx's compile cache (tsx-<uid>), which the CLI's launcher reuses
 * within the run. The directory is world-writable with the sticky bit, like
 * /tmp, for tests that run the CLI as another user.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const CACHES = /^tsx-\d+$/;

export default function setup(): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-test-run-"));
  fs.chmodSync(dir, 0o1777);
  process.env.TMPDIR = dir;
  return () => {
    const left = fs.readdirSync(dir).filter((name) => !CACHES.test(name));
    fs.rmSync(dir, { recursive: true, force: true });
    if (left.length > 0) {
      // vitest only logs an error thrown here; the run must fail.
      console.error(`\ntemp-dir-guard: the test run left ${left.length} temporary files or directories behind: ${left.sort().join(", ")}\n`);
      process.exitCode = 1;
    }
  };
}
