// Optional chaining (and undefined) is outside the subset.
function pick(xs: string[] | undefined): number {
  return xs?.length ?? 0; // error
}
console.log(pick(["a"]));
