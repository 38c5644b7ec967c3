/** Finding host tools by name (PATH plus the sbin directories). */
import * as fs from "node:fs";
import * as path from "node:path";

/** sbin directories are searched too: root's tools live there and PATH may lack them. */
const EXTRA_DIRS = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

export function findExecutable(name: string): string | null {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean), ...EXTRA_DIRS];
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
