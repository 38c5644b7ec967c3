// Arrow functions capturing variables (closures) are outside the subset.
let n = 0;
const inc = (): number => n++; // error
inc();
console.log(n);
