/**
 * `--format dir`: the file set as a root overlay directory, written
 * atomically. The whole tree is built in a temporary directory beside the
 * target (same filesystem) and renamed into place, so the target is either
 * untouched or complete, never half-written. An existing non-empty target is
 * refused unless `force`; with `force` the old tree is moved aside, the new
 * one renamed in, and the old one removed (put back if the rename fails).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { CliError, describeIoError } from "../compiler/src/cli/errors.ts";

/** An fs error as `cannot <action> <target>: <reason>`, never naming the temporary directory. */
function ioError(err: unknown, action: string, target: string): CliError {
  const e = err as NodeJS.ErrnoException;
  if (["ENOENT", "EACCES", "EPERM", "EISDIR", "ENOTDIR", "ENOSPC"].includes(e?.code ?? "")) return describeIoError(err, action, target);
  return new CliError(`cannot ${action} ${target}: ${String(e?.message ?? err).split(",")[0]}`);
}
import type { GuestFileSet } from "./file-set.ts";

export const DIR_MODE = 0o755;

function sibling(target: string, tag: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.tsion-${tag}-${process.pid}-${randomBytes(4).toString("hex")}`);
}

/** Writes every file under `root` with exactly its mode (not filtered by the umask); directories 0755. */
function writeTree(root: string, set: GuestFileSet): void {
  fs.chmodSync(root, DIR_MODE);
  const made = new Set<string>();
  for (const f of set.files) {
    const dest = path.join(root, f.path);
    const parts = path.relative(root, path.dirname(dest)).split(path.sep).filter((p) => p !== "");
    let dir = root;
    for (const p of parts) {
      dir = path.join(dir, p);
      if (made.has(dir)) continue;
      fs.mkdirSync(dir, { mode: DIR_MODE });
      fs.chmodSync(dir, DIR_MODE);
      made.add(dir);
    }
    const fd = fs.openSync(dest, "wx", f.mode);
    try {
      fs.writeFileSync(fd, f.content);
      fs.fchmodSync(fd, f.mode);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Refuses (before anything is written) a target that is not a directory, or not empty without `force`. */
export function checkDirTarget(target: string, force: boolean): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw ioError(err, "write", target);
  }
  if (!stat.isDirectory()) throw new CliError(`cannot write ${target}: exists and is not a directory`);
  if (!force && fs.readdirSync(target).length > 0) {
    throw new CliError(`cannot write ${target}: directory is not empty (use --force to replace it)`);
  }
}

export function writeDir(target: string, set: GuestFileSet, force: boolean): void {
  checkDirTarget(target, force);
  const abs = path.resolve(target);
  try {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
  } catch (err) {
    throw ioError(err, "create directory", path.dirname(target));
  }
  const tmp = sibling(abs, "tmp");
  try {
    fs.mkdirSync(tmp, { mode: DIR_MODE });
    writeTree(tmp, set);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw ioError(err, "write", target);
  }
  // rename(2) replaces a missing target or an empty directory in one step.
  if (!fs.existsSync(abs) || fs.readdirSync(abs).length === 0) {
    try {
      fs.renameSync(tmp, abs);
      return;
    } catch (err) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw ioError(err, "write", target);
    }
  }
  const old = sibling(abs, "old");
  try {
    fs.renameSync(abs, old);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw ioError(err, "replace", target);
  }
  try {
    fs.renameSync(tmp, abs);
  } catch (err) {
    fs.renameSync(old, abs);
    fs.rmSync(tmp, { recursive: true, force: true });
    throw ioError(err, "write", target);
  }
  fs.rmSync(old, { recursive: true, force: true });
}
