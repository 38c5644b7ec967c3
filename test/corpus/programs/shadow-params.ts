// Same names used as globals, parameters and locals in several functions.
let value = "global";
let n = 1;
function a(value: string): string {
  const n = 10;
  return value + n;
}
function b(n: number): number {
  let value = n * 2;
  value++;
  return value;
}
function c(): string {
  return value + n;
}
function d(x: number): number {
  if (x > 0) {
    const n = x - 1;
    return d(n) + n;
  }
  return n;
}
console.log(a("p"), b(4), c(), d(3));
value = "changed";
n = 5;
console.log(c(), a(value), b(n), d(2));
