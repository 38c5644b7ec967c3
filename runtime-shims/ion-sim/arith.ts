/**
 * Arithmetic.
 * - `calc()`: the `$(( ))` / `math` evaluator, modelled on redox-os/calc: big integers and
 *   34-digit decimals (d128), a recursive-descent parser with calc's quirks (unary minus before a
 *   non-number negates the whole rest: `3 * -(2+1) + 10` = -39), and errors returned as text.
 * - `letArith()`: the `let` operators `+= -= *= /= //= **=`, i128 or f64
 *   (arith_let_int_and_float, arith_let_wide_integers).
 */
import { IonPanic, IonUnsupported } from "./errors.ts";

// ---------- values ----------
/** an integer (printed in hex when a hex literal took part: calc's IntegralFmt), or a 34-digit decimal */
type Num = { t: "int"; v: bigint; hex?: boolean } | { t: "dec"; c: bigint; e: number };

class CalcError extends Error {}

const P = 34; // d128 precision

function digitsOf(b: bigint): number {
  return (b < 0n ? -b : b).toString().length;
}

function roundTo(c: bigint, e: number): { c: bigint; e: number } {
  // round half even to P significant digits
  let nd = digitsOf(c);
  while (nd > P) {
    const drop = nd - P;
    const div = 10n ** BigInt(drop);
    let q = c / div;
    const r = c % div;
    const half = div / 2n;
    const ar = r < 0n ? -r : r;
    if (ar > half || (ar === half && (q % 2n !== 0n))) q += c < 0n ? -1n : 1n;
    c = q;
    e += drop;
    nd = digitsOf(c);
  }
  return { c, e };
}

function toDec(n: Num): { c: bigint; e: number } {
  return n.t === "dec" ? { c: n.c, e: n.e } : roundTo(n.v, 0);
}

function mkDec(c: bigint, e: number): Num {
  const r = roundTo(c, e);
  return { t: "dec", c: r.c, e: r.e };
}

function align(a: { c: bigint; e: number }, b: { c: bigint; e: number }): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.c * 10n ** BigInt(a.e - e), b.c * 10n ** BigInt(b.e - e), e];
}

function isZero(n: Num): boolean {
  return n.t === "int" ? n.v === 0n : n.c === 0n;
}

export function fmtNum(n: Num): string {
  if (n.t === "int") return n.hex ? `0x${n.v < 0n ? "-" + (-n.v).toString(16).toUpperCase() : n.v.toString(16).toUpperCase()}` : n.v.toString();
  // decNumber to-scientific-string
  const neg = n.c < 0n;
  const d = (neg ? -n.c : n.c).toString();
  const e = n.e;
  const adj = e + d.length - 1;
  let s: string;
  if (e <= 0 && adj >= -6) {
    if (e === 0) s = d;
    else if (d.length > -e) s = d.slice(0, d.length + e) + "." + d.slice(d.length + e);
    else s = "0." + "0".repeat(-e - d.length) + d;
  } else {
    s = d[0]! + (d.length > 1 ? "." + d.slice(1) : "") + "E" + (adj >= 0 ? "+" : "") + adj;
  }
  return (neg ? "-" : "") + s;
}

function decDiv(a: { c: bigint; e: number }, b: { c: bigint; e: number }): Num {
  const ideal = a.e - b.e;
  if (a.c === 0n) return { t: "dec", c: 0n, e: ideal };
  const k = Math.max(0, P + digitsOf(b.c) - digitsOf(a.c) + 1);
  const num = a.c * 10n ** BigInt(k);
  let q = num / b.c;
  const r = num % b.c;
  let e = ideal - k;
  if (r === 0n) {
    while (e < ideal && q % 10n === 0n) {
      q /= 10n;
      e++;
    }
    return mkDec(q, e);
  }
  // inexact: add a sticky digit so that rounding is correct
  q = q * 10n + (q < 0n || (num < 0n) !== (b.c < 0n) ? -1n : 1n);
  e -= 1;
  return mkDec(q, e);
}

function binop(op: string, a: Num, b: Num): Num {
  const r = binop0(op, a, b);
  if (r.t === "int" && a.t === "int" && b.t === "int" && (a.hex || b.hex)) return { ...r, hex: true };
  return r;
}

/** decNumber power with an integral exponent: exact, then rounded to 34 digits */
function decPow(a: Num, b: Num): Num {
  const db = toDec(b);
  let n: bigint;
  if (db.e >= 0) n = db.c * 10n ** BigInt(db.e);
  else {
    const d = 10n ** BigInt(-db.e);
    if (db.c % d !== 0n) throw new IonUnsupported("`**` with a fractional exponent in $(( )) / math (decimal power)");
    n = db.c / d;
  }
  if (n < 0n || n > 10000n) throw new IonUnsupported("`**` with a negative or huge exponent on a decimal in $(( )) / math");
  const da = toDec(a);
  return mkDec(da.c ** n, da.e * Number(n));
}

function binop0(op: string, a: Num, b: Num): Num {
  const bothInt = a.t === "int" && b.t === "int";
  switch (op) {
    case "+":
    case "-":
    case "*": {
      if (bothInt) {
        const x = (a as { v: bigint }).v,
          y = (b as { v: bigint }).v;
        return { t: "int", v: op === "+" ? x + y : op === "-" ? x - y : x * y };
      }
      const da = toDec(a),
        db = toDec(b);
      if (op === "*") return mkDec(da.c * db.c, da.e + db.e);
      const [x, y, e] = align(da, db);
      return mkDec(op === "+" ? x + y : x - y, e);
    }
    case "/": {
      if (isZero(b)) throw new CalcError("attempted to divide by zero");
      if (bothInt) {
        const x = (a as { v: bigint }).v,
          y = (b as { v: bigint }).v;
        if (x % y === 0n) return { t: "int", v: x / y };
      }
      return decDiv(toDec(a), toDec(b));
    }
    case "%": {
      if (isZero(b)) throw new CalcError("attempted to divide by zero");
      if (bothInt) return { t: "int", v: (a as { v: bigint }).v % (b as { v: bigint }).v };
      const [x, y, e] = align(toDec(a), toDec(b));
      return mkDec(x % y, e);
    }
    case "**": {
      if (bothInt) {
        const y = (b as { v: bigint }).v;
        if (y < 0n) throw new IonPanic("attempt to raise an integer to a negative power");
        return { t: "int", v: (a as { v: bigint }).v ** y };
      }
      return decPow(a, b);
    }
    default: {
      if (!bothInt) throw new CalcError(`expression '${fmtNum(a)} ${op} ${fmtNum(b)}' is not well typed`);
      const x = (a as { v: bigint }).v,
        y = (b as { v: bigint }).v;
      switch (op) {
        case "&":
          return { t: "int", v: x & y };
        case "|":
          return { t: "int", v: x | y };
        case "^":
          return { t: "int", v: x ^ y };
        case "<<":
          return { t: "int", v: x << y };
        case ">>":
          return { t: "int", v: x >> y };
      }
      throw new CalcError(`invalid operator: ${op}`);
    }
  }
}


function neg(n: Num): Num {
  return n.t === "int" ? { t: "int", v: -n.v, hex: n.hex } : { t: "dec", c: -n.c, e: n.e };
}

// ---------- tokenizer (calc token.rs) ----------
type Tok = { k: "num"; n: Num } | { k: "atom"; s: string } | { k: "op"; op: string };

const TOKNAME: Record<string, string> = {
  "+": "Plus",
  "-": "Minus",
  "/": "Divide",
  "*": "Multiply",
  "**": "Exponent",
  "^": "Xor",
  "&": "And",
  "|": "Or",
  "~": "Not",
  "<<": "LShift",
  ">>": "RShift",
  "%": "Modulo",
  "(": "OpenParen",
  ")": "CloseParen",
  d: "Dice",
};

function tokName(t: Tok): string {
  if (t.k === "num") return `'${fmtNum(t.n)}'`;
  if (t.k === "atom") return `'${t.s}'`;
  return TOKNAME[t.op] ?? t.op;
}

const isOpChar = (c: string) => "+-/^²³&|~>%()*<d".includes(c);
const isAlpha = (c: string) => /\p{Alphabetic}/u.test(c);
const isAlnum = (c: string) => /[\p{Alphabetic}\p{Nd}]/u.test(c);

function tokenize(input: string): Tok[] {
  const cs = [...input];
  const toks: Tok[] = [];
  let i = 0;
  while (i < cs.length) {
    const c = cs[i]!;
    if ("+-/^&|~%()d".includes(c)) {
      toks.push({ k: "op", op: c });
      i++;
    } else if (c === "*" || c === "<" || c === ">") {
      const nx = cs[i + 1];
      i++;
      if (nx !== undefined && isOpChar(nx)) {
        const two = c + nx;
        if (two === "**" || two === "<<" || two === ">>") {
          toks.push({ k: "op", op: two });
          i++;
        } else if (nx === "(" && c === "*") {
          toks.push({ k: "op", op: c });
        } else {
          throw new CalcError(`invalid operator: ${c}`);
        }
      } else {
        if (c !== "*") throw new CalcError(`invalid operator: ${c}`);
        toks.push({ k: "op", op: c });
      }
    } else if (/\s/u.test(c)) {
      i++;
    } else if (isAlpha(c)) {
      let s = "";
      while (i < cs.length && (isAlnum(cs[i]!) || cs[i] === "_")) s += cs[i++];
      toks.push({ k: "atom", s });
    } else if (/[0-9a-fA-F.]/.test(c)) {
      let whole = "";
      if (c === "0" && (cs[i + 1] === "x" || cs[i + 1] === "X")) {
        i += 2;
        let h = "";
        while (i < cs.length && /[0-9a-fA-F]/.test(cs[i]!)) h += cs[i++];
        if (!h) throw new CalcError("invalid number: cannot parse integer from empty string");
        toks.push({ k: "num", n: { t: "int", v: BigInt("0x" + h), hex: true } });
        continue;
      }
      while (i < cs.length && /[0-9]/.test(cs[i]!)) whole += cs[i++];
      if (cs[i] === ".") {
        i++;
        let frac = "";
        while (i < cs.length && /[0-9]/.test(cs[i]!)) frac += cs[i++];
        if (whole === "" && frac === "") whole = "0";
        toks.push({ k: "num", n: mkDec(BigInt((whole || "0") + frac), -frac.length) });
      } else {
        if (whole === "") throw new CalcError("invalid number: invalid digit found in string");
        toks.push({ k: "num", n: { t: "int", v: BigInt(whole) } });
      }
    } else {
      let s = "";
      while (i < cs.length && !(/\s/u.test(cs[i]!) || isOpChar(cs[i]!) || /[0-9]/.test(cs[i]!))) s += cs[i++];
      throw new CalcError(`unrecognized token: ${s}`);
    }
  }
  return toks;
}

// ---------- parser (calc parse.rs) ----------
interface IR {
  v: Num;
  n: number;
}

const CONSTS: Record<string, Num> = {
  pi: { t: "dec", c: 31415926535897932384626433832795028n, e: -34 },
  tau: { t: "dec", c: 62831853071795864769252867665590056n, e: -34 },
  e: { t: "dec", c: 27182818284590452353602874713526625n, e: -34 },
};

function dExpr(ts: Tok[], depth: number): IR {
  if (ts[0]?.k === "op" && ts[0].op === "~") {
    const e = dExpr(ts.slice(1), depth);
    if (e.v.t !== "int") throw new CalcError(`expression '~ ${fmtNum(e.v)}' is not well typed`);
    return { v: { t: "int", v: ~e.v.v, hex: e.v.hex }, n: e.n + 1 };
  }
  const e1 = eExpr(ts, depth);
  while (e1.n < ts.length) {
    const t = ts[e1.n]!;
    if (t.k === "num") throw new CalcError(`expected operator token, got ${tokName(t)} instead`);
    if (t.k === "op" && ["&", "|", "^", "<<", ">>"].includes(t.op)) {
      const e2 = eExpr(ts.slice(e1.n + 1), depth);
      e1.v = binop(t.op, e1.v, e2.v);
      e1.n += e2.n + 1;
    } else break;
  }
  return e1;
}

function eExpr(ts: Tok[], depth: number): IR {
  const t1 = tExpr(ts, depth);
  while (t1.n < ts.length) {
    const t = ts[t1.n]!;
    if (t.k === "num") throw new CalcError(`expected operator token, got ${tokName(t)} instead`);
    if (t.k === "op" && (t.op === "+" || t.op === "-")) {
      const t2 = tExpr(ts.slice(t1.n + 1), depth);
      t1.v = binop(t.op, t1.v, t2.v);
      t1.n += t2.n + 1;
    } else break;
  }
  return t1;
}

function tExpr(ts: Tok[], depth: number): IR {
  const f1 = fExpr(ts, depth);
  while (f1.n < ts.length) {
    const t = ts[f1.n]!;
    if (t.k === "num") throw new CalcError(`expected operator token, got ${tokName(t)} instead`);
    if (t.k === "op" && (t.op === "*" || t.op === "/" || t.op === "%")) {
      const f2 = fExpr(ts.slice(f1.n + 1), depth);
      f1.v = binop(t.op, f1.v, f2.v);
      f1.n += f2.n + 1;
    } else break;
  }
  return f1;
}

function fExpr(ts: Tok[], depth: number): IR {
  const g1 = gExpr(ts, depth);
  while (g1.n < ts.length) {
    const t = ts[g1.n]!;
    if (t.k === "num") throw new CalcError(`expected operator token, got ${tokName(t)} instead`);
    if (t.k === "op" && t.op === "**") {
      const f = fExpr(ts.slice(g1.n + 1), depth);
      g1.v = binop("**", g1.v, f.v);
      g1.n += f.n + 1;
    } else break;
  }
  return g1;
}

function gExpr(ts: Tok[], depth: number): IR {
  const t = ts[0];
  if (!t) throw new CalcError("unexpected end of input");
  if (t.k === "num") return { v: t.n, n: 1 };
  if (t.k === "atom") {
    const c = CONSTS[t.s];
    if (c) return { v: c, n: 1 };
    throw new CalcError(`unknown variable or function '${t.s}'`);
  }
  if (t.op === "-") {
    if (ts.length < 2) throw new CalcError("unexpected end of input");
    const n1 = ts[1]!;
    if (n1.k === "num") return { v: neg(n1.n), n: 2 };
    const ir = dExpr(ts.slice(1), depth);
    return { v: neg(ir.v), n: ir.n + 1 };
  }
  if (t.op === "(") {
    if (depth + 1 > 10) throw new CalcError("recursion limit reached");
    const ir = dExpr(ts.slice(1), depth + 1);
    const close = ir.n + 1;
    if (close < ts.length) {
      const c = ts[close]!;
      if (c.k === "op" && c.op === ")") return { v: ir.v, n: close + 1 };
      throw new CalcError(`expected ) token, got ${tokName(c)} instead`);
    }
    throw new CalcError("unmatched patenthesis");
  }
  throw new CalcError(`expected number token, got ${tokName(t)} instead`);
}

/** Evaluate like calc::eval: the value, or calc's error text. Panics propagate. */
export function calcResult(expr: string): { ok: string } | { err: string } {
  try {
    const ts = tokenize(expr);
    return { ok: fmtNum(dExpr(ts, 0).v) };
  } catch (e) {
    if (e instanceof CalcError) return { err: e.message };
    throw e;
  }
}

/** `$(( ))`: errors become the returned text (arith_dollar_errors_are_values). */
export function calc(expr: string): string {
  const r = calcResult(expr);
  return "ok" in r ? r.ok : r.err;
}

// ---------- let operators ----------
const I128_MAX = (1n << 127n) - 1n;
const I128_MIN = -(1n << 127n);

function parseI128(s: string): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const v = BigInt(s);
  return v > I128_MAX || v < I128_MIN ? null : v;
}

/** Rust's f64 from_str */
export function parseRustF64(s: string): number | null {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) return null;
  return Number(s);
}

/** Rust `{:?}` of an f64 */
export function fmtF64(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const a = Math.abs(x);
  if (a >= 1e16 || a < 1e-4) return x.toExponential().replace("e+", "e");
  const s = String(x);
  return /[.e]/.test(s) ? s : s + ".0";
}

/** Apply a `let` arithmetic operator; returns null on error (the caller reports "does not support operator"). */
export function letArith(op: string, lhs: string, rhs: string): string | null {
  const a = parseI128(lhs),
    b = parseI128(rhs);
  if (a !== null && b !== null && (op === "+" || op === "-" || op === "*" || op === "//")) {
    let r: bigint;
    if (op === "//") {
      if (b === 0n) return null;
      r = a / b; // BigInt division truncates toward zero
    } else r = op === "+" ? a + b : op === "-" ? a - b : a * b;
    if (r > I128_MAX || r < I128_MIN) return null;
    return r.toString();
  }
  const x = parseRustF64(lhs),
    y = parseRustF64(rhs);
  if (x === null || y === null) return null;
  switch (op) {
    case "+":
      return fmtF64(x + y);
    case "-":
      return fmtF64(x - y);
    case "*":
      return fmtF64(x * y);
    case "/":
      return fmtF64(x / y);
    case "**":
      return fmtF64(Math.pow(x, y));
    case "//": {
      // types-rs EuclDiv on floats: `(lhs / rhs) as i128` (saturating, NaN → 0), printed as an integer
      const q = x / y;
      if (Number.isNaN(q)) return "0";
      if (q === Infinity) return I128_MAX.toString();
      if (q === -Infinity) return I128_MIN.toString();
      const t = BigInt(Math.trunc(q));
      return (t > I128_MAX ? I128_MAX : t < I128_MIN ? I128_MIN : t).toString();
    }
  }
  return null;
}
