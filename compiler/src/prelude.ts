/**
 * Ion runtime helpers (`f_rt_*`) and constants (`K_*`), emitted into a script
 * only when its code uses them (and what they use in turn), in this order.
 *
 * Every helper follows the generated-code shape of ion/names.ts: locals first,
 * results returned in TSION_R. The Ion rules the comments rely on are explained
 * in docs/ion-lowering.md.
 */
import { ARRAY_CONSTANTS } from "./lower/arrays.ts";
import { SLEEP_HELPER_ION } from "../../runtime-shims/runtime/sleep-fallback.ts";
import { LIST_DIR_CONSTANTS, LIST_DIR_HELPER_ION } from "../../runtime-shims/runtime/dir-listing.ts";
import { quote } from "./ion/quote.ts";

interface Helper {
  /** Names of helpers or constant groups this one needs. */
  uses: string[];
  /** Top-level constant lines (for `K_*` groups) or a function definition. */
  text: string;
}

const NL = "\n";

/** `let K_NAME = VALUE` lines, each value through the quoting rule (ion/quote.ts). */
function constants(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => `let ${name} = ${quote(value)}`)
    .join(NL);
}

/** The flag-proof printer (docs/ion-lowering.md, Builtin hazards avoided), to stdout or redirected. */
function printer(name: string, doc: string, redirect: string): Helper {
  return {
    uses: [],
    text: `# ${doc}
fn ${name} p_s
  if matches "x\${p_s}" '^x(-[ens]*|--(escape|no-newline|no-spaces|help)|-h)$'
    echo -n -e "\${p_s}\\\\c"${redirect}
    echo${redirect}
  else
    echo "\${p_s}"${redirect}
  end
end`,
  };
}

/**
 * Ion cannot send output to fd 2 except through /dev/stderr, and an
 * unopenable redirection is fatal. Redox images may have no
 * /dev/stderr (they ship /dev/null and a few others): then the line goes to
 * stdout, which init sends to the same log, instead of killing the script.
 * The Node runner applies the same rule (runtime-shims/node-runner).
 */
const STDERR_OR_STDOUT = `if test -e /dev/stderr
    f_rt_eprint_to "\${p_s}"
  else
    f_rt_print "\${p_s}"
  end`;

export const PRELUDE: Record<string, Helper> = {
  K_array: { uses: [], text: constants(ARRAY_CONSTANTS) },
  K_text: {
    uses: [],
    // K_MARK ends every `$( )` capture so trailing newlines survive ($( ) strips them);
    // as a control character it is always a grapheme of its own. K_DOT pads
    // values for ends-with (never exactly -h, which prints a builtin's manual) as a
    // variable piece: a literal after text ending in non-ASCII whitespace panics ion.
    text: constants({ K_NL: NL, K_CR: "\r", K_CRNL: "\r" + NL, K_MARK: "\u0001", K_DOT: ".", K_BS2: "\\\\", K_BS4: "\\\\\\\\" }),
  },
  f_rt_die: {
    uses: ["f_rt_eprint"],
    text: `# Print "tsion: MESSAGE" on stderr and stop with status 1 (like an uncaught error on Node).
fn f_rt_die p_msg
  f_rt_eprint "tsion: \${p_msg}"
  exit 1
end`,
  },
  f_rt_die_at: {
    uses: ["f_rt_die"],
    text: `# f_rt_die "P_AT: P_MSG" (P_AT: the TypeScript file:line that failed), built with
# ++= (a literal after a runtime value ending in non-ASCII whitespace panics ion).
fn f_rt_die_at p_at p_msg
  let l_m = "\${p_at}"
  let l_m ++= ': '
  let l_m ++= "\${p_msg}"
  f_rt_die "\${l_m}"
end`,
  },
  f_rt_die_about: {
    uses: ["f_rt_die_at"],
    text: `# f_rt_die "P_AT: P_MSG 'P_VALUE'".
fn f_rt_die_about p_at p_msg p_value
  let l_m = "\${p_msg}"
  let l_m ++= " '"
  let l_m ++= "\${p_value}"
  let l_m ++= "'"
  f_rt_die_at "\${p_at}" "\${l_m}"
end`,
  },
  f_rt_print: printer("f_rt_print", "Print one line exactly (echo would take -n, -e, -h ... as options).", ""),
  f_rt_eprint_to: printer("f_rt_eprint_to", "f_rt_print for /dev/stderr.", " > /dev/stderr"),
  f_rt_eprint: {
    uses: ["f_rt_print", "f_rt_eprint_to"],
    text: `# console.error: to /dev/stderr when the system has it, else to stdout.
fn f_rt_eprint p_s
  ${STDERR_OR_STDOUT}
end`,
  },
  f_rt_negz: {
    uses: [],
    text: `# JavaScript's sign of a zero result: -0 or 0 (p_r: mul, div, mod, add, sub,
# neg, floor), from the signs of the operands as text ("-0" is negative).
fn f_rt_negz p_r p_a p_b
  let l_na = 0
  let l_nb = 0
  if matches "x\${p_a}" '^x-'
    let l_na = 1
  end
  if matches "x\${p_b}" '^x-'
    let l_nb = 1
  end
  export TSION_R = 0
  if test "\${p_r}" = mul || test "\${p_r}" = div
    if not test "\${l_na}" = "\${l_nb}"
      export TSION_R = -0
    end
  else if test "\${p_r}" = mod
    if test "\${l_na}" = 1
      export TSION_R = -0
    end
  else if test "\${p_r}" = add
    if test "\${l_na}\${l_nb}" = 11
      export TSION_R = -0
    end
  else if test "\${p_r}" = sub
    if test "\${l_na}\${l_nb}" = 10
      export TSION_R = -0
    end
  else if test "\${p_r}" = neg
    if test "\${l_na}" = 0
      export TSION_R = -0
    end
  else if test "\${p_r}" = floor
    if test "\${p_a}" -eq 0 && not test "\${l_na}" = "\${l_nb}"
      export TSION_R = -0
    end
  end
end`,
  },
  f_rt_esc: {
    uses: ["K_text"],
    text: `# Double backslashes: method arguments after the first are C-unescaped.
fn f_rt_esc p_s
  let l_r = "\${p_s}"
  if not test $find($p_s $K_BS2) = -1
    let l_r = $replace($p_s $K_BS2 $K_BS4)
  end
  export TSION_R = "\${l_r}"
end`,
  },
  f_rt_strlen: {
    uses: [],
    text: `# JavaScript length (UTF-16 code units). $len counts graphemes, so count
# code points (4-byte ones twice) unless every grapheme is one byte.
fn f_rt_strlen p_s
  let l_n = 0
  let l_c = ''
  if test $len_bytes($p_s) -eq $len($p_s)
    export TSION_R = $len_bytes($p_s)
    return
  end
  for l_c in @chars($p_s)
    if test $len_bytes($l_c) -eq 4
      let l_n += 2
    else
      let l_n += 1
    end
  end
  export TSION_R = "\${l_n}"
end`,
  },
  f_rt_slice: {
    uses: ["f_rt_strlen"],
    text: `# JavaScript s.slice(a, b) ("" for b means the end), in UTF-16 code units.
fn f_rt_slice p_s p_a p_b
  let l_n = 0
  let l_i = 0
  let l_c = ''
  let l_r = ''
  f_rt_strlen "\${p_s}"
  let l_n = "\${env::TSION_R}"
  let p_a = $((p_a + 0))
  if test "x\${p_b}" = x
    let p_b = "\${l_n}"
  end
  let p_b = $((p_b + 0))
  if test "\${p_a}" -lt 0
    let p_a = $((l_n + p_a))
    if test "\${p_a}" -lt 0
      let p_a = 0
    end
  else if test "\${p_a}" -gt "\${l_n}"
    let p_a = "\${l_n}"
  end
  if test "\${p_b}" -lt 0
    let p_b = $((l_n + p_b))
    if test "\${p_b}" -lt 0
      let p_b = 0
    end
  else if test "\${p_b}" -gt "\${l_n}"
    let p_b = "\${l_n}"
  end
  if test "\${p_b}" -le "\${p_a}"
    export TSION_R = ''
    return
  end
  if test $len_bytes($p_s) -eq $len($p_s)
    export TSION_R = $p_s[\${p_a}..\${p_b}]
    return
  end
  for l_c in @chars($p_s)
    if test "\${l_i}" -ge "\${p_a}" && test "\${l_i}" -lt "\${p_b}"
      let l_r ++= "\${l_c}"
    end
    if test $len_bytes($l_c) -eq 4
      let l_i += 2
    else
      let l_i += 1
    end
  end
  export TSION_R = "\${l_r}"
end`,
  },
  f_rt_find: {
    uses: ["f_rt_esc", "f_rt_strlen"],
    text: `# JavaScript s.indexOf(x) in UTF-16 code units ($find gives a byte offset).
fn f_rt_find p_s p_x
  let l_x = ''
  let l_f = ''
  let l_p = ''
  if test "x\${p_x}" = x
    export TSION_R = 0
    return
  end
  f_rt_esc "\${p_x}"
  let l_x = "\${env::TSION_R}"
  let l_f = $find($p_s "\${l_x}")
  if test "\${l_f}" = -1 || test $len_bytes($p_s) -eq $len($p_s)
    export TSION_R = "\${l_f}"
    return
  end
  for l_p in @split($p_s "\${l_x}")
    f_rt_strlen "\${l_p}"
    return
  end
end`,
  },
  f_rt_find_from: {
    uses: ["f_rt_find", "f_rt_slice", "f_rt_strlen"],
    text: `# JavaScript s.indexOf(x, from): the position is clamped to [0, length].
fn f_rt_find_from p_s p_x p_f
  let l_n = 0
  let l_t = ''
  let l_r = ''
  f_rt_strlen "\${p_s}"
  let l_n = "\${env::TSION_R}"
  let p_f = $((p_f + 0))
  if test "\${p_f}" -lt 0
    let p_f = 0
  else if test "\${p_f}" -gt "\${l_n}"
    let p_f = "\${l_n}"
  end
  f_rt_slice "\${p_s}" "\${p_f}" ''
  let l_t = "\${env::TSION_R}"
  f_rt_find "\${l_t}" "\${p_x}"
  let l_r = "\${env::TSION_R}"
  if test "\${l_r}" -ge 0
    let l_r = $((l_r + p_f))
  end
  export TSION_R = "\${l_r}"
end`,
  },
  f_rt_includes: {
    uses: ["f_rt_esc"],
    text: `# JavaScript s.includes(x), as the status (0: true).
fn f_rt_includes p_s p_x
  let l_x = ''
  f_rt_esc "\${p_x}"
  let l_x = "\${env::TSION_R}"
  not test $find($p_s "\${l_x}") = -1
end`,
  },
  // `$'` as a method argument: a quote stays out of Ion's argument splitter (ion/check.ts).
  K_replace: { uses: [], text: constants({ K_DOLLAR_QUOTE: "$'" }) },
  f_rt_replace: {
    uses: ["f_rt_esc", "f_rt_die_at", "K_replace"],
    text: `# JavaScript s.replace(a, b) (p_m = 1) or s.replaceAll(a, b) (p_m = all) with a
# string pattern; in b, $$ is $ and $& is the match (GetSubstitution). Built
# with @split and ++= only: an empty method argument would vanish.
# p_at: the TypeScript file:line, for the failure message.
fn f_rt_replace p_s p_a p_b p_m p_at
  let l_a = ''
  let l_b = ''
  let l_piece = ''
  let l_q = ''
  let l_k = 0
  let l_n = 0
  let l_j = 0
  let l_m = 0
  let l_r = ''
  let l_c = ''
  if not test $find($p_b '$') = -1
    if not test $find($p_b '$''\`') = -1 || not test $find($p_b $K_DOLLAR_QUOTE) = -1
      f_rt_die_at "\${p_at}" 'replace: the prefix and suffix replacement patterns are not supported'
    end
    let l_n = $len(@split($p_b '$''$'))
    for l_piece in @split($p_b '$''$') x
      if test "\${l_k}" -lt "\${l_n}"
        if test "\${l_k}" -gt 0
          let l_b ++= '$'
        end
        let l_j = 0
        let l_m = $len(@split($l_piece '$''&'))
        for l_q in @split($l_piece '$''&') x
          if test "\${l_j}" -lt "\${l_m}"
            if test "\${l_j}" -gt 0
              let l_b ++= "\${p_a}"
            end
            let l_b ++= "\${l_q}"
          end
          let l_j += 1
        end
      end
      let l_k += 1
    end
  else
    let l_b = "\${p_b}"
  end
  if test "x\${p_a}" = x
    let l_r = "\${l_b}"
    if test "\${p_m}" = all
      for l_c in @chars($p_s)
        let l_r ++= "\${l_c}"
        let l_r ++= "\${l_b}"
      end
    else
      let l_r ++= "\${p_s}"
    end
    export TSION_R = "\${l_r}"
    return
  end
  f_rt_esc "\${p_a}"
  let l_a = "\${env::TSION_R}"
  let l_n = $len(@split($p_s "\${l_a}"))
  let l_k = 0
  for l_piece in @split($p_s "\${l_a}") x
    if test "\${l_k}" -lt "\${l_n}"
      # the first separator becomes b; later ones too for replaceAll
      if test "\${l_k}" -eq 1
        let l_r ++= "\${l_b}"
      else if test "\${l_k}" -gt 1
        if test "\${p_m}" = all
          let l_r ++= "\${l_b}"
        else
          let l_r ++= "\${p_a}"
        end
      end
      let l_r ++= "\${l_piece}"
    end
    let l_k += 1
  end
  export TSION_R = "\${l_r}"
end`,
  },
  f_rt_format: {
    uses: ["K_array", "f_rt_num", "f_rt_die_at"],
    text: `# util.format for a format string known only at run time: p_k holds one
# kind letter per argument (s, n, b), p_e the arguments as an encoded array,
# p_at the TypeScript file:line (for a failure).
fn f_rt_format p_f p_k p_e p_at
  let l_a = []
  let l_n = 0
  let l_k = 1
  let l_e = ''
  let l_i = 0
  let l_c = ''
  let l_pct = 0
  let l_r = ''
  let l_kind = ''
  let l_v = ''
  let l_n = $len(@split($p_e $K_AS))
  for l_e in @split($p_e $K_AS) x
    if test "\${l_k}" -lt "\${l_n}"
      let l_e = $replace($l_e $K_AES $K_AS)
      let l_e = $replace($l_e $K_AEE $K_AE)
      let l_a ++= "\${l_e}"
    end
    let l_k += 1
  end
  let l_n = $len(@l_a)
  if test $find($p_f '%') = -1
    # no format sequences: Node joins the arguments with spaces
    let l_r = "\${p_f}"
    let l_pct = 2
  end
  for l_c in @chars($p_f)
    if test "\${l_pct}" = 2
      break
    end
    if test "\${l_pct}" = 1
      let l_pct = 0
      if test "\${l_i}" -lt "\${l_n}"
        let l_v = "@l_a[\${l_i}]"
        let l_kind = $p_k[\${l_i}]
        if test "x\${l_c}" = xs
          let l_r ++= "\${l_v}"
          let l_i += 1
        else if test "x\${l_c}" = xd || test "x\${l_c}" = xi
          if test "x\${l_c}" = xi && test "\${l_kind}" = n
            # parseInt(String(x)): -0 prints as 0
            let l_v = $((l_v + 0))
          end
          if test "\${l_kind}" = b
            if test "\${l_v}" = true
              let l_v = 1
            else
              let l_v = 0
            end
          else if test "\${l_kind}" = s
            f_rt_num "\${l_v}" n "\${p_at}"
            let l_v = "\${env::TSION_R}"
          end
          let l_r ++= "\${l_v}"
          let l_i += 1
        else if test "x\${l_c}" = xc
          let l_i += 1
        else if test "x\${l_c}" = 'x%'
          let l_r ++= '%'
        else if test "x\${l_c}" = xj || test "x\${l_c}" = xo || test "x\${l_c}" = xO || test "x\${l_c}" = xf
          let l_r = 'console.log: the format specifier %'
          let l_r ++= "\${l_c}"
          let l_r ++= ' is not supported'
          f_rt_die_at "\${p_at}" "\${l_r}"
        else
          let l_r ++= '%'
          let l_r ++= "\${l_c}"
        end
      else if test "x\${l_c}" = 'x%'
        let l_r ++= '%'
      else
        let l_r ++= '%'
        let l_r ++= "\${l_c}"
      end
    else if test "x\${l_c}" = 'x%'
      let l_pct = 1
    else
      let l_r ++= "\${l_c}"
    end
  end
  if test "\${l_pct}" = 1
    let l_r ++= '%'
  end
  while test "\${l_i}" -lt "\${l_n}"
    let l_r ++= ' '
    let l_r ++= "@l_a[\${l_i}]"
    let l_i += 1
  end
  export TSION_R = "\${l_r}"
end`,
  },
  f_rt_chomp: {
    uses: ["K_text"],
    text: `# Remove one trailing newline ("\\r\\n" is one grapheme, so keep its "\\r").
fn f_rt_chomp p_s
  let l_r = "\${p_s}"
  if ends-with "\${p_s}\${K_DOT}" "\${K_NL}\${K_DOT}"
    let l_r = $p_s[..-1]
    if ends-with "\${p_s}\${K_DOT}" "\${K_CRNL}\${K_DOT}"
      let l_r ++= "\${K_CR}"
    end
  end
  export TSION_R = "\${l_r}"
end`,
  },
  // Regex and replacement of parseInt's leading-integer rule: method arguments, so variables
  // (docs/ion-lowering.md, Method arguments).
  K_num: { uses: [], text: constants({ K_INT_PREFIX: "(?s)^([+-]?[0-9]+).*$", K_GROUP1: "$1" }) },
  f_rt_num: {
    uses: ["f_rt_die_about", "K_num"],
    text: `# Number(s) (p_m = n) or parseInt(s, 10) (p_m = i) for decimal integers;
# p_at: the TypeScript file:line, for the failure message.
fn f_rt_num p_s p_m p_at
  let l_t = ''
  let l_n = 0
  let l_neg = 0
  let l_t = $trim($p_s)
  if test "\${p_m}" = n && test "x\${l_t}" = x
    export TSION_R = 0
    return
  end
  if test "\${p_m}" = i
    let l_t = $regex_replace($l_t $K_INT_PREFIX $K_GROUP1)
  end
  if not matches "x\${l_t}" '^x[+-]?[0-9]+$'
    f_rt_die_about "\${p_at}" 'not a decimal integer:' "\${p_s}"
  end
  if matches "x\${l_t}" '^x[+-]'
    if matches "x\${l_t}" '^x-'
      let l_neg = 1
    end
    let l_t = $l_t[1..]
  end
  let l_n += "\${l_t}"
  if test "\${l_neg}" = 1
    let l_n = $((0 - l_n))
    if test "\${l_n}" = 0
      let l_n = -0
    end
  end
  export TSION_R = "\${l_n}"
end`,
  },
  f_rt_strcmp: {
    uses: [],
    text: `# Compare two strings by code point (UTF-8 byte order): -1, 0 or 1.
fn f_rt_strcmp p_a p_b
  let l_x = [@bytes($p_a)]
  let l_y = [@bytes($p_b)]
  let l_i = 0
  let l_nx = $len(@l_x)
  let l_ny = $len(@l_y)
  export TSION_R = 0
  while true
    if test "\${l_i}" -ge "\${l_nx}"
      if test "\${l_i}" -lt "\${l_ny}"
        export TSION_R = -1
      end
      return
    end
    if test "\${l_i}" -ge "\${l_ny}"
      export TSION_R = 1
      return
    end
    if test "@l_x[\${l_i}]" -lt "@l_y[\${l_i}]"
      export TSION_R = -1
      return
    end
    if test "@l_x[\${l_i}]" -gt "@l_y[\${l_i}]"
      export TSION_R = 1
      return
    end
    let l_i += 1
  end
end`,
  },
  f_rt_sort: {
    uses: ["K_array", "f_rt_strcmp"],
    text: `# Array.prototype.sort() with no comparator: stable insertion sort of the
# encoded array p_e by string value (code point order).
fn f_rt_sort p_e
  let l_a = []
  let l_n = 0
  let l_k = 1
  let l_e = ''
  let l_i = 0
  let l_j = 0
  let l_v = ''
  let l_w = ''
  let l_t = 0
  let l_out = ''
  let l_n = $len(@split($p_e $K_AS))
  for l_e in @split($p_e $K_AS) x
    if test "\${l_k}" -lt "\${l_n}"
      let l_a ++= "\${l_e}"
    end
    let l_k += 1
  end
  let l_i = 1
  while test "\${l_i}" -lt $len(@l_a)
    let l_v = "@l_a[\${l_i}]"
    let l_j = $((l_i - 1))
    while test "\${l_j}" -ge 0
      let l_w = "@l_a[\${l_j}]"
      f_rt_strcmp "\${l_w}" "\${l_v}"
      if not test "\${env::TSION_R}" = 1
        break
      end
      let l_t = $((l_j + 1))
      let l_a[\${l_t}] = "\${l_w}"
      let l_j -= 1
    end
    let l_t = $((l_j + 1))
    let l_a[\${l_t}] = "\${l_v}"
    let l_i += 1
  end
  for l_i in 0..$len(@l_a)
    let l_out ++= "@l_a[\${l_i}]"
    let l_out ++= "\${K_AS}"
  end
  export TSION_R = "\${l_out}"
end`,
  },
  f_rt_fstest: {
    uses: [],
    text: `# test FLAG PATH for a path of any spelling, as the status: "" is false, and a
# leading "-" gets "./" so test never sees an option such as -h.
fn f_rt_fstest p_f p_p
  let l_q = "\${p_p}"
  if test "x\${p_p}" = x
    return 1
  end
  if matches "x\${p_p}" '^x-'
    let l_q = "./\${p_p}"
  end
  test "\${p_f}" "\${l_q}"
end`,
  },
  f_rt_command_exists: {
    uses: [],
    text: `# commandExists(): a program of that name on PATH, as the status. Only a plain
# name: "", "/" and a leading "-" (exists would take -h as an option) are false.
fn f_rt_command_exists p_n
  matches "x\${p_n}" '^x[^/-][^/]*$' && exists -b "\${p_n}"
end`,
  },
  f_rt_argpath: {
    uses: [],
    text: `# A path as a command argument: a leading "-" gets "./" (same file, not an option).
fn f_rt_argpath p_p
  if matches "x\${p_p}" '^x-'
    export TSION_R = "./\${p_p}"
  else
    export TSION_R = "\${p_p}"
  end
end`,
  },
  f_rt_read_file: {
    uses: ["f_rt_argpath", "f_rt_die_about", "K_text"],
    text: `# readFile: the whole file via cat; K_MARK keeps trailing newlines.
fn f_rt_read_file p_p p_at
  let l_q = ''
  let l_c = ''
  f_rt_argpath "\${p_p}"
  let l_q = "\${env::TSION_R}"
  let l_c = $(cat "\${l_q}" && echo -n "\${K_MARK}")
  if not ends-with "\${l_c}\${K_DOT}" "\${K_MARK}\${K_DOT}"
    f_rt_die_about "\${p_at}" 'readFile: cannot read' "\${p_p}"
  end
  export TSION_R = $l_c[..-1]
end`,
  },
  f_rt_write: {
    uses: ["K_text", "f_rt_chomp"],
    text: `# writeFile (p_m = w) / appendFile (p_m = a): one echo, checked; the status
# says whether it worked. An unopenable redirection target is fatal in Ion,
# so test first.
fn f_rt_write p_p p_d p_m
  let l_q = "\${p_p}"
  let l_dir = ''
  let l_x = ''
  let l_nl = 0
  let l_st = 1
  if test "x\${p_p}" = x
    return 1
  end
  if matches "x\${p_p}" '^x-'
    let l_q = "./\${p_p}"
  end
  if test -d "\${l_q}"
    return 1
  end
  let l_dir = $parent($l_q)
  if test "x\${l_dir}" = x
    let l_dir = .
  end
  if not test -d "\${l_dir}"
    return 1
  end
  if test -e "\${l_q}" && not test -w "\${l_q}"
    return 1
  end
  # Data ending in a newline goes out as one \`echo LINE\`: a rejected \`echo -n\`
  # would leave its text in ion's stdout buffer, printed later.
  let l_x = "\${p_d}"
  let l_nl = 0
  if ends-with "\${p_d}\${K_DOT}" "\${K_NL}\${K_DOT}"
    f_rt_chomp "\${p_d}"
    let l_x = "\${env::TSION_R}"
    let l_nl = 1
  end
  if matches "x\${l_x}" '^x(-[ens]*|--(escape|no-newline|no-spaces|help)|-h)$'
    if test "\${p_m}" = a
      echo -n -e "\${l_x}\\\\c" >> "\${l_q}"
    else
      echo -n -e "\${l_x}\\\\c" > "\${l_q}"
    end
    let l_st = $?
    if test "\${l_st}" -eq 0 && test "\${l_nl}" = 1
      echo >> "\${l_q}"
      let l_st = $?
    end
  else if test "\${l_nl}" = 1
    if test "\${p_m}" = a
      echo "\${l_x}" >> "\${l_q}"
    else
      echo "\${l_x}" > "\${l_q}"
    end
    let l_st = $?
  else if test "\${p_m}" = a
    echo -n "\${l_x}" >> "\${l_q}"
    let l_st = $?
  else
    echo -n "\${l_x}" > "\${l_q}"
    let l_st = $?
  end
  test "\${l_st}" -eq 0
end`,
  },
  // listDir(): the rule and its TypeScript mirror live in runtime-shims/runtime/dir-listing.ts.
  K_glob: { uses: [], text: constants(LIST_DIR_CONSTANTS) },
  f_rt_list_dir: { uses: ["f_rt_fstest", "f_rt_die_about", "K_array", "K_glob"], text: LIST_DIR_HELPER_ION },
  f_rt_remove: {
    uses: ["f_rt_argpath"],
    text: `# remove: rm PATH, inside $( ) so that its complaints are discarded as the
# Node implementation does (a capture discards stderr); the status says whether it succeeded.
fn f_rt_remove p_p
  let l_q = ''
  let l_r = ''
  f_rt_argpath "\${p_p}"
  let l_q = "\${env::TSION_R}"
  let l_r = $(rm "\${l_q}" && echo -n ok)
  test "x\${l_r}" = xok
end`,
  },
  // sleep(): the rule and its TypeScript mirror live in runtime-shims/runtime/sleep-fallback.ts.
  f_rt_sleep: { uses: [], text: SLEEP_HELPER_ION },
};

/** The helpers `used` needs, dependencies first, each once, in PRELUDE order. */
export function resolvePrelude(used: Iterable<string>): { constants: string[]; functions: string[] } {
  const need = new Set<string>();
  const visit = (name: string) => {
    if (need.has(name)) return;
    const h = PRELUDE[name];
    if (!h) throw new Error(`internal: unknown prelude helper ${name}`);
    need.add(name);
    h.uses.forEach(visit);
  };
  for (const u of used) visit(u);
  const constants: string[] = [];
  const functions: string[] = [];
  for (const [name, h] of Object.entries(PRELUDE)) {
    if (!need.has(name)) continue;
    (name.startsWith("K_") ? constants : functions).push(h.text);
  }
  return { constants, functions };
}
