// Variables declared first and assigned after a block or a call.
function compute(n: number): number {
  return n * 3;
}
let result: number;
let label: string;
if (compute(2) > 5) {
  label = "big";
} else {
  label = "small";
}
result = compute(4);
console.log(label, result);
let found: string;
found = "none";
for (const w of ["a", "bb", "ccc"]) {
  if (w.length === 2) {
    found = w;
    break;
  }
}
console.log(found);
let afterCall: string;
console.log("before");
afterCall = String(compute(compute(1)));
console.log(afterCall);
function later(): string {
  let out: string;
  {
    const tmp = "block";
    out = tmp + "-done";
  }
  let n: number;
  n = out.length;
  return `${out}:${n}`;
}
console.log(later());
let x: number;
switch (label) {
  case "big":
    x = 1;
    break;
  default:
    x = 2;
}
console.log(x);
