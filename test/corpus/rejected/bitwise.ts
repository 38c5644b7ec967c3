// Bitwise operators are outside the subset.
const m = 12 & 10; // error
console.log(m);
