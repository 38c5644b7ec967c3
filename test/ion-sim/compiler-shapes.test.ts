/**
 * The Ion shapes the tsion compiler emits (see docs/ion-sim.md). Expected values follow
 * the conformance cases, docs/ion-lowering.md and the ion sources cited in docs/ion-sim.md; every
 * case can fail on a wrong interpreter.
 */
import { describe, expect, it } from "vitest";
import { runScript } from "./run.ts";

const lines = (...l: string[]) => l.join("\n") + "\n";

describe("compiler-emitted shapes", () => {
  it("top-level fns, f_main, exit N; locals declared first", () => {
    const r = runScript(lines("let K_A = 'k'", "fn f_x p_a p_b", "  let l_x = ''", '  let l_x = "${p_a}${p_b}${K_A}"', '  echo "${l_x}"', "end", "fn f_main", "  f_x 1 2", "end", "f_main", "exit 3"));
    expect(r).toMatchObject({ stdout: "12k\n", status: 3 });
  });

  it("export TSION_R and ${env::TSION_R} return values", () => {
    const r = runScript(lines("fn f_r p_v", '  export TSION_R = "r-${p_v}"', "end", "fn f_main", "  let l_v = ''", "  f_r 7", '  let l_v = "${env::TSION_R}"', '  echo "${l_v}"', "end", "f_main", "exit 0"));
    expect(r).toMatchObject({ stdout: "r-7\n", status: 0 });
  });

  it("$(( )) with bare names, negative operands and spaces", () => {
    const r = runScript(lines("let l_a = -7", "let l_b = 2", "let l_t = $((l_a + l_b))", 'echo "${l_t}" $((l_a - l_b)) $((l_a * l_b)) $((l_a % l_b)) $((l_b % l_a)) $((l_b - l_a))'));
    expect(r.stdout).toBe("-5 -9 -14 -1 2 9\n");
  });

  it("let //= truncates toward zero for negative operands", () => {
    const r = runScript(lines('let l_a = -7', 'let l_b = 2', 'let l_q = "${l_a}"', 'let l_q //= "${l_b}"', 'echo "${l_q}"', "let l_r = 7", "let l_r //= -2", 'echo "${l_r}"', "let l_z = 5", "let l_z //= 0", 'echo "$? ${l_z}"'));
    expect(r.stdout).toBe("-3\n-3\n1 5\n");
  });

  it("test with x-prefixed strings and integer comparisons", () => {
    const r = runScript(lines("let l_a = '-n'", "let l_b = zz", 'test "x${l_a}" = "x${l_b}"; echo $?', 'test "x${l_a}" = "x-n"; echo $?', "let l_i = -3", "let l_j = 05", 'test "${l_i}" -lt "${l_j}"; echo $?', 'test "+5" -eq "${l_j}"; echo $?', 'test "-0" -eq 0; echo $?'));
    expect(r.stdout).toBe("1\n0\n0\n0\n0\n");
  });

  it("the flag-proof printer prints flag-like values and ordinary ones", () => {
    const printer = lines(
      "fn f_print s",
      `  if matches "x\${s}" '^x(-[ens]*|--(escape|no-newline|no-spaces|help)|-h)$'`,
      '    echo -n -e "${s}\\\\c"',
      "    echo",
      "  else",
      '    echo "${s}"',
      "  end",
      "end",
    );
    const r = runScript(printer + lines("f_print '-n'", "f_print '-e'", "f_print '--help'", "f_print 'a\\tb'", "f_print ''"));
    expect(r.stdout).toBe("-n\n-e\n--help\na\\tb\n\n");
  });

  it("while true with if/break, and arrays built with ++= and iterated by index", () => {
    const r = runScript(
      lines(
        "let K_SEP = ','",
        "let l_a = []",
        "let l_n = 0",
        "let l_s = 'a,,$x,*'",
        'for l_e in @split($l_s "${K_SEP}")',
        '  let l_a ++= "${l_e}"',
        "end",
        "for l_i in 0..$len(@l_a)",
        '  echo "${l_i}:@l_a[$l_i]:@l_a[${l_i}]"',
        "end",
        "while true",
        "  let l_n += 1",
        '  if test "${l_n}" -ge 3; break; end',
        "end",
        'echo "n=${l_n}"',
      ),
    );
    expect(r.stdout).toBe("0:a:a\n1::\n2:$x:$x\n3:*:*\nn=3\n");
  });

  it("string slices by grapheme, open and negative ranges, variable bounds (docs/ion-sim.md, string slices)", () => {
    const r = runScript(lines("let l_s = 'héllo wörld'", "let l_i = 1", "let l_j = 4", 'echo "$l_s[2..5]|$l_s[..-1]|$l_s[1..]|$l_s[$l_i]|$l_s[${l_i}..${l_j}]|$l_s[-1]"', "let l_e = ''", 'echo "[$l_e[..-1]][$l_e[1..]][$l_s[20..]]"'));
    expect(r.stdout).toBe("llo|héllo wörl|éllo wörld|é|éll|d\n[][][]\n");
  });

  it("$len forms, $find byte offsets, $replace, $to_lowercase, $trim (docs/ion-sim.md, $find and $len)", () => {
    const r = runScript(lines("let l_s = 'héllo'", "let l_p = 'l'", "let l_w = '  x y  '", 'echo $len($l_s) $len("${l_s}") $len(l_s) $len_bytes($l_s) $find($l_s "${l_p}") $find($l_s "z")', 'echo $replace($l_s "${l_p}" "L") $to_lowercase("ÀBC") "[$trim($l_w)]"', 'echo @chars("e\u0301x") $len("e\u0301x")'));
    expect(r.stdout).toBe("5 5 5 6 3 -1\nhéLLo àbc [x y]\ne \u0301 x 2\n");
  });

  it("$(cat file; echo -n x) keeps trailing newlines of the file", () => {
    const r = runScript(lines('let l_p = "f.txt"', 'let l_c = $(cat "${l_p}"; echo -n x)', 'echo "[${l_c}]"'), { files: { "f.txt": "a\n\n" } });
    expect(r.stdout).toBe("[a\n\nx]\n");
  });

  it("ends-with with a newline constant", () => {
    const r = runScript(lines('let K_NL = "', '"', 'let l_s = "ab', '"', 'ends-with "x${l_s}" "${K_NL}"; echo $?', 'ends-with "xab" "${K_NL}"; echo $?'));
    expect(r.stdout).toBe("0\n1\n");
  });

  it("the quoting recipe round-trips", () => {
    const r = runScript(lines(`echo 'it'"'"'s ''$''5 '"\\("'x'"\\)"' "\\\\"'`, `let v = 'C:'"\\\\"'tmp'`, 'echo "<${v}>"'));
    expect(r.stdout).toBe('it\'s $5 (x) "\\\\"\n<C:\\tmp>\n');
  });

  it("exit inside $( ) ends the script; return inside a captured function only ends the function", () => {
    const r = runScript(lines("fn f_v", "  echo val", "  return 4", "  echo never", "end", "let l_r = $(f_v; let l_st = $?)", 'echo "${l_r} ${l_st}"', "let l_x = $(exit 5)", "echo unreachable"));
    expect(r).toMatchObject({ stdout: "val 4\n", status: 5 });
  });
});

describe("errors and gaps", () => {
  it("unsupported constructs name the file and line", () => {
    const r = runScript(lines("echo a", "wait"));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("a\n");
    expect(r.stderr).toContain("ion-sim: t.ion:2: unsupported builtin 'wait'");
  });

  it("echo into a file rejecting writes returns 1 and a failed echo -n shows up later", () => {
    const r = runScript(lines("echo -n lost > /dev/full", 'echo "st=$?"'));
    expect(r.stdout).toBe("lost" + "st=1\n");
  });

  it("panics are reported with status 134", () => {
    const r = runScript(lines("let w = W", `let v = '\u00a0'"\${w}"'x'`));
    expect(r.status).toBe(134);
    expect(r.stderr).toContain("panicked");
  });
});
