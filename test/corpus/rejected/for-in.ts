// for...in is outside the subset.
const xs = ["a", "b"];
for (const k in xs) { // error
  console.log(k);
}
