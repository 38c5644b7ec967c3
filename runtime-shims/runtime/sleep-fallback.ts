/**
 * `sleep()` without a `sleep` program (Nix-built Redox images ship a
 * minimal uutils without it, and "command not found" ends an Ion script).
 *
 * Decided once per run and cached in the environment variable SLEEP_CACHE:
 *   cmd   a `sleep` program is on PATH (`exists -b sleep`): run it;
 *   loop  otherwise: a bounded delay made of scheme I/O that spawns no process;
 *   none  not even NODE exists (no Redox image lacks it): no delay at all.
 *
 * The loop waits whole *ticks*: ceil(seconds × TICKS_PER_SECOND), at most
 * MAX_TICKS (60 s), each tick OPENS_PER_TICK redirections of the builtin
 * `echo -n ''` to NODE (an open and a close of a scheme resource, nothing
 * written). There is no clock to read without a process, so the delay is a
 * count: calibrated for 25 µs per redirection (100 µs per tick), it is as
 * long as asked when a redirection costs that much, and scales with the real
 * cost otherwise (docs/guest-scripts.md, "sleep without a sleep program").
 * The mock charges the same 25 µs per scheme open (SCHEME_OPEN_SECONDS in
 * runtime-shims/mock/mock-redox.ts).
 *
 * This module holds both halves of the rule: the TypeScript used by the Node
 * implementation (index.ts) and the Ion helper f_rt_sleep the compiler's
 * prelude emits (compiler/src/prelude.ts); test/runtime checks they agree.
 */

export const SLEEP_FALLBACK = {
  NODE: "/scheme/null",
  TICKS_PER_SECOND: 10000,
  OPENS_PER_TICK: 4,
  /** 60 s: the fallback never waits longer, whatever it is asked. */
  MAX_TICKS: 600000,
  /** Whole seconds above which the argument is capped (MAX_TICKS / TICKS_PER_SECOND). */
  MAX_SECONDS: 60,
  /** The cost of one redirection the calibration assumes. */
  SECONDS_PER_OPEN: 25e-6,
} as const;

/** Environment variable caching, once per run, how this system sleeps: cmd, loop or none. */
export const SLEEP_CACHE = "TSION_SLEEP";

/**
 * How many ticks the fallback waits for `sleep(seconds)`, from the text of
 * the number as the program holds it (String(seconds)): the seconds rounded
 * up to whole ticks (digits past the fourth decimal round up), capped at
 * MAX_TICKS; 1 for a positive number too small for decimal notation
 * (`1e-7`); MAX_TICKS for a huge one (`1e+21`) or Infinity; 0 for anything
 * else (0, NaN, negative numbers). f_rt_sleep computes the same, digit by
 * digit, with the same early cap, so no intermediate exceeds 64 bits.
 */
export function sleepFallbackTicks(text: string): number {
  const { MAX_TICKS, MAX_SECONDS } = SLEEP_FALLBACK;
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) {
    let ticks = 0;
    let point = false;
    let decimals = 0;
    let roundUp = false;
    for (const c of text) {
      if (c === ".") point = true;
      else if (decimals >= 4) {
        if (c !== "0") roundUp = true;
      } else {
        ticks = ticks * 10 + Number(c);
        if (point) decimals++;
        else if (ticks > MAX_SECONDS) return MAX_TICKS;
      }
    }
    for (; decimals < 4; decimals++) ticks = ticks * 10;
    if (roundUp) ticks++;
    return Math.min(ticks, MAX_TICKS);
  }
  if (/^[0-9.]+e-/.test(text)) return 1;
  if (/^([0-9.]+e\+[0-9]+|Infinity)$/.test(text)) return MAX_TICKS;
  return 0;
}

const F = SLEEP_FALLBACK;
const OPEN = `    echo -n '' > ${F.NODE}`;

/**
 * The Ion helper (prelude entry f_rt_sleep). Constructs: fn, let, if/else
 * if/else, test (strings, integers, -e), not, exists -b, export and
 * ${env::NAME}, matches, for over @chars, $((a op b)), let +=, while,
 * break, return, echo -n with a redirection, and the external `sleep`.
 */
export const SLEEP_HELPER_ION = `# sleep(): the sleep program when the system has one, else a bounded delay
# made of scheme opens that spawns no process (decided once per run, cached
# in ${SLEEP_CACHE}; runtime-shims/runtime/sleep-fallback.ts).
fn f_rt_sleep p_s
  let l_n = 0
  let l_c = ''
  let l_pt = 0
  let l_f = 0
  let l_up = 0
  let l_i = 0
  if test "x\${env::${SLEEP_CACHE}}" = x
    if exists -b sleep
      export ${SLEEP_CACHE} = cmd
    else if test -e ${F.NODE}
      export ${SLEEP_CACHE} = loop
    else
      export ${SLEEP_CACHE} = none
    end
  end
  if test "x\${env::${SLEEP_CACHE}}" = xcmd
    sleep "\${p_s}"
    return
  end
  if not test "x\${env::${SLEEP_CACHE}}" = xloop
    return
  end
  # ticks of 1/${F.TICKS_PER_SECOND} s: digits up to the 4th decimal, the rest rounds up
  if matches "x\${p_s}" '^x[0-9]+(\\.[0-9]+)?$'
    for l_c in @chars($p_s)
      if test "x\${l_c}" = x.
        let l_pt = 1
      else if test "\${l_f}" -ge 4
        if not test "x\${l_c}" = x0
          let l_up = 1
        end
      else
        let l_n = $((l_n * 10))
        let l_n = $((l_n + l_c))
        if test "\${l_pt}" = 1
          let l_f += 1
        else if test "\${l_n}" -gt ${F.MAX_SECONDS}
          let l_n = ${F.MAX_TICKS}
          let l_f = 4
          let l_up = 0
          break
        end
      end
    end
    while test "\${l_f}" -lt 4
      let l_n = $((l_n * 10))
      let l_f += 1
    end
    if test "\${l_up}" = 1
      let l_n += 1
    end
    if test "\${l_n}" -gt ${F.MAX_TICKS}
      let l_n = ${F.MAX_TICKS}
    end
  else if matches "x\${p_s}" '^x[0-9.]+e-'
    let l_n = 1
  else if matches "x\${p_s}" '^x([0-9.]+e\\+[0-9]+|Infinity)$'
    let l_n = ${F.MAX_TICKS}
  end
  while test "\${l_i}" -lt "\${l_n}"
${Array(F.OPENS_PER_TICK).fill(OPEN).join("\n")}
    let l_i += 1
  end
end`;
