// break and continue in while, for and for...of loops.
for (let i = 0; i < 10; i++) {
  if (i % 2 === 0) continue;
  if (i > 7) break;
  console.log("for", i);
}
let j = 0;
while (true) {
  j++;
  if (j === 2) continue;
  if (j >= 5) break;
  console.log("while", j);
}
for (const w of ["a", "skip", "b", "stop", "c"]) {
  if (w === "skip") continue;
  if (w === "stop") break;
  console.log("of", w);
}
for (let a = 0; a < 3; a++) {
  for (let b = 0; b < 3; b++) {
    if (b === 1) continue;
    if (b === 2) break;
    console.log("inner", a, b);
  }
}
