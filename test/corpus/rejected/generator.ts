// Generators are outside the subset.
function* count(): Generator<number> { // error
  yield 1;
}
for (const n of count()) console.log(n);
