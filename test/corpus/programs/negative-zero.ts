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
