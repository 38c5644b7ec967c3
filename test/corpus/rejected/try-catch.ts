// try/catch is outside the subset.
try { // error
  console.log("x");
} catch (e) {
  console.log("caught");
}
