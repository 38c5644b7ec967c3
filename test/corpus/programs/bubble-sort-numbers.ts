// Sorting numbers by hand: nested loops, indexed writes, swaps.
const xs = [5, -3, 9, 0, 2, -8, 7, 2];
for (let i = 0; i < xs.length; i++) {
  for (let j = 0; j < xs.length - 1 - i; j++) {
    if (xs[j] > xs[j + 1]) {
      const t = xs[j];
      xs[j] = xs[j + 1];
      xs[j + 1] = t;
    }
  }
}
console.log(xs.join(" "));
let max = xs[0];
let min = xs[0];
for (const x of xs) {
  if (x > max) max = x;
  if (x < min) min = x;
}
console.log(min, max);
