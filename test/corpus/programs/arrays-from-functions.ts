// Arrays returned from functions and passed as parameters (read only).
function range(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(i);
  return out;
}
function total(xs: number[]): number {
  let t = 0;
  for (const x of xs) t += x;
  return t;
}
function words(s: string): string[] {
  return s.trim().split(" ");
}
function longest(ws: string[]): string {
  let best = "";
  for (const w of ws) if (w.length > best.length) best = w;
  return best;
}
console.log(range(5).join(","), total(range(5)), total([]));
console.log(longest(words("  the quick brownish fox ")), words("a b").length);
const r = range(3);
r.push(10);
console.log(total(r), r.length, range(0).length);
console.log(words("x y z")[1], range(4)[3]);
