// delete is outside the subset.
const xs = ["a"];
delete xs[0]; // error
console.log(xs.length);
