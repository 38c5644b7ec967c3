// split() with literal separators a method argument can take as is, ones it
// cannot (space, parenthesis, quote, backslash) and ones known at run time.
import { args } from "tsion/runtime";
const s = "a b(c)d'e\\f,g  h";
for (const sep of [" ", "(", ")", "'", "\\", ",", "  ", "b(", "zz"]) {
  console.log(JSON_like(s.split(sep)));
}
console.log(JSON_like("x,y,,z".split(",")), JSON_like("".split(",")), JSON_like("1..3".split(",")), JSON_like("abc".split("")));
const dyn = args().length > 5 ? "," : " ";
console.log(JSON_like(s.split(dyn)));
function JSON_like(parts: string[]): string {
  return `${parts.length}:[${parts.join("|")}]`;
}
