/**
 * Rust `regex` syntax (as built into ion, without the Unicode class tables; cond_matches_regex)
 * translated to a JS RegExp. `\d \w \s \pX` and `(?i)` fail to compile like in
 * ion; POSIX classes `[[:space:]]` and `(?-u:\w)` are ASCII.
 */

export class RegexError extends Error {}

const POSIX: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

const ASCII_PERL: Record<string, string> = {
  d: "0-9",
  w: "0-9A-Za-z_",
  s: "\\t\\n\\v\\f\\r ",
};

function err(pattern: string, msg: string): RegexError {
  return new RegexError(`regex parse error:\n    ${pattern}\n    ^\nerror: ${msg}`);
}

const SYNTAX = new Set([..."\\^$.|?*+()[]{}/-"]);

function escChar(c: string, inClass: boolean): string {
  if (SYNTAX.has(c)) return (c === "-" && !inClass) ? "-" : "\\" + c;
  return c;
}

/** `\\x41` or `\\x{1F600}` (the index `i` is just after the `x`): the JS escape and where the pattern goes on. */
function hexEscape(cs: string[], i: number): { js: string; next: number } {
  if (cs[i] === "{") {
    const j = cs.indexOf("}", i);
    return { js: `\\u{${cs.slice(i + 1, j).join("")}}`, next: j + 1 };
  }
  return { js: "\\x" + cs[i]! + cs[i + 1]!, next: i + 2 };
}

/** Translate; throws RegexError when Rust's regex (without Unicode tables) would refuse the pattern. */
export function translateRegex(p: string): { source: string; flags: string } {
  let out = "";
  let flags = "u";
  let i = 0;
  const cs = [...p];
  let asciiDepth: number[] = []; // group depths where (?-u) is active
  let depth = 0;
  const unicodeOn = () => asciiDepth.length === 0;
  const perl = (c: string, neg: boolean, inClass: boolean): string => {
    if (unicodeOn()) throw err(p, "Unicode-aware Perl class not found (make sure the unicode-perl feature is enabled)");
    const body = ASCII_PERL[c]!;
    if (inClass) {
      if (neg) throw err(p, "negated Perl class inside a class is not supported by ion-sim");
      return body;
    }
    return neg ? `[^${body}]` : `[${body}]`;
  };
  while (i < cs.length) {
    const c = cs[i]!;
    if (c === "\\") {
      const n = cs[i + 1];
      if (n === undefined) throw err(p, "incomplete escape sequence, reached end of pattern prematurely");
      i += 2;
      if ("dws".includes(n)) out += perl(n, false, false);
      else if ("DWS".includes(n)) out += perl(n.toLowerCase(), true, false);
      else if (n === "p" || n === "P") throw err(p, "Unicode property not found (make sure the unicode-gencat feature is enabled)");
      else if (n === "A") out += "^";
      else if (n === "z") out += "$(?![\\s\\S])";
      else if (n === "b" || n === "B") {
        if (unicodeOn()) throw err(p, "Unicode-aware Perl class not found (make sure the unicode-perl feature is enabled)");
        out += "\\" + n;
      } else if ("nrtfv0".includes(n)) out += "\\" + n;
      else if (n === "x") {
        const h = hexEscape(cs, i);
        out += h.js;
        i = h.next;
      } else if (/[A-Za-z0-9]/.test(n)) throw err(p, "unrecognized escape sequence");
      else out += escChar(n, false);
      continue;
    }
    if (c === "[") {
      // character class
      let j = i + 1;
      let cls = "[";
      if (cs[j] === "^") {
        cls += "^";
        j++;
      }
      if (cs[j] === "]") {
        cls += "\\]";
        j++;
      }
      let closed = false;
      while (j < cs.length) {
        const d = cs[j]!;
        if (d === "]") {
          closed = true;
          j++;
          break;
        }
        if (d === "[" && cs[j + 1] === ":") {
          const end = cs.indexOf(":", j + 2);
          const name = cs.slice(j + 2, end).join("");
          if (end > 0 && cs[end + 1] === "]") {
            const neg = name.startsWith("^");
            const body = POSIX[neg ? name.slice(1) : name];
            if (!body) throw err(p, "invalid character class name");
            if (neg) throw err(p, "negated POSIX classes are not supported by ion-sim");
            cls += body;
            j = end + 2;
            continue;
          }
        }
        if (d === "[") throw err(p, "nested character classes are not supported by ion-sim");
        if (d === "\\") {
          const n = cs[j + 1];
          if (n === undefined) break;
          j += 2;
          if ("dws".includes(n)) cls += perl(n, false, true);
          else if ("DWS".includes(n)) cls += perl(n.toLowerCase(), true, true);
          else if ("nrtfv0".includes(n)) cls += "\\" + n;
          else if (n === "x") {
            const h = hexEscape(cs, j);
            cls += h.js;
            j = h.next;
          } else if (/[A-Za-z0-9]/.test(n)) throw err(p, "unrecognized escape sequence");
          else cls += escChar(n, true);
          continue;
        }
        if (d === "&" && cs[j + 1] === "&") throw err(p, "class intersection is not supported by ion-sim");
        if (d === "-" && cs[j + 1] === "-") throw err(p, "class difference is not supported by ion-sim");
        cls += d === "/" || d === "[" ? "\\" + d : d;
        j++;
      }
      if (!closed) throw err(p, "unclosed character class");
      out += cls + "]";
      i = j;
      continue;
    }
    if (c === "(") {
      if (cs[i + 1] === "?") {
        // flags group
        const m = /^\(\?([a-zA-Z-]*)(:|\))/.exec(cs.slice(i).join(""));
        if (m) {
          const fl = m[1]!;
          const on = fl.split("-")[0]!;
          const off = fl.includes("-") ? fl.split("-")[1]! : "";
          if (on.includes("i")) throw err(p, "Unicode-aware case insensitivity matching is not available (make sure the unicode-case feature is enabled)");
          if (on.includes("u")) throw err(p, "unicode mode flags are not supported by ion-sim");
          if (m[2] === ")") {
            if (on.includes("m")) flags += "m";
            if (on.includes("s")) flags += "s";
            if (on.includes("x") || on.includes("U") || off.includes("m") || off.includes("s"))
              throw err(p, `regex flags '${fl}' are not supported by ion-sim`);
            if (off.includes("u")) asciiDepth.push(-1);
            i += m[0].length;
            continue;
          }
          // (?flags:...) group
          if (on.includes("m") || on.includes("s") || on.includes("x") || on.includes("U"))
            throw err(p, `scoped regex flags '${fl}' are not supported by ion-sim`);
          depth++;
          if (off.includes("u")) asciiDepth.push(depth);
          out += "(?:";
          i += m[0].length;
          continue;
        }
        if (cs[i + 2] === "P" && cs[i + 3] === "<") {
          out += "(?<";
          i += 4;
          depth++;
          continue;
        }
        if (cs[i + 2] === "<") {
          out += "(?<";
          i += 3;
          depth++;
          continue;
        }
        throw err(p, "unrecognized flag");
      }
      depth++;
      out += "(";
      i++;
      continue;
    }
    if (c === ")") {
      if (depth === 0) throw err(p, "unopened group");
      if (asciiDepth[asciiDepth.length - 1] === depth) asciiDepth.pop();
      depth--;
      out += ")";
      i++;
      continue;
    }
    if (c === "$") {
      out += flags.includes("m") ? "(?=\\n|$(?![\\s\\S]))" : "$(?![\\s\\S])";
      i++;
      continue;
    }
    if (c === "/") {
      out += "\\/";
      i++;
      continue;
    }
    out += c;
    i++;
  }
  if (depth > 0) throw err(p, "unclosed group");
  return { source: out, flags };
}

export function compileRegex(p: string, anchored = false): RegExp {
  const { source, flags } = translateRegex(p);
  try {
    return new RegExp(anchored ? `^(?:${source})$(?![\\s\\S])` : source, flags);
  } catch (e) {
    throw err(p, (e as Error).message);
  }
}

/**
 * Rust `Captures::expand` (regex crate): `$$` is a dollar; `$NAME` takes the longest run of
 * `[0-9A-Za-z_]` and `${NAME}` everything up to `}`; a NAME that is a number is a group index
 * (`$0` is the whole match), else a group name. A group that does not exist or did not take part
 * gives ""; a `$` that starts no reference stays literal. Returns a String.replace callback.
 */
export function rustReplacer(rep: string): (match: string, ...rest: unknown[]) => string {
  type Piece = string | { ref: string };
  const pieces: Piece[] = [];
  let lit = "";
  for (let i = 0; i < rep.length; ) {
    const c = rep[i]!;
    if (c !== "$") {
      lit += c;
      i++;
      continue;
    }
    if (rep[i + 1] === "$") {
      lit += "$";
      i += 2;
      continue;
    }
    let name: string | null = null;
    let next = i + 1;
    if (rep[i + 1] === "{") {
      const close = rep.indexOf("}", i + 2);
      if (close >= 0) {
        name = rep.slice(i + 2, close);
        next = close + 1;
      }
    } else {
      const m = /^[0-9A-Za-z_]+/.exec(rep.slice(i + 1));
      if (m) {
        name = m[0];
        next = i + 1 + m[0].length;
      }
    }
    if (name === null) {
      lit += "$";
      i++;
      continue;
    }
    if (lit) pieces.push(lit);
    lit = "";
    pieces.push({ ref: name });
    i = next;
  }
  if (lit) pieces.push(lit);
  return (match: string, ...rest: unknown[]) => {
    // rest: the numbered groups, then offset, input, and the named groups when the regex has any
    const namedAt = rest.length - 1;
    const named = typeof rest[namedAt] === "object" && rest[namedAt] !== null ? (rest[namedAt] as Record<string, string | undefined>) : undefined;
    const groups = rest.slice(0, named ? rest.length - 3 : rest.length - 2) as (string | undefined)[];
    let out = "";
    for (const p of pieces) {
      if (typeof p === "string") out += p;
      else if (/^[0-9]+$/.test(p.ref)) {
        const n = Number(p.ref);
        out += n === 0 ? match : (groups[n - 1] ?? "");
      } else out += named?.[p.ref] ?? "";
    }
    return out;
  };
}
