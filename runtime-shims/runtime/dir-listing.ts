/**
 * `listDir()` without a process: Ion's own glob lists the directory.
 *
 * `for e in "DIR"/*` makes Ion hand DIR + "/*" to the Rust glob crate, which
 * reads the directory itself (redox-os/ion src/lib/expansion/mod.rs,
 * `glob_for_os`). No `ls` is spawned, so listing works on images without
 * `ls` and costs no process (a spawn is the expensive thing on Redox). The
 * crate, with Ion's default options, gives every entry but `.` and `..`,
 * hidden ones included, in UTF-8 byte order, as `DIR/NAME`.
 *
 * What it takes to make that exact:
 *   - DIR is part of the pattern, so its glob characters `*`, `?` and `[` are
 *     escaped as one-character classes (`[*]`, `[?]`, `[[]`);
 *   - Ion cuts the word before a glob at the last whitespace character of
 *     what precedes it, so a DIR holding whitespace (Rust's
 *     `char::is_whitespace`) cannot be listed: it ends the program with a
 *     message, on Node as in Ion;
 *   - a missing path or a non-directory ends the program (`test -d` first);
 *   - no match leaves the word as written (`ESCAPED/*`), which is told apart
 *     from an entry really named `*` by testing for DIR/*; an unreadable
 *     directory therefore lists as empty;
 *   - NAME is what follows the last `/`.
 *
 * Conformance cases recorded from the real binary pin each piece
 * (test/ion-conformance-extra/glob_directory_listing,
 * matches_whitespace_class, regex_replace_references).
 *
 * This module holds both halves of the rule: the Ion helper the compiler's
 * prelude emits and the TypeScript the Node implementation runs, which drives
 * ion-sim's model of the glob crate over the same host, so both see the same
 * entries and make the same directory reads.
 */
import type { Host } from "../host/types.ts";
import { glob } from "../ion-sim/glob.ts";

/** Rust regex: one of the glob crate's special characters. */
export const GLOB_SPECIAL = "[\\[*?]";
/** Its replacement: the character as a one-character class. */
export const GLOB_SPECIAL_ESCAPED = "[$0]";
/** Rust regex: everything up to the last slash (the entry name follows). */
export const UP_TO_LAST_SLASH = "(?s)^.*/";
/**
 * Rust regex: a character for which Rust's `char::is_whitespace` holds (the
 * White_Space property). Spelled with escapes: ion's regex has no Unicode
 * tables, so `\s` is refused.
 */
export const WHITESPACE_CHAR = "[\\t\\n\\x0B\\x0C\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}]";

export const LIST_DIR_MESSAGES = {
  notDir: "listDir: cannot list",
  whitespace: "listDir: cannot list a path containing whitespace",
} as const;

/** The same character set in JavaScript. */
const WHITESPACE_JS = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/u;

/**
 * The Ion helper: f_rt_list_dir PATH AT sets TSION_R to the encoded array of
 * entry names (lower/arrays.ts). K_GLOB_* are the constants above.
 */
export const LIST_DIR_HELPER_ION = `# listDir: the entries of a directory through Ion's glob (no process); the rule is
# explained in runtime-shims/runtime/dir-listing.ts.
fn f_rt_list_dir p_p p_at
  let l_q l_e l_out = '' '' ''
  if matches "x\${p_p}" '${WHITESPACE_CHAR}'
    f_rt_die_about "\${p_at}" '${LIST_DIR_MESSAGES.whitespace}' "\${p_p}"
  end
  if not f_rt_fstest -d "\${p_p}"
    f_rt_die_about "\${p_at}" '${LIST_DIR_MESSAGES.notDir}' "\${p_p}"
  end
  let l_q = $regex_replace($p_p $K_GLOB_SPECIAL $K_GLOB_ESCAPED)
  for l_e in "\${l_q}"/*
    # no match: the pattern itself, unless DIR has an entry named *
    if test "x\${l_e}" = "x\${l_q}/*" && not f_rt_fstest -e "\${p_p}/*"
      continue
    end
    let l_e = $regex_replace($l_e $K_GLOB_UP_TO_SLASH $K_GLOB_NONE)
    let l_e = $replace($l_e $K_AE $K_AEE)
    let l_e = $replace($l_e $K_AS $K_AES)
    let l_out ++= "\${l_e}"
    let l_out ++= "\${K_AS}"
  end
  export TSION_R = "\${l_out}"
end`;

/** The constants LIST_DIR_HELPER_ION reads. */
export const LIST_DIR_CONSTANTS: Record<string, string> = {
  K_GLOB_SPECIAL: GLOB_SPECIAL,
  K_GLOB_ESCAPED: GLOB_SPECIAL_ESCAPED,
  K_GLOB_UP_TO_SLASH: UP_TO_LAST_SLASH,
  K_GLOB_NONE: "",
};

/**
 * The Node side: the entry names Ion's glob gives for PATH, or the message
 * the program ends with.
 */
export function listDirEntries(host: Host, path: string): { names: string[] } | { error: string } {
  if (WHITESPACE_JS.test(path)) return { error: LIST_DIR_MESSAGES.whitespace };
  if (path === "" || host.stat(path)?.kind !== "dir") return { error: LIST_DIR_MESSAGES.notDir };
  const escaped = path.replace(/[[*?]/g, "[$&]");
  const pattern = `${escaped}/*`;
  const found = glob(pattern, {
    listDir: (p) => {
      try {
        return host.listDir(p);
      } catch {
        return null;
      }
    },
    isDir: (p) => p !== "" && host.stat(p)?.kind === "dir",
    exists: (p) => p !== "" && host.stat(p) !== null,
  });
  const words = found === null || found.length === 0 ? [pattern] : found;
  const names: string[] = [];
  for (const w of words) {
    if (w === pattern && host.stat(`${path}/*`) === null) continue;
    names.push(w.replace(/^.*\//s, ""));
  }
  return { names };
}
