/**
 * Follow a file that another process appends to (Cloud Hypervisor's
 * `--serial file=`), reading only what was added since the last read. The
 * whole file is never read again: each byte is read once.
 */
import * as fs from "node:fs";

const CHUNK = 64 * 1024;

export class FileTail {
  private fd: number | null = null;
  private offset = 0;
  private readonly buffer = Buffer.allocUnsafe(CHUNK);
  /** Bytes read so far (tests check that nothing is read twice). */
  bytesRead = 0;

  constructor(readonly file: string) {}

  /**
   * Everything appended since the last call (empty when nothing was, or the
   * file does not exist yet). A file replaced under the same name (a new
   * inode), or truncated to less than was read, is followed from its start.
   */
  read(): Buffer {
    if (this.fd !== null) {
      let current: fs.Stats | null = null;
      try {
        current = fs.statSync(this.file);
      } catch {
        current = null;
      }
      const open = fs.fstatSync(this.fd);
      if (current !== null && (current.ino !== open.ino || current.dev !== open.dev)) {
        this.close();
        this.offset = 0;
      } else if (open.size < this.offset) {
        this.offset = 0;
      }
    }
    if (this.fd === null) {
      try {
        this.fd = fs.openSync(this.file, "r");
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return Buffer.alloc(0);
        throw e;
      }
    }
    const parts: Buffer[] = [];
    for (;;) {
      const n = fs.readSync(this.fd, this.buffer, 0, CHUNK, this.offset);
      if (n === 0) break;
      parts.push(Buffer.from(this.buffer.subarray(0, n)));
      this.offset += n;
      this.bytesRead += n;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
