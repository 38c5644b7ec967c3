// Calling a function with the wrong number of arguments is a TS error.
function add(a: number, b: number): number {
  return a + b;
}
console.log(add(1)); // error
