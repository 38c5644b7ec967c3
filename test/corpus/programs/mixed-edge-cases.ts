// Assorted edge cases: multiple for-declarations, definite assignment after
// branches, nested templates, spreads, string/number mixing, unicode slices.
function classify(n: number): string {
  let kind: string;
  if (n < 0) kind = "negative";
  else if (n === 0) kind = "zero";
  else kind = n % 2 === 0 ? "even" : "odd";
  return kind;
}
for (let i = 0, j = 4; i < j; i++, j--) {
  console.log(`${i}:${j} ${classify(i - j)} ${`nested ${classify(j)}!`}`);
}
const base: string[] = ["b", "a"];
const more: string[] = [...base, "c", ...base];
more.sort();
console.log(more.join(""), more.length, more.indexOf("c"), more.includes("z"));
let s = "x";
s += 1;
s += true;
console.log(s, "" + false, String(true), 1 + 2 + "3", "1" + 2 + 3);
const emoji = "a😀b é";
console.log(emoji.length, emoji.slice(1, 3), emoji.slice(-2), emoji.indexOf("b"), emoji.includes("😀"), "héllo".split("").join("-"));
console.log(Number("  42  "), Number(""), Number("+7"), parseInt("08", 10), parseInt("12px", 10), parseInt("-3 apples", 10));
let total = 0;
for (;;) {
  total++;
  if (total > 3) break;
}
let k = 0;
do {
  k++;
  if (k === 2) continue;
  console.log("k", k);
} while (k < 4);
outer: for (const a of ["p", "q"]) {
  for (const b of [1, 2, 3]) {
    if (b === 2 && a === "p") continue outer;
    if (b === 3) break outer;
    console.log(a, b);
  }
}
function grade(score: number): string {
  switch (Math.floor(score / 10)) {
    case 10:
    case 9:
      return "A";
    case 8:
      return "B";
    default:
      if (score < 0) return "?";
    case 7:
      return "C";
  }
}
console.log(grade(95), grade(100), grade(81), grade(75), grade(12), grade(-5));
const words = "  one two  three ".trim().split(" ");
console.log(words.length, words.join("|"), words[words.length - 1].toUpperCase());
console.log();
console.log("");
console.log(-5 % 3, 5 % -3, Math.trunc(-7 / 2), Math.floor(-7 / 2), Math.floor(7 / -2), Math.abs(-4), Math.max(3, -1, 8), Math.min(3, -1, 8));
