// -0 where it can be seen (printed, returned, passed, stored) and where it
// cannot (templates, comparisons, String(), indexes, Math.abs).
function pass(x: number): number {
  return x;
}
function zeroTimes(x: number): number {
  return 0 * x;
}
const neg = -5;
const m = neg % 5;
console.log(m, `${m}`, String(m), m === 0, m < 0);
const f = Math.floor(-1 / 3) * 0;
console.log(f, pass(neg * 0), zeroTimes(-2), [neg % 5].join(","));
let acc = 0;
acc = neg * 0;
console.log(acc, acc + 0, -acc, Math.abs(neg * 0), Math.trunc(-1 / 5));
const arr = [1, 2, 3];
console.log(arr[neg % 5], `${Math.trunc(-2 / 3)}|${0 * neg}`);
const inTemplate = neg % 5;
const printed = neg % 5;
console.log(`t:${inTemplate}`, printed);
let y = 0;
for (let i = 0; i < 2; i++) y = y * -1;
console.log(y, 0 - y);
