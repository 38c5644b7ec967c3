// Recursion: factorial, fibonacci, mutual recursion, string building.
function fact(n: number): number {
  if (n <= 1) return 1;
  return n * fact(n - 1);
}
function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
function isEven(n: number): boolean {
  if (n === 0) return true;
  return isOdd(n - 1);
}
function isOdd(n: number): boolean {
  if (n === 0) return false;
  return isEven(n - 1);
}
function repeat(s: string, n: number): string {
  if (n === 0) return "";
  return s + repeat(s, n - 1);
}
function reverse(s: string): string {
  if (s.length <= 1) return s;
  return reverse(s.slice(1)) + s.slice(0, 1);
}
function sumTo(n: number, acc: number): number {
  if (n === 0) return acc;
  const next = acc + n;
  const r = sumTo(n - 1, next);
  return r;
}
console.log(fact(1), fact(5), fact(10));
console.log(fib(0), fib(1), fib(10));
console.log(isEven(10), isOdd(7), isEven(3));
console.log(repeat("ab", 3), `[${repeat("x", 0)}]`);
console.log(reverse("hello"), reverse("a$b"));
console.log(sumTo(20, 0));
