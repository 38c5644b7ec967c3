/**
 * ion-sim fails where real Ion fails, when Ion fails: constructs that real Ion rejects (syntax
 * errors, fatal errors, panics) and behaviours ion-sim once got wrong. Every expectation was
 * recorded from ion 1440704f; with ION_BIN set, each script also runs on that binary and the
 * two results must agree.
 */
import { describe, expect, it } from "vitest";
import { runRealIon, runScript } from "./run.ts";

interface Case {
  name: string;
  src: string;
  stdout: string;
  status: number;
  stderr?: string;
}

const lines = (...l: string[]) => l.join("\n") + "\n";

const CASES: Case[] = [
  {
    name: "a ')' inside quotes ends a $( ): syntax error when the line is reached",
    src: lines("echo before", "echo $(echo '(x)')", "echo after"),
    stdout: "before\n",
    status: 1,
    stderr: "ion: syntax error: syntax error: ')' at position 18 is out of place",
  },
  {
    name: "'$( x' inside single quotes is an unterminated subshell (and hides the ';')",
    src: lines("echo before", "echo '$( x'; echo never"),
    stdout: "before\n",
    status: 1,
    stderr: "syntax error: unterminated subshell",
  },
  {
    name: "'${a b}' inside single quotes is a syntax error",
    src: lines("echo before", "echo '${a b}'"),
    stdout: "before\n",
    status: 1,
    stderr: "' ' at position 10 is out of place",
  },
  {
    name: '"5$" reads the variable with the empty name: fatal',
    src: lines("echo before", 'echo "5$"', "echo after"),
    stdout: "before\n",
    status: 1,
    stderr: 'Variable "" does not exist',
  },
  {
    name: "a lone { in a re-expanded array element panics",
    src: lines("let v = '{'", "echo before", "let a = [x $v]", "echo after"),
    stdout: "before\n",
    status: 134,
  },
  {
    name: "a syntax error after ';' stops the line after the statements before it ran",
    src: lines("echo one; echo $join([a] ')'); echo two", "echo three"),
    stdout: "one\n",
    status: 1,
    stderr: "is out of place",
  },
  {
    name: "two outputs for one stream: ion tees to both files",
    src: lines("echo a > f1 > f2", "cat f1 f2"),
    stdout: "a\na\n",
    status: 0,
  },
  {
    name: "several inputs are concatenated; inputs after a pipe follow the piped data",
    src: lines("echo one > a; echo two > b", "cat < a < b", "echo x | cat <<< y"),
    stdout: "one\ntwo\nx\ny\n",
    status: 0,
  },
  {
    name: "read goes through one shared stdin buffer: a later read gets the rest of an earlier input",
    src: lines('read first <<< "l1', 'l2"', "read second < /dev/null", 'echo "$first $second"'),
    stdout: "l1 l2\n",
    status: 0,
  },
  {
    name: "aliases expand in pipelines",
    src: lines('alias hi = "echo hello"', "hi world | tr a-z A-Z"),
    stdout: "HELLO WORLD\n",
    status: 0,
  },
  {
    name: "set -e makes a failing pipeline fatal",
    src: lines("set -e", "echo start", "false", "echo never"),
    stdout: "start\n",
    status: 1,
    stderr: "early exit: pipeline failed with error code 1",
  },
  {
    name: "bmap: sorted keys, element assignment, @keys and @values",
    src: lines("let m:bmap[str] = [b=2 a=1]", "let m[c] = 3", "echo @m @m[a] @keys(m) @values(m)"),
    stdout: "a 1 b 2 c 3 1 a b c 1 2 3\n",
    status: 0,
  },
  {
    name: "${super::x} reads past the function's own frame",
    src: lines("fn f", "  echo ${super::g}", "end", "let g = global", "f"),
    stdout: "global\n",
    status: 0,
  },
  {
    name: "cd sets PWD and OLDPWD; cd - prints the previous directory and returns to it",
    src: lines("let here = $PWD", "cd /", "echo $PWD", 'test "$OLDPWD" = "$here"; echo $?', 'test "$(cd -)" = "$here"; echo $?', 'test "$PWD" = "$here"; echo $?'),
    stdout: "/\n0\n0\n0\n",
    status: 0,
  },
  {
    name: "test with two arguments is a parse error; a non-integer operand fails",
    src: lines("test a b; echo $?", "test 1 -eq x; echo $?"),
    stdout: "1\n1\n",
    status: 0,
    stderr: "parse error: condition expected",
  },
];

describe("ion-sim rejects what ion rejects (recorded from ion 1440704f)", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const r = runScript(c.src);
      expect({ stdout: r.stdout, status: r.status }).toEqual({ stdout: c.stdout, status: c.status });
      if (c.stderr) expect(r.stderr).toContain(c.stderr);
      if (c.status === 134) expect(r.stderr).toContain("panicked");
      const real = runRealIon(c.src);
      if (real) expect({ stdout: r.stdout, status: r.status }).toEqual({ stdout: real.stdout, status: real.status });
    });
  }

  it("a $( ) writing more than 64 KiB stops loudly (real ion deadlocks: it reads the pipe after the command)", () => {
    const r = runScript(lines("let ok = $(head -c 65536 /dev/zero | tr '\\0' a)", "echo $len($ok)", "let big = $(head -c 65537 /dev/zero | tr '\\0' a)", "echo never"));
    expect(r.stdout).toBe("65536\n");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("ion-sim: t.ion:3: unsupported `$( )` output of 65537 bytes");
  });
});
