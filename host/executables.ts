/**
 * Finding host tools by name: PATH, then the sbin directories (root's tools
 * live there and a user's PATH, or sudo's secure_path, may lack them).
 * Shared by the host tooling (host/) and the network test lab
 * (runtime-shims/netns re-exports it).
 */
import * as fs from "node:fs";
import * as path from "node:path";

const EXTRA_DIRS = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

/** Absolute path of an executable regular file called `name`, or null. */
export function findExecutable(name: string, searchPath: string = process.env.PATH ?? ""): string | null {
  const dirs = [...searchPath.split(path.delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const d of dirs) {
    const p = path.join(d, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return null;
}
