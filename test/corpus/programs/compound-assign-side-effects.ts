// Compound assignment reads its target before evaluating the right side,
// even when the right side is a call that writes the target.
let g = "a";
function f(): string {
  g = "changed";
  return "!";
}
g += f();
console.log(g);
let n = 1;
function h(): number {
  n = 100;
  return 1;
}
n += h();
console.log(n);
n = n + h();
console.log(n);
let m = 5;
function bumpM(): number {
  m++;
  return 10;
}
m = bumpM() + m;
console.log(m);
// The value of an assignment expression is the target's new value, read once:
// the assigned word may read the target itself (`s += u`).
function values(u: string, k: number): void {
  let s = "a";
  const t = (s += u);
  let p = "x";
  const q = (p = p + u);
  let c = 2;
  const d = (c *= k);
  const e = (c = c - 1) + c;
  const arr = ["p", "q"];
  const w = (arr[0] = arr[0] + u);
  console.log(t, s, q, p, d, e, c, w, arr.join(","));
}
values("b", 3);
