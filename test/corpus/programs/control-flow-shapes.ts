// Conditions as Ion chains (&& / || with calls on either side, negations by
// De Morgan, booleans from conditions) and loop shapes (negated while, for
// with and without continue, labelled continue, do...while, for-of break).
let log = "";
function t(name: string, v: boolean): boolean {
  log += name;
  return v;
}
function n(name: string, v: number): number {
  log += name;
  return v;
}
const a = 3;
const s: string = "-n";
for (let i = 0; i < 4; i++) {
  log = "";
  const x = i % 2 === 0;
  const y = i > 1;
  if (x && t("A", y)) log += "+1";
  if (t("B", x) || (y && t("C", !x))) log += "+2";
  if (!(x || y) && s !== "-h") log += "+3";
  if (!(a > i && x) || t("D", y && !x)) log += "+4";
  if ((x || t("E", y)) && (n("F", i) > 0 || t("G", x))) log += "+5";
  const both = x && y;
  const either = t("H", x) || t("I", y) || t("J", i === 3);
  const neither = !x && !y;
  console.log(i, log, both, either, neither, !either, s.startsWith("-") && !s.endsWith("h"));
}
let k = 0;
while (!(k >= 3) && t("W", true)) k++;
console.log(k, log);

// ---- loop shapes
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
