// Math members other than trunc/floor of a quotient are outside the subset.
console.log(Math.random() > 2); // error
