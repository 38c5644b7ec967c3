// Spreading a string (a non-array) is outside the subset.
const chars = [..."abc"]; // error
console.log(chars.length);
