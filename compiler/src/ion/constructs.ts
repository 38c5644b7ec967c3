/**
 * THE list of Ion constructs tsion emits, each pinned by conformance cases
 * recorded from the real Ion shell (ion 1.0.0-alpha, upstream 1440704f).
 *
 * Case names refer to the public conformance vectors (`ion-conformance/cases`)
 * or, prefixed `extra/`, to the few this project recorded itself from the same
 * binary (test/ion-conformance-extra/). test/compiler/constructs.test.ts checks
 * that every cited case exists and that one of them shows the construct
 * (`evidence`).
 *
 * Each construct also says how to recognise it in a generated script
 * (`command` for a whole command, `part` for a piece of a word). check.ts
 * reads every script the compiler produces and refuses one that uses a
 * command or word piece no construct here recognises: emitting something new
 * means adding it here, with the case that pins it.
 */
import { ION_BUILTINS } from "./names.ts";
import type { Part, Word } from "./reader.ts";

export interface Construct {
  id: string;
  /** What the compiler writes; NAME, WORD, CMD, ... are placeholders. */
  shape: string;
  /** Conformance cases (or `extra/NAME`) that pin its behaviour on real Ion. */
  cases: string[];
  /** Text at least one cited case contains. */
  evidence: RegExp;
  /** Recognises one command (words without any `if`/`not` prefix or redirection). */
  command?: (w: Word[]) => boolean;
  /** Recognises one piece of a word. */
  part?: (p: Part) => boolean;
}

const ION_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names of generated variables (ion/names.ts) and of the script-argument array. */
const GEN_NAME = /^([lptK]_[A-Za-z0-9_]+|TSION_[A-Za-z0-9_]+)$/;

/** The word is exactly this bare text (or matches it). */
export function bare(w: Word | undefined, t: string | RegExp): boolean {
  if (!w || w.length !== 1 || w[0].k !== "text") return false;
  return typeof t === "string" ? w[0].text === t : t.test(w[0].text);
}
const isName = (w: Word | undefined) => bare(w, GEN_NAME);
const isList = (w: Word | undefined, n?: number) => !!w && w.length === 1 && w[0].k === "list" && (n === undefined || w[0].words.length === n);
const letOp = (op: string | RegExp) => (w: Word[]) => w.length === 4 && bare(w[0], "let") && isName(w[1]) && bare(w[2], op) && !isList(w[3]);
const method = (...names: string[]) => (p: Part) => p.k === "method" && names.includes(`${p.sigil}${p.name}`);
/** `0..$len(@a)`, `1..$len(@args)`: a range word up to an array's length. */
const rangeWord = (w: Word) => w.length === 2 && w[0].k === "text" && /^[01]\.\.$/.test(w[0].text) && w[1].k === "method" && w[1].name === "len";
/** A word that is only an array method's words (`@split(...)`, `@chars(...)`). */
const splat = (w: Word) => w.length === 1 && w[0].k === "method" && w[0].sigil === "@";
/** `$((a op b))`: two operands (bare names or integers), one operator, spaces (docs/ion-lowering.md, Arithmetic). */
const ARITH = /^(-?[0-9]+|[A-Za-z_][A-Za-z0-9_]*) [-+*%] (-?[0-9]+|[A-Za-z_][A-Za-z0-9_]*)$/;


export const CONSTRUCTS: Construct[] = [
  // ---- script structure, blocks and control flow
  {
    id: "fn",
    shape: "fn NAME PARAM... / end",
    cases: ["fn_return_status_forms", "scope_main_pattern_hoisted_locals", "fn_recursion"],
    evidence: /^fn \w+ \w+/m,
    command: (w) => bare(w[0], "fn") && w.slice(1).every((x) => bare(x, ION_NAME)),
  },
  { id: "end", shape: "end", cases: ["cond_if_chains_and_compound"], evidence: /^\s*end$/m, command: (w) => w.length === 1 && bare(w[0], "end") },
  {
    id: "call",
    shape: "f_NAME WORD...",
    cases: ["fn_return_status_forms", "fn_recursion", "scope_main_pattern_hoisted_locals"],
    evidence: /^f_\w+$/m,
    command: (w) => bare(w[0], /^f_[A-Za-z0-9_]+$/),
  },
  { id: "if", shape: "if CMD / else if CMD / else / end", cases: ["cond_if_chains_and_compound"], evidence: /else if/ },
  { id: "while", shape: "while CMD (never `while not`)", cases: ["cond_while_true_and_not", "arith_counter_loop", "loop_poll_for_file"], evidence: /^while test/m },
  { id: "true", shape: "true", cases: ["cond_while_true_and_not"], evidence: /while true/, command: (w) => w.length === 1 && bare(w[0], "true") },
  {
    id: "for-range",
    shape: "for NAME in 0..$len(@ARRAY)",
    cases: ["arr_iterate_by_index", "loop_ranges_all_directions"],
    evidence: /for i in 0\.\.\$len\(@a\)/,
    command: (w) => w.length === 4 && bare(w[0], "for") && isName(w[1]) && bare(w[2], "in") && rangeWord(w[3]),
  },
  {
    id: "for-words",
    shape: "for NAME in @METHOD(...) [SENTINEL]",
    cases: ["method_split_and_lines", "loop_multi_vars_and_single_word", "extra/split_sentinel_remove"],
    evidence: /for p in @split/,
    command: (w) => w.length >= 4 && w.length <= 5 && bare(w[0], "for") && isName(w[1]) && bare(w[2], "in") && splat(w[3]),
  },
  {
    id: "for-glob",
    shape: 'for NAME in "${NAME}"/* (a directory\'s entries by Ion\'s glob: listDir, runtime-shims/runtime/dir-listing.ts)',
    cases: ["words_glob", "extra/glob_directory_listing"],
    evidence: /for e in "\$\{d\}"\/\*/,
    command: (w) =>
      w.length === 4 && bare(w[0], "for") && isName(w[1]) && bare(w[2], "in") && w[3].length === 2 &&
      w[3][0].k === "dq" && w[3][0].parts.length === 1 && w[3][0].parts[0].k === "var" && w[3][1].k === "text" && w[3][1].text === "/*",
  },
  { id: "break", shape: "break / continue", cases: ["loop_break_continue_nested"], evidence: /continue/, command: (w) => w.length === 1 && (bare(w[0], "break") || bare(w[0], "continue")) },
  {
    id: "return",
    shape: "return, return 0, return 1 (a boolean result is the status)",
    cases: ["fn_return_status_forms", "fn_return_unwinds_loops", "extra/fn_status_boolean"],
    evidence: /^\s*return 0$/m,
    command: (w) => (w.length === 1 || (w.length === 2 && bare(w[1], /^[01]$/))) && bare(w[0], "return"),
  },
  { id: "exit", shape: "exit WORD", cases: ["exit_explicit_code", "exit_inside_function", "exit_code_wraps"], evidence: /exit \d/, command: (w) => w.length === 2 && bare(w[0], "exit") },
  { id: "not", shape: "not CMD", cases: ["cond_not_and_or_chains", "cond_if_chains_and_compound"], evidence: /not test/ },
  { id: "chain", shape: "CMD && CMD, CMD || CMD (left to right, equal precedence)", cases: ["cond_not_and_or_chains", "cond_if_chains_and_compound"], evidence: /\|\| .* && /m },

  // ---- variables
  { id: "let", shape: "let NAME = WORD", cases: ["let_forms_and_parallel", "words_empty_values", "scope_main_pattern_hoisted_locals"], evidence: /let l_log = ''/, command: letOp("=") },
  {
    id: "let-parallel",
    shape: "let NAME NAME... = '' [] ... (a function's declarations, before anything runs)",
    cases: ["let_forms_and_parallel", "extra/let_parallel_declarations"],
    evidence: /let l_a t_1 l_b t_2 = '' \[\] '' \[\]/,
    command: (w) => {
      const eq = w.findIndex((x) => bare(x, "="));
      const names = w.slice(1, eq);
      const values = w.slice(eq + 1);
      const empty = (x: Word) => isList(x, 0) || (x.length === 1 && x[0].k === "sq" && x[0].text === "");
      return bare(w[0], "let") && names.length >= 2 && names.every(isName) && values.length === names.length && values.every(empty);
    },
  },
  { id: "let-array", shape: "let NAME = []", cases: ["arr_len_push_prepend_remove", "arr_copy_by_loop"], evidence: /let b = \[\]/, command: (w) => w.length === 4 && bare(w[0], "let") && isName(w[1]) && bare(w[2], "=") && isList(w[3], 0) },
  {
    id: "let-array-bytes",
    shape: "let NAME = [@bytes($NAME)] (numbers: re-expansion cannot change them)",
    cases: ["let_forms_and_parallel", "method_repeat_reverse_unicode"],
    evidence: /let c = \[@a w\]/,
    command: (w) => w.length === 4 && bare(w[0], "let") && isName(w[1]) && bare(w[2], "=") && isList(w[3], 1) && (w[3][0] as { words: Word[] }).words[0].length === 1 && method("@bytes")((w[3][0] as { words: Word[] }).words[0][0]),
  },
  { id: "let-append", shape: "let NAME ++= WORD (string append, array push)", cases: ["let_optional_and_concat", "arr_push_keeps_values_intact"], evidence: /\+\+= '\$x'/, command: letOp("++=") },
  { id: "let-remove", shape: "let NAME \\\\= WORD (drops every element equal to WORD)", cases: ["arr_len_push_prepend_remove", "extra/split_sentinel_remove"], evidence: /let a \\\\= c/, command: letOp("\\\\=") },
  { id: "let-arith", shape: "let NAME += WORD / -= WORD", cases: ["arith_let_int_and_float", "arith_counter_loop"], evidence: /let x -= 20/, command: letOp(/^[-+]=$/) },
  { id: "let-intdiv", shape: "let NAME //= WORD (truncates toward zero)", cases: ["arith_let_int_and_float"], evidence: /\/\/= 2/, command: letOp("//=") },
  {
    id: "let-element",
    shape: "let NAME[${NAME}] = WORD, let NAME[N] = WORD",
    cases: ["arr_index_assign"],
    evidence: /let a\[1\] = B/,
    command: (w) =>
      w.length === 4 &&
      bare(w[0], "let") &&
      bare(w[2], "=") &&
      (bare(w[1], /^[lt]_\w+\[[0-9]+\]$/) || (w[1].length === 3 && w[1][0].k === "text" && /^[lt]_\w+\[$/.test(w[1][0].text) && w[1][1].k === "var" && bare([w[1][2]], "]"))),
  },
  { id: "export", shape: "export NAME = WORD", cases: ["fn_return_via_export", "scope_env_as_global_state"], evidence: /export RET_compute/, command: (w) => w.length === 4 && bare(w[0], "export") && isName(w[1]) && bare(w[2], "=") },

  // ---- conditions
  {
    id: "test-string",
    shape: 'test "xA" = "xB" (x-prefixed)',
    cases: ["cond_test_strings_and_integers", "cond_test_flag_hazard"],
    evidence: /test "x\$\{a\}" = "x\$\{b\}"/,
    command: (w) => w.length === 4 && bare(w[0], "test") && bare(w[2], "="),
  },
  {
    id: "test-integer",
    shape: "test A -eq|-ne|-lt|-le|-gt|-ge B",
    cases: ["cond_test_strings_and_integers"],
    evidence: /-ge 3 && test 3 -le 3 && test 3 -ne 4/,
    command: (w) => w.length === 4 && bare(w[0], "test") && bare(w[2], /^-(eq|ne|lt|le|gt|ge)$/),
  },
  {
    id: "test-file",
    shape: "test -e|-d|-f PATH, test FLAG PATH",
    cases: ["cond_test_files"],
    evidence: /test -d d/,
    command: (w) => w.length === 3 && bare(w[0], "test") && (bare(w[1], /^-[edf]$/) || (w[1].length === 1 && w[1][0].k === "dq")),
  },
  { id: "test-writable", shape: "test -w PATH", cases: ["extra/test_writable"], evidence: /test -w/, command: (w) => w.length === 3 && bare(w[0], "test") && bare(w[1], "-w") },
  {
    id: "exists-program",
    shape: "exists -b NAME, exists -b \"${NAME}\" (a program on PATH; never an option-like name)",
    cases: ["extra/exists_b_program_on_path"],
    evidence: /exists -b "\$\{name\}"/,
    command: (w) => w.length === 3 && bare(w[0], "exists") && bare(w[1], "-b") && (bare(w[2], /^[A-Za-z0-9_.+][A-Za-z0-9_.+-]*$/) || (w[2].length === 1 && w[2][0].k === "dq" && w[2][0].parts.length === 1 && w[2][0].parts[0].k === "var")),
  },
  { id: "matches", shape: "matches WORD 'REGEX'", cases: ["cond_matches_regex", "echo_safe_print_guard"], evidence: /matches abc '\^a\.c\$'/, command: (w) => w.length === 3 && bare(w[0], "matches") },
  {
    id: "starts-ends-with",
    shape: "starts-with WORD WORD / ends-with WORD WORD",
    cases: ["cond_contains_starts_ends"],
    evidence: /ends-with hello lo/,
    command: (w) => w.length === 3 && (bare(w[0], "starts-with") || bare(w[0], "ends-with")),
  },

  // ---- output and commands
  { id: "echo", shape: "echo [-n] WORD...", cases: ["echo_flags_and_empty_args", "io_write_append_read"], evidence: /echo -n three/, command: (w) => bare(w[0], "echo") && !w.slice(1).some((x) => bare(x, /^-.*e/)) },
  { id: "echo-escape", shape: 'echo -n -e "${s}\\\\c" (flag-proof printer)', cases: ["echo_safe_print_guard"], evidence: /echo -n -e "\$\{s\}\\\\c"/, command: (w) => w.length === 4 && bare(w[0], "echo") && bare(w[1], "-n") && bare(w[2], "-e") },
  { id: "redirect", shape: "CMD > PATH, CMD >> PATH, CMD > /dev/stderr", cases: ["io_write_append_read", "subst_stderr_discarded"], evidence: /> \/dev\/stderr/ },
  {
    id: "external",
    shape: "PROGRAM WORD... [@ARRAY] (cat, ls, rm, sleep, run()/capture() programs)",
    cases: ["io_write_append_read", "io_read_file_lines", "words_empty_values"],
    evidence: /^cat \w+\.txt$/m,
    command: (w) => !(w[0].length === 1 && w[0][0].k === "text" && (ION_BUILTINS.has(w[0][0].text) || /^f_/.test(w[0][0].text))),
  },

  // ---- word pieces
  { id: "single-quoted", shape: "'TEXT'", cases: ["quote_whitespace", "quote_shell_metachars", "quote_keywords_and_tilde"], evidence: /'a && b \|\| c'/, part: (p) => p.k === "sq" },
  { id: "bare-text", shape: "NAME, 12, -eq, x", cases: ["cond_test_strings_and_integers"], evidence: /test 5 -lt 10/, part: (p) => p.k === "text" && /^[A-Za-z0-9_.=+:\/-]+$/.test(p.text) },
  {
    id: "double-quoted",
    shape: '"${NAME}", "x${NAME}", "TEXT"',
    cases: ["quote_as_function_args", "words_dollar_edge_cases", "cond_test_flag_hazard", "extra/quote_wide_whitespace_then_variable"],
    evidence: /"\$\{x\}_suffix"/,
    part: (p) => p.k === "dq",
  },
  { id: "variable", shape: "${NAME} (braced inside double quotes; $NAME as a method argument)", cases: ["words_dollar_edge_cases", "method_case_replace_find"], evidence: /\$\{x\}_suffix/, part: (p) => p.k === "var" && ION_NAME.test(p.name) },
  { id: "escape", shape: '"\\\\" "\\(" "\\)" inside double quotes', cases: ["quote_quotes_backslashes", "quote_parens_braces"], evidence: /"\\\("/, part: (p) => p.k === "esc" && ["\\", "(", ")"].includes(p.ch) },
  { id: "hex-char", shape: '"${x::HH}" (a control character, ion/quote.ts)', cases: ["words_hex_namespace"], evidence: /\$\{x::0A\}/, part: (p) => p.k === "hex" && /^[0-9A-F]{2}$/.test(p.code) },
  { id: "env-read", shape: '"${env::NAME}" (never a method\'s first argument)', cases: ["env_read_and_shadow", "fn_return_via_export", "extra/method_namespace_first_argument"], evidence: /\$\{env::NET_IFACE\}/, part: (p) => p.k === "env" },
  { id: "status", shape: "$?", cases: ["let_status_codes", "scope_question_mark_is_global"], evidence: /\$\?/, part: (p) => p.k === "status" },
  { id: "element", shape: '"@NAME[${NAME}]"', cases: ["arr_index_and_slices", "arr_iterate_by_index"], evidence: /"@a\[\$i\]"/, part: (p) => p.k === "element" && p.name !== "args" },
  { id: "array", shape: "@NAME (command arguments, $len(@NAME))", cases: ["words_one_word_vs_splat", "method_len_variants"], evidence: /\$len\(@a\)/, part: (p) => p.k === "array" && p.name !== "args" },
  { id: "script-args", shape: '$len(@args), "@args[${NAME}]"', cases: ["extra/args_array"], evidence: /@args\[/, part: (p) => (p.k === "array" || p.k === "element") && p.name === "args" },
  { id: "slice", shape: "$NAME[A..B], $NAME[..-1], $NAME[1..]", cases: ["method_string_index_slice"], evidence: /\$s\[1\.\.3\]/, part: (p) => p.k === "slice" },
  { id: "list", shape: "[] / [@bytes(...)] (array literals)", cases: ["arr_len_push_prepend_remove", "let_forms_and_parallel"], evidence: /\[@a w\]/, part: (p) => p.k === "list" },
  { id: "arith", shape: "$((A OP B)) with bare names, one operator, spaces", cases: ["arith_dollar_basic_ops", "arith_dollar_division_negatives_bigint", "arith_dollar_needs_spaces"], evidence: /\$\(\(n - 1\)\)/, part: (p) => p.k === "arith" && ARITH.test(p.expr) },
  { id: "capture", shape: "$(CMD; CMD) / $(CMD && CMD)", cases: ["subst_trailing_newlines_only", "io_write_append_read", "subst_status_inside_capture"], evidence: /\$\(f; let st = \$\?\)/, part: (p) => p.k === "subst" },

  // ---- methods (arguments: see check.ts, margs_* cases)
  { id: "len", shape: "$len(@A), $len($S), $len_bytes($S)", cases: ["method_len_variants"], evidence: /\$len_bytes\(\$s\)/, part: method("$len", "$len_bytes") },
  { id: "find", shape: "$find($S WORD) (a byte offset)", cases: ["method_case_replace_find"], evidence: /\$find\(\$s World\)/, part: method("$find") },
  { id: "replace", shape: "$replace($S $A $B)", cases: ["method_case_replace_find", "margs_paren_from_variable_ok"], evidence: /\$replace\(\$s o 0\)/, part: method("$replace") },
  { id: "regex-replace", shape: "$regex_replace($S $RE $WITH)", cases: ["method_regex_replace", "margs_regex_replace_paren_in_variable"], evidence: /\$regex_replace\(\$s \$re \$rep\)/, part: method("$regex_replace") },
  { id: "trim", shape: "$trim($S)", cases: ["method_trim_and_paths"], evidence: /\$trim\(\$p\)/, part: method("$trim") },
  { id: "parent", shape: "$parent($S)", cases: ["method_trim_and_paths"], evidence: /\$parent\(\$p\)/, part: method("$parent") },
  { id: "case", shape: "$to_lowercase($S), $to_uppercase($S)", cases: ["method_case_replace_find"], evidence: /\$to_lowercase\(\$s\)/, part: method("$to_lowercase", "$to_uppercase") },
  { id: "split", shape: "@split($S $SEP)", cases: ["method_split_and_lines", "margs_split_on_paren_in_for"], evidence: /@split\(\$csv ,\)/, part: method("@split") },
  { id: "chars-bytes", shape: "@chars($S), @bytes($S)", cases: ["method_repeat_reverse_unicode"], evidence: /@chars\("aé"\) @bytes\("AB"\)/, part: method("@chars", "@bytes") },
];

export function construct(id: string): Construct {
  const c = CONSTRUCTS.find((x) => x.id === id);
  if (!c) throw new Error(`internal: unknown construct ${id}`);
  return c;
}
