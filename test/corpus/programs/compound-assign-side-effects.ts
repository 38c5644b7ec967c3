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
