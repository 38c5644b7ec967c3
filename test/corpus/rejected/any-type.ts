// The any type is outside the subset.
let x: any = 3; // error
x = "s";
console.log(x);
