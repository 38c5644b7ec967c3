/**
 * THE naming and scoping convention of generated Ion (docs/ion-lowering.md, Scoping).
 *
 * Ion's scopes are unusual (fresh scope per branch and per loop iteration,
 * functions never write outside themselves) and its scope bookkeeping has a
 * bug that can hide or shadow variables after a block followed by a call
 * (the scope stack of upstream redox-os/ion `members/scopes-rs`). Generated
 * code is immune by shape:
 *
 *   1. Top level: constants `K_*` (literal values only), then every `fn`,
 *      then `f_main`, then `exit 0`. Nothing else.
 *   2. Every TS local of a function (block-scoped ones included, renamed
 *      apart) and every temporary exists before any block or call: declared
 *      `let l_x = ''` at the top of its Ion function, or created by its first
 *      assignment when that comes earlier (lower/program.ts); blocks only
 *      update them.
 *   3. Parameters `p_*`, locals `l_*`, temporaries `t_*` (also declared as
 *      locals), functions `f_*`, runtime helpers `f_rt_*`, constants `K_*`:
 *      ASCII only, always written `${name}`, never a builtin's name.
 *   4. Mutable module state and function return values live in environment
 *      variables (`TSION_G_*`, `TSION_R`): the only state Ion lets a
 *      function write for its caller.
 *   5. No `fn` inside functions or blocks.
 */

/**
 * Ion's builtins and keywords: never a generated name, and never a program
 * that run()/capture() could start (Ion would run its builtin instead).
 */
export const ION_BUILTINS: ReadonlySet<string> = new Set(
  "alias and bg bool calc cd contains dirs disown drop echo ends-with eq eval exec exists exit false fg fn help history is isatty jobs matches math not or popd pushd random read set source starts-with status suspend test true type unalias wait which let export if else end while for match case break continue return".split(
    " ",
  ),
);

/** Environment variable that carries a function's return value. */
export const RETURN_VAR = "TSION_R";

/** Make an arbitrary TS identifier a valid Ion name fragment (ASCII letters, digits, `_`). */
export function sanitize(name: string): string {
  let out = "";
  for (const ch of name) {
    if (/[A-Za-z0-9_]/.test(ch)) out += ch;
    else out += `_${ch.codePointAt(0)!.toString(16)}_`;
  }
  return out;
}

/** Allocates unique Ion names inside one scope (a function, or the program's globals). */
export class NameAllocator {
  private readonly used = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.used.add(r);
  }

  /** `prefix` + sanitized `base`, suffixed `_2`, `_3`, ... until unused. */
  fresh(prefix: string, base: string): string {
    const stem = prefix + sanitize(base);
    let name = stem;
    for (let i = 2; this.used.has(name); i++) name = `${stem}_${i}`;
    this.used.add(name);
    return name;
  }
}

/** `${name}`: the only way generated code reads a variable (unbraced names run on: `$x_s` reads x_s). */
export const ref = (name: string): string => "${" + name + "}";

/** A variable as one word: `"${name}"` (a `$x` expansion is always exactly one word). */
export const word = (name: string): string => `"${ref(name)}"`;

/** Reading an environment variable as one word. */
export const envWord = (name: string): string => `"\${env::${name}}"`;
