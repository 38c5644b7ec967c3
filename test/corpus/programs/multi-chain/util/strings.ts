export function wrap(s: string): string {
  return "[" + s + "]";
}
export function neverUsed(): number {
  return 1;
}
