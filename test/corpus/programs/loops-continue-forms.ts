// Loop shapes: while with a negated condition, for with and without continue
// (the update must run after continue), labelled continue from an inner loop
// and a switch, do...while with and without continue, for-of with break.
let out = "";
let done = false;
let i = 0;
while (!done) {
  i++;
  if (i === 3) continue;
  out += i;
  done = i >= 5;
}
for (let j = 0; j < 6; j++) {
  if (j % 2 === 1) continue;
  out += `[${j}]`;
}
for (let j = 10; j > 7; j--) out += j;
outer: for (let a = 0; a < 3; a++) {
  for (let b = 0; b < 3; b++) {
    if (b === a) continue outer;
    out += `${a}${b} `;
  }
}
for (let c = 0; c < 4; c++) {
  switch (c) {
    case 1:
      continue;
    case 2:
      out += "two";
      break;
    default:
      out += "d";
  }
  out += c;
}
let d = 0;
do {
  d++;
  if (d === 2) continue;
  out += `<${d}>`;
} while (d < 4);
let e = 0;
do {
  e += 2;
} while (e < 7);
for (const w of ["x", "y", "stop", "z"]) {
  if (w === "stop") break;
  out += w;
}
console.log(out, i, e);
