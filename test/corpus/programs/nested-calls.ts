// Nested calls inside expressions and arguments.
function f(a: number, b: number): number {
  return a * 10 + b;
}
function g(x: number): number {
  return x + 1;
}
function h(y: number): number {
  return y * 2;
}
function wrap(s: string, l: string, r: string): string {
  return l + s + r;
}
function up(s: string): string {
  return s.toUpperCase();
}
console.log(f(g(1), h(2)));
console.log(f(f(1, 2), f(g(h(3)), 4)));
console.log(g(1) + h(2) * g(h(1)));
console.log(wrap(up("mid"), wrap("<", "(", ")"), up(wrap("x", "[", "]"))));
console.log(`${f(1, 2)}-${wrap(String(g(0)), "", up("z"))}`);
const arr = [g(1), h(g(1)), f(0, h(4))];
console.log(arr.join(","), arr[g(0)]);
console.log(up(wrap("a", "b", "c").slice(1)).length + g(g(g(0))));
if (g(h(2)) > f(0, 4) && up("a") === "A") console.log("cond ok");
