// The conditional operator, nested and with side effects.
let hits = 0;
function bump(v: string): string {
  hits++;
  return v;
}
for (const n of [-2, 0, 7]) {
  const sign = n > 0 ? "pos" : n < 0 ? "neg" : "zero";
  console.log(n, sign);
}
const x = 4;
console.log(x % 2 === 0 ? bump("even") : bump("odd"), hits);
const y: number = x > 3 ? x * 10 : x - 10;
console.log(y);
const b = x === 4 ? true : false;
console.log(b, `${x > 10 ? "big" : "small"}`);
let msg = "";
msg += x > 0 ? "a" : "b";
msg += x < 0 ? "c" : "d";
console.log(msg);
