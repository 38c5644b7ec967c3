// Imported by main.ts, but only `used` is ever called: the other two must not
// be emitted (an import names a function, it does not call it).
export function used(n: number): number {
  return n * 2;
}
export function importedNeverCalled(s: string): string {
  return onlyCalledByDeadCode(s) + "!";
}
export function onlyCalledByDeadCode(s: string): string {
  return s.toUpperCase();
}
