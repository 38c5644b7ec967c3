/** File contents that have tripped TOML and Nix writers (shared by the renderer tests). */
export const HOSTILE: string[] = [
  "",
  "\n",
  "\n\nstarts with two newlines\n",
  "no final newline",
  "'''",
  "ends with a quote'",
  "ends with two quotes''\n",
  "a ''' b\n",
  '"""\n"\n""\n',
  "back\\slash \\n \\u0041 \\\n",
  "tab\there\n",
  "cr\rlf\r\n",
  "crlf only\r\n",
  "esc \u001b[0m and bell \u0007 and nul-free controls \u0001\u001f\u007f\n",
  "${interpolation} and $${escaped} and ''${indented}\n",
  "'' indented-string quote '' and ''' three\n",
  "unicode é ✓ 😀 \u2028 \u2029 \ufeff\n",
  "# not a comment\n[[files]]\npath = \"/x\"\n",
  "let K_NL = '\n'\nlet K_CR = '\r'\n",
];
/** Every control character but NUL (which no Nix string can hold), once. */
export const ALL_CONTROLS = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).slice(1).join("") + "\u007f";

