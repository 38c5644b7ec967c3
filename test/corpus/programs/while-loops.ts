// while loops with counters and conditions.
let i = 0;
let total = 0;
while (i < 10) {
  total += i;
  i++;
}
console.log(i, total);
let n = 27;
let steps = 0;
while (n !== 1) {
  if (n % 2 === 0) {
    n = Math.trunc(n / 2);
  } else {
    n = 3 * n + 1;
  }
  steps++;
}
console.log("collatz steps", steps);
let never = 0;
while (never > 0) {
  console.log("never");
}
let s = "";
while (s.length < 5) s += "ab";
console.log(s);
