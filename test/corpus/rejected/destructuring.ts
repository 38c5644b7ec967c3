// Destructuring is outside the subset.
const [a, b] = ["x", "y"]; // error
console.log(a, b);
