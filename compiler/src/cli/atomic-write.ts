/**
 * Output files are never left half-written: the content goes to a temporary
 * file in the destination's directory (same filesystem, so rename(2) is
 * atomic), gets its mode, is fsynced, then renamed over the destination. On
 * any failure the temporary file is removed and the destination is untouched.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { describeIoError } from "./errors.ts";

/** `shown` is how errors name the destination (default: as given). */
export function writeFileAtomic(dest: string, content: string | Uint8Array, mode: number, shown = dest): void {
  const dir = path.dirname(dest);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw describeIoError(err, "create directory", path.dirname(shown));
  }
  const tmp = path.join(dir, `.${path.basename(dest)}.tsion-tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, "wx", mode);
    fs.writeFileSync(fd, content);
    // openSync's mode is filtered by the umask; scripts must be exactly `mode`.
    fs.fchmodSync(fd, mode);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, dest);
  } catch (err) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing; the write error is the one to report
      }
    }
    fs.rmSync(tmp, { force: true });
    throw describeIoError(err, "write", shown);
  }
}
