// eval is outside the subset.
const code = "1 + 1";
console.log(eval(code)); // error
