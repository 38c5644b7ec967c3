// Integer arithmetic: + - * and truncating / flooring division.
const a = 17;
const b = 5;
console.log(a + b, a - b, a * b);
console.log(Math.trunc(a / b), Math.floor(a / b));
console.log(Math.trunc(-a / b), Math.floor(-a / b));
console.log(Math.trunc(a / -b), Math.floor(a / -b));
console.log(Math.trunc(-a / -b), Math.floor(-a / -b));
console.log(Math.trunc(20 / 5), Math.floor(-20 / 5));
const c = -3;
console.log(c * c, c - c - c, 0 - c);
console.log(1000000 * 1000, 2147483647 + 1);
let x = 7;
x = x * 3 - 4 * 2 + 10;
console.log(x);
console.log(2 + 3 * 4, (2 + 3) * 4, 10 - 4 - 3, 10 - (4 - 3));
