// Element access on strings is outside the subset (use slice()).
const s = "hello";
console.log(s[0]); // error
