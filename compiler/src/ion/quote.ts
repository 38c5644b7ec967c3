/**
 * THE Ion quoting rule: how any string becomes exactly one Ion word.
 * (docs/ion-lowering.md, Quoting; verified on real ion, property-tested in
 * test/compiler/quote.test.ts.)
 *
 * Runs of ordinary characters go inside single quotes; each of the six
 * characters below is emitted as its own piece; pieces are written next to
 * each other with no spaces. Newline, tab, `# ; & | < > * ? ~ [ ] { } " ! % -`
 * and non-ASCII text are literal inside single quotes. The empty string is `''`.
 *
 * Control characters (C0 but tab and newline, DEL, C1) would be literal too,
 * but a script must hold only printable text (they break editors, TOML
 * strings and serial consoles), so each becomes the piece `"${x::HH}"`: Ion's
 * hex namespace expands to the character with that code (words_hex_namespace).
 * A newline is written `"${x::0A}"` as well, so every statement stays on one
 * line of the script.
 */
const SPECIAL_PIECES: Record<string, string> = {
  "'": `"'"`,
  "\\": `"\\\\"`,
  $: `'$'`,
  "@": `'@'`,
  "(": `"\\("`,
  ")": `"\\)"`,
};

/** Characters that never appear literally in a generated script. */
export const CONTROL_CHAR = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Characters a literal writes as `"${x::HH}"`: the control characters, and newline. */
const HEX_CHAR = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

/** `"${x::HH}"`: the character with code HH (U+0000 to U+00FF). */
function hexPiece(ch: string): string {
  const code = ch.codePointAt(0)!;
  return `"\${x::${code.toString(16).toUpperCase().padStart(2, "0")}}"`;
}

/** The pieces of a literal, each a self-contained Ion word fragment. */
export function quotePieces(value: string): string[] {
  if (value === "") return ["''"];
  const pieces: string[] = [];
  let run = "";
  for (const ch of value) {
    const special = SPECIAL_PIECES[ch] ?? (HEX_CHAR.test(ch) ? hexPiece(ch) : undefined);
    if (special === undefined) {
      run += ch;
      continue;
    }
    if (run !== "") pieces.push(`'${run}'`);
    run = "";
    pieces.push(special);
  }
  if (run !== "") pieces.push(`'${run}'`);
  return pieces;
}

/** `value` as one Ion word. See `needsPiecewise` for the one context where this is not enough. */
export function quote(value: string): string {
  return quotePieces(value).join("");
}

/**
 * Non-ASCII whitespace: a word made of several pieces panics when a
 * literal piece follows text whose last whitespace character is one of these.
 */
export const NON_ASCII_WS = /[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/**
 * True when `quote(value)` could panic ion (non-ASCII whitespace): the caller must then build
 * the value one piece per statement (`let t = P1`, `let t ++= P2`, ...).
 */
export function needsPiecewise(value: string): boolean {
  return NON_ASCII_WS.test(value) && quotePieces(value).length > 1;
}
