// Runtime strings ending in non-ASCII whitespace (U+00A0, U+3000, U+2028):
// real ion panics when a literal follows such text in one word, so
// every operation must keep literals before runtime values or use ++=.
import { capture, readFile, writeFile } from "tsion/runtime";

const values = ["a\u00a0", "x\u3000", "\u00a0", "tab\u2028", "plain", "-h\u00a0"];
let i = 0;
for (const v of values) {
  i++;
  console.log(`[${v}]`, v + "!", "<" + v + ">");
  console.log(v.endsWith("\u00a0"), v.endsWith("a\u00a0"), v.startsWith("a"), v.endsWith(v), v.endsWith(""));
  console.log(v.includes("\u00a0"), v.indexOf("\u3000"), v.replace("\u00a0", "_"), v.split("\u00a0").length, `{${v.trim()}}`);
  console.log("%s|%s", v, i);
  writeFile(`f${i}.txt`, v);
  const back = readFile(`f${i}.txt`);
  console.log(back === v, back.length);
  writeFile(`g${i}.txt`, v + "\n");
  console.log(readFile(`g${i}.txt`) === v + "\n");
  const out = capture("printf", "%s", v);
  console.log(out === v, `(${out})`);
}
