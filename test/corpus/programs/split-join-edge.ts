// split and join with empty pieces, separators at the ends and multi-char separators.
const cases = [",a,b,", "a,,b", ",", "", "abc", "a, b, c"];
for (const c of cases) {
  const p = c.split(",");
  console.log(`${p.length}:${p.join("/")}`);
}
const multi = "a::b::::c".split("::");
console.log(multi.length, multi.join("|"));
const lines = "l1\nl2\n\nl4\n".split("\n");
console.log(lines.length);
for (const l of lines) console.log(`[${l}]`);
const words = "x y".split(" ");
words.push("");
words.push("z");
console.log(words.join("-"), words.length);
console.log(["", ""].join(","), [""].join(",").length);
const dollar = "a$b$c".split("$");
console.log(dollar.join("+"));
