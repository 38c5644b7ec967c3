// Conditions as Ion chains: && / || with calls (side effects) on either side,
// negations (De Morgan), chains inside chains, booleans from conditions.
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
