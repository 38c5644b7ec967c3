// for...of over arrays of strings, numbers and booleans.
const names = ["ann", "bob", "", "dee"];
for (const n of names) {
  console.log(`[${n}]`);
}
let sum = 0;
for (const v of [5, -2, 7]) {
  sum += v;
}
console.log(sum);
for (const b of [true, false]) {
  console.log(b ? "yes" : "no");
}
const empty: number[] = [];
for (const e of empty) {
  console.log("never", e);
}
const grid = ["ab", "cd"];
for (const row of grid) {
  for (const ch of row.split("")) {
    console.log(row, ch);
  }
}
let last = "";
for (let w of names) {
  w = w + "!";
  last = w;
}
console.log(last, names.join(","));
