/**
 * What the real-process sandbox needs from the machine: root, bubblewrap,
 * /dev/fuse and fusermount, and a python3 that can import fusepy.
 * `realIonMissing()` says why it cannot run (null = it can).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";

export interface RealIonTools {
  bwrap: string;
  /** a python3 that imports fusepy (Debian: module `fusepy`; pip: `fuse`) */
  python: string;
  /** fusermount3 or fusermount */
  fusermount: string;
  /** util-linux setpriv, to run non-root scenarios as a real unprivileged uid */
  setpriv: string | null;
}

function findExecutable(names: string[]): string | null {
  const dirs = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin", ...(process.env.PATH ?? "").split(":")];
  for (const n of names)
    for (const d of dirs) {
      if (!d) continue;
      const p = `${d}/${n}`;
      try {
        fs.accessSync(p, fs.constants.X_OK);
        return p;
      } catch {
        /* next */
      }
    }
  return null;
}

function importsFusepy(python: string): boolean {
  try {
    execFileSync(python, ["-c", "try:\n import fusepy\nexcept ImportError:\n import fuse"], { stdio: "ignore", timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

let cached: { tools: RealIonTools | null; missing: string | null } | undefined;

function probe(): { tools: RealIonTools | null; missing: string | null } {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push("root");
  const bwrap = findExecutable(["bwrap"]);
  if (!bwrap) missing.push("bwrap (apt: bubblewrap)");
  if (!fs.existsSync("/dev/fuse")) missing.push("/dev/fuse");
  const fusermount = findExecutable(["fusermount3", "fusermount"]);
  if (!fusermount) missing.push("fusermount3 (apt: fuse3)");
  // The system python first: that is where apt's python3-fusepy lives.
  const python = ["/usr/bin/python3", findExecutable(["python3"])]
    .filter((p): p is string => !!p && fs.existsSync(p))
    .map((p) => fs.realpathSync(p))
    .find((p) => importsFusepy(p));
  if (!python) missing.push("python3 with fusepy (apt: python3-fusepy)");
  if (missing.length > 0) return { tools: null, missing: `missing ${missing.join(", ")}` };
  return { tools: { bwrap: bwrap!, python: python!, fusermount: fusermount!, setpriv: findExecutable(["setpriv"]) }, missing: null };
}

/** Why the sandbox cannot run here, or null when it can. */
export function realIonMissing(): string | null {
  cached ??= probe();
  return cached.missing;
}

/** The tools; throws with the reason when something is missing. */
export function realIonTools(): RealIonTools {
  cached ??= probe();
  if (!cached.tools) throw new Error(`real-ion sandbox unavailable: ${cached.missing}`);
  return cached.tools;
}
