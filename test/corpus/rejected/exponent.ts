// The exponent operator is outside the subset.
const n = 2 ** 10; // error
console.log(n);
