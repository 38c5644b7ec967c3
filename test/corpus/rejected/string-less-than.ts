// Ordering comparisons on strings are outside the subset.
const a: string = "apple";
const b: string = "banana";
console.log(a < b); // error
