// JavaScript's negative zero from integer arithmetic: console.log prints -0,
// string conversion and comparisons treat it as 0.
const zero = 0;
const values: number[] = [-7, -6, 0, 6, 7];
for (const a of values) {
  const row: string[] = [];
  for (const b of [-3, 3]) {
    console.log(a, b, a % b, a * 0, Math.trunc(a / b), Math.floor(a / b), -(a * 0));
    row.push(`${a % b}`);
  }
  console.log(row.join(" "));
}
const nz = -zero;
console.log(nz, -nz, String(nz), `${nz}`, nz === 0, nz < 0, nz + 0, nz - 0, nz + nz, 0 - 0);
console.log("%d|%s|%i", nz, nz, nz);
const parsed = Number("-0");
console.log(parsed, parseInt("-00", 10), Math.abs(nz), [nz, 1].join(","), [nz].indexOf(0), [0].includes(nz));
switch (nz) {
  case 0:
    console.log("switch matched 0");
    break;
  default:
    console.log("no match");
}
const arr: string[] = ["first", "last"];
console.log(arr[nz], nz ? "truthy" : "falsy", "x".slice(nz));
let acc = 0;
acc *= -1;
console.log(acc, acc % 5, -acc);
// -0 where it can be seen (printed, returned, passed, stored) and where it
// cannot (templates, comparisons, String(), indexes, Math.abs): the compiler
// keeps the sign only where it is observed.
function pass(x: number): number {
  return x;
}
function zeroTimes(x: number): number {
  return 0 * x;
}
const neg = values[1] + 1; // -5, known only at run time (a literal would be folded)
const m = neg % 5;
console.log(m, `${m}`, String(m), m === 0, m < 0);
const f = Math.floor(-1 / 3) * 0;
console.log(f, pass(neg * 0), zeroTimes(-2), [neg % 5].join(","));
let acc2 = 0;
acc2 = neg * 0;
console.log(acc2, acc2 + 0, -acc2, Math.abs(neg * 0), Math.trunc(-1 / 5));
const nums = [1, 2, 3];
console.log(nums[neg % 5], `${Math.trunc(-2 / 3)}|${0 * neg}`);
const inTemplate = neg % 5;
const printed = neg % 5;
console.log(`t:${inTemplate}`, printed);
let y = 0;
for (let i = 0; i < 2; i++) y = y * -1;
console.log(y, 0 - y);
// Followed through parameters, return values and module state: printed in
// another function, returned to a print, passed down a recursion; or only
// formatted or compared there (no sign to keep).
function show(x: number): void {
  console.log("show", x);
}
function twice(x: number): number {
  return x * 2;
}
function plusZero(x: number): number {
  return twice(x) + 0;
}
function down(x: number, n: number): number {
  return n === 0 ? x : down(x * 1, n - 1);
}
function label(x: number): string {
  return `${x}`;
}
function isZero(x: number): boolean {
  return x === 0;
}
let zeroState = 1;
function setZero(v: number): void {
  zeroState = v;
}
show(neg * 0);
console.log(twice(neg % 5), plusZero(neg % 5), down(neg * 0, 2), label(neg * 0), isZero(0 * neg));
setZero(neg % 5);
console.log(zeroState);
