// Integers up to 2^53: addition, multiplication, String, comparison.
const big = 9007199254740991;
console.log(big, big - 1, String(big));
let p = 1;
for (let i = 0; i < 40; i++) p *= 2;
console.log(p, p > 1000000000000);
console.log(4294967296 * 1024, -4294967296 * 3);
console.log(Math.trunc(p / 3), p % 1000, Math.floor(-p / 7));
