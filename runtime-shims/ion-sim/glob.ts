/**
 * Globbing as ion does it: the Rust `glob` crate 0.3 with default options (`*` and `?` also
 * match a leading dot; `[a-z]`, `[!x]` classes; no backslash escapes). Results come
 * directory by directory in byte order, as the crate yields them.
 */
import { IonUnsupported } from "./errors.ts";

export interface GlobFs {
  /** sorted entry names of a directory, or null if it cannot be read */
  listDir(path: string): string[] | null;
  isDir(path: string): boolean;
  exists(path: string): boolean;
}

type Component = { literal: string } | { re: RegExp; leadingDot: boolean };

const escapeRe = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
const escapeClass = (s: string) => s.replace(/[\\\]\[^-]/g, "\\$&");

function classRe(chars: string[]): string {
  let out = "";
  for (let i = 0; i < chars.length; i++) {
    if (i + 3 <= chars.length && chars[i + 1] === "-") {
      // a reversed range (z-a) matches nothing, as in the crate
      if (chars[i]!.codePointAt(0)! <= chars[i + 2]!.codePointAt(0)!) out += `${escapeClass(chars[i]!)}-${escapeClass(chars[i + 2]!)}`;
      i += 2;
    } else out += escapeClass(chars[i]!);
  }
  return out;
}

/** Pattern::new for one path component; null on a pattern error. */
function compileComponent(p: string): Component | null {
  const chars = [...p];
  let re = "";
  let meta = false;
  for (let i = 0; i < chars.length; ) {
    const c = chars[i]!;
    if (c === "?") {
      re += ".";
      meta = true;
      i++;
    } else if (c === "*") {
      const old = i;
      while (chars[i] === "*") i++;
      if (i - old > 2) return null;
      if (i - old === 2) throw new IonUnsupported("recursive globs (`**`)");
      re += ".*";
      meta = true;
    } else if (c === "[") {
      if (i + 4 <= chars.length && chars[i + 1] === "!") {
        const j = chars.slice(i + 3).indexOf("]");
        if (j >= 0) {
          re += `[^${classRe(chars.slice(i + 2, i + 3 + j))}]`;
          meta = true;
          i += j + 4;
          continue;
        }
      } else if (i + 3 <= chars.length && chars[i + 1] !== "!") {
        const j = chars.slice(i + 2).indexOf("]");
        if (j >= 0) {
          const cls = classRe(chars.slice(i + 1, i + 2 + j));
          re += cls === "" ? "(?!)" : `[${cls}]`;
          meta = true;
          i += j + 3;
          continue;
        }
      }
      return null;
    } else {
      re += escapeRe(c);
      i++;
    }
  }
  if (!meta) return { literal: p };
  return { re: new RegExp(`^${re}$`, "su"), leadingDot: p.startsWith(".") };
}

/** The crate sorts file names as OsStr, i.e. by their UTF-8 bytes (not by UTF-16 units). */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

const cache = new Map<string, { root: string | null; comps: Component[]; requireDir: boolean } | null>();

function compile(pattern: string) {
  let c = cache.get(pattern);
  if (c === undefined) {
    let rest = pattern;
    let root: string | null = null;
    if (rest.startsWith("/")) {
      root = "/";
      rest = rest.replace(/^\/+/, "");
    }
    const parts = rest.split("/");
    if (parts.length && parts[parts.length - 1] === "") parts.pop(); // split_terminator
    const comps: Component[] = [];
    c = { root, comps, requireDir: pattern.endsWith("/") };
    for (const part of parts) {
      const comp = compileComponent(part);
      if (!comp) {
        c = null;
        break;
      }
      comps.push(comp);
    }
    if (c && comps.length === 0) comps.push({ literal: "" });
    if (cache.size > 10000) cache.clear();
    cache.set(pattern, c);
  }
  return c;
}

/** Paths matching `pattern`, or null when the pattern is invalid (ion then keeps the word). */
export function glob(pattern: string, fs: GlobFs): string[] | null {
  const c = compile(pattern);
  if (!c) return null;
  const out: string[] = [];
  const last = c.comps.length - 1;
  const join = (dir: string, name: string) => (dir === "." ? name : dir.endsWith("/") ? dir + name : `${dir}/${name}`);
  const fill = (idx: number, dir: string) => {
    const comp = c.comps[idx]!;
    const add = (p: string) => {
      if (idx === last) {
        if (!c.requireDir || fs.isDir(p)) out.push(p);
      } else fill(idx + 1, p);
    };
    if ("literal" in comp) {
      const special = comp.literal === "." || comp.literal === "..";
      const next = join(dir, comp.literal);
      // an empty component (`a//b`, `d/` + `/*`) is `dir.join("")`: metadata of `dir/`, a directory
      if (special || comp.literal === "" ? fs.isDir(dir) : fs.exists(next)) add(next);
      return;
    }
    if (!fs.isDir(dir)) return;
    const entries = fs.listDir(dir);
    if (!entries) return;
    // `.` and `..` match only a pattern starting with a literal dot; the crate yields them first
    if (comp.leadingDot && idx === last) for (const s of ["..", "."]) if (comp.re.test(s)) add(dir === "." ? `./${s}` : join(dir, s));
    for (const e of [...entries].sort(byBytes)) {
      if (!comp.re.test(e)) continue;
      const p = join(dir, e);
      if (idx === last || fs.isDir(p)) add(p);
    }
    if (comp.leadingDot && idx !== last) for (const s of [".", ".."]) if (comp.re.test(s)) add(join(dir, s));
  };
  fill(0, c.root ?? ".");
  return out;
}
