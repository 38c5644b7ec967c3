// + on strings and numbers: concatenation vs addition.
const n = 5;
const s = "5";
console.log(n + n, s + s, n + s, s + n);
console.log(1 + 2 + "3", "1" + 2 + 3, "1" + (2 + 3));
let acc = "";
for (let i = 0; i < 4; i++) acc = acc + i;
console.log(acc);
const neg = -7;
console.log("x" + neg, neg + "x");
console.log("" + 0, 0 + "");
let str = "n=";
str += n * 2;
console.log(str);
