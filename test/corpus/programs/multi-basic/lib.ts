// Helpers; `unusedHelper` is never called and must be dropped by the bundler.
export function shout(s: string): string {
  return s.toUpperCase() + "!";
}
export function add(a: number, b: number): number {
  return a + b;
}
export function unusedHelper(s: string): string {
  return s + s;
}
export const GREETING = "hello";
