// typeof is outside the subset.
const s = "x";
console.log(typeof s); // error
