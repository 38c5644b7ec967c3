// Top-level functions with parameters and return values.
function add(a: number, b: number): number {
  return a + b;
}
function greet(who: string, excited: boolean): string {
  const base = "hi " + who;
  return excited ? base + "!" : base;
}
function noReturn(msg: string): void {
  console.log("log:", msg);
}
function earlyVoid(n: number): void {
  if (n < 0) {
    console.log("negative, returning");
    return;
  }
  console.log("non-negative", n);
}
function pair(a: string, b: string): string[] {
  return [a, b];
}
function isBig(n: number): boolean {
  return n > 100;
}
function noArgs(): number {
  return 42;
}
console.log(add(2, 3), add(-2, -3));
console.log(greet("ann", true), greet("bob", false));
noReturn("x");
earlyVoid(-1);
earlyVoid(5);
console.log(pair("p", "q").join("+"), pair("", "").length);
console.log(isBig(101), isBig(100));
console.log(noArgs() + 1);
console.log(hoisted(3));
function hoisted(n: number): number {
  return n * 2;
}
