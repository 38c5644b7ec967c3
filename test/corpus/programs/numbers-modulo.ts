// % keeps the sign of the dividend, as in JavaScript.
const pairs = [7, 2, -7, 2, 7, -2, -7, -2, 0, 5, 10, 5, -10, 3, 1, 7];
for (let i = 0; i < pairs.length; i += 2) {
  const l = pairs[i];
  const r = pairs[i + 1];
  console.log(`${l} % ${r} = ${l % r}`);
}
let m = 23;
m %= 7;
console.log(m);
