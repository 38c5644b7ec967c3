// Early return from inside loops (nested, for...of, while, switch).
function findIndex(xs: string[], want: string): number {
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] === want) {
      return i;
    }
  }
  return -1;
}
function firstPair(limit: number): string {
  for (let a = 1; a < limit; a++) {
    for (let b = a; b < limit; b++) {
      if (a * b === 12) return `${a}x${b}`;
    }
  }
  return "none";
}
function firstLong(words: string[]): string {
  for (const w of words) {
    if (w.length > 3) return w;
  }
  return "";
}
function countdown(n: number): number {
  while (true) {
    if (n <= 0) return n;
    n -= 3;
  }
}
function inSwitch(xs: number[]): string {
  for (const x of xs) {
    switch (x) {
      case 3:
        return "three first";
      case 4:
        return "four first";
    }
  }
  return "neither";
}
console.log(findIndex(["a", "b", "c"], "c"), findIndex(["a"], "z"));
console.log(firstPair(10), firstPair(3));
console.log(firstLong(["ab", "abcd", "abcde"]), `[${firstLong(["x"])}]`);
console.log(countdown(10), countdown(0));
console.log(inSwitch([1, 4, 3]), inSwitch([3]), inSwitch([]));
