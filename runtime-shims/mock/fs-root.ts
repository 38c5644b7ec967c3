/**
 * The real directory that backs the guest filesystem outside /scheme.
 * Guest paths are normalised lexically first, so `..` can never climb above
 * the root; the mock creates no symlinks, so none can lead out either.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Absolute, normalised guest path (`..` clamped at `/`, no trailing slash). */
export function guestPath(p: string, cwd: string): string {
  const joined = p.startsWith("/") ? p : `${cwd}/${p}`;
  const norm = path.posix.normalize(joined);
  return norm.length > 1 && norm.endsWith("/") ? norm.slice(0, -1) : norm;
}

export class FsRoot {
  readonly dir: string;
  private readonly temporary: boolean;

  constructor(dir?: string) {
    if (dir) {
      fs.mkdirSync(dir, { recursive: true });
      this.dir = fs.realpathSync(dir);
      this.temporary = false;
    } else {
      this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-mock-"));
      this.temporary = true;
    }
  }

  /** Host path of a normalised guest path. */
  hostPath(guest: string): string {
    const p = path.join(this.dir, guest);
    if (p !== this.dir && !p.startsWith(this.dir + path.sep)) throw new Error(`path escapes the mock root: ${guest}`);
    return p;
  }

  /** Create a file with parents (scenario setup). */
  put(guest: string, data: string, mode = 0o644): void {
    const p = this.hostPath(guest);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, data);
    fs.chmodSync(p, mode);
  }

  mkdirs(guest: string): void {
    fs.mkdirSync(this.hostPath(guest), { recursive: true });
  }

  /** Every regular file under the root, by guest path, sorted. */
  snapshot(): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (hostDir: string, guestDir: string) => {
      for (const name of fs.readdirSync(hostDir).sort()) {
        const hp = path.join(hostDir, name);
        const gp = guestDir === "/" ? `/${name}` : `${guestDir}/${name}`;
        const st = fs.lstatSync(hp);
        if (st.isDirectory()) walk(hp, gp);
        else if (st.isFile()) out[gp] = fs.readFileSync(hp, "utf8");
      }
    };
    walk(this.dir, "/");
    return out;
  }

  /** Remove the directory if we created it. */
  dispose(): void {
    if (this.temporary) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
