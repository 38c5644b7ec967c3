// Labelled break and continue across nested loops.
outer: for (let i = 0; i < 4; i++) {
  for (let j = 0; j < 4; j++) {
    if (j === 2) continue outer;
    if (i === 3) break outer;
    console.log("a", i, j);
  }
  console.log("never reached");
}
let n = 0;
rows: while (n < 5) {
  n++;
  let m = 0;
  while (true) {
    m++;
    if (m > n) continue rows;
    if (n === 4) break rows;
    console.log("b", n, m);
  }
}
console.log("n", n);
search: for (const w of ["xa", "yb", "zc"]) {
  for (const ch of w.split("")) {
    if (ch === "b") {
      console.log("found in", w);
      break search;
    }
  }
}
let k = 0;
loop: do {
  k++;
  for (let q = 0; q < 3; q++) {
    if (q === 1) continue loop;
  }
} while (k < 3);
console.log("k", k);
