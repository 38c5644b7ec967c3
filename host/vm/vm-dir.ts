/**
 * The per-VM directory: a writable copy of the disk image (the original is
 * never booted, so a run cannot change it) and the hypervisor's serial file.
 * It is removed on every way out of a run (see runner.ts); a directory left
 * by a run that was killed outright (SIGKILL) is removed by the next run,
 * once no process (an orphaned hypervisor) has its files open.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isAlive } from "../processes.ts";

const PREFIX = "tsion-vm-";
/** tsion-vm-<pid of the creating process>-<random> */
const OURS = /^tsion-vm-(\d+)-[A-Za-z0-9]+$/;

/**
 * Whether a process still has a file in `dir` open: a hypervisor orphaned by
 * a killed tsion keeps its disk and serial file open, and its directory must
 * stay until it is gone. Processes whose fds we may not read are not ours.
 */
function inUse(dir: string): boolean {
  const prefix = `${dir}/`;
  let pids: string[];
  try {
    pids = fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return false;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(prefix)) return true;
      } catch {
        // closed meanwhile
      }
    }
  }
  return false;
}

export class VmDir {
  private removed = false;

  private constructor(readonly path: string) {}

  /** Create it under `parent` (default: the system temporary directory). */
  static create(parent: string | null): VmDir {
    const base = parent ?? os.tmpdir();
    return new VmDir(fs.mkdtempSync(path.join(base, `${PREFIX}${process.pid}-`)));
  }

  /** Directories of earlier runs whose process is gone (killed before it could clean up) and whose files nobody has open. */
  static sweepStale(parent: string | null): string[] {
    const base = parent ?? os.tmpdir();
    const swept: string[] = [];
    let names: string[];
    try {
      names = fs.readdirSync(base);
    } catch {
      return swept;
    }
    for (const name of names) {
      const m = OURS.exec(name);
      if (!m || Number(m[1]) === process.pid || isAlive(Number(m[1]))) continue;
      const dir = path.join(base, name);
      try {
        if (fs.lstatSync(dir).isDirectory() && fs.lstatSync(dir).uid === process.getuid?.() && !inUse(dir)) {
          fs.rmSync(dir, { recursive: true, force: true });
          swept.push(dir);
        }
      } catch {
        // someone else's, or already gone
      }
    }
    return swept;
  }

  file(name: string): string {
    return path.join(this.path, name);
  }

  /**
   * Copy the image in (a reflink where the filesystem can, so large images
   * copy instantly on btrfs/xfs), writable by its owner only.
   */
  async copyImage(image: string): Promise<string> {
    const dest = this.file(`disk${path.extname(image) || ".img"}`);
    await fs.promises.copyFile(image, dest, fs.constants.COPYFILE_FICLONE);
    await fs.promises.chmod(dest, 0o600);
    return dest;
  }

  /** Idempotent and synchronous, so it can also run from an exit handler. */
  remove(): void {
    if (this.removed) return;
    this.removed = true;
    fs.rmSync(this.path, { recursive: true, force: true });
  }
}

/**
 * Whether `file` can be opened with O_DIRECT (Cloud Hypervisor's direct=on).
 * tmpfs, for one, cannot: the hypervisor would fail to open the disk.
 */
export function supportsDirectIo(file: string): boolean {
  const flag = fs.constants.O_DIRECT;
  if (flag === undefined) return true;
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_RDWR | flag));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EINVAL") return false;
    throw e;
  }
}
