// Functions declared inside functions are outside the subset.
function outer(x: number): number {
  function inner(y: number): number { // error
    return y + x;
  }
  return inner(1);
}
console.log(outer(2));
