// Module state owned by this module, changed through its functions.
let count = 0;
const seen: string[] = [];
export function hit(name: string): number {
  count++;
  seen.push(name);
  return count;
}
export function total(): number {
  return count;
}
export function history(): string {
  return seen.join(",");
}
export function resetCounter(): void {
  count = 0;
}
