// Building strings in loops and functions.
function pad(s: string, width: number, fill: string): string {
  let r = s;
  while (r.length < width) r = fill + r;
  return r;
}
function join3(a: string, b: string, c: string): string {
  return `${a}/${b}/${c}`;
}
console.log(pad("7", 3, "0"), pad("123", 2, "0"), pad("", 2, "-"));
let table = "";
for (let i = 1; i <= 3; i++) {
  let row = "";
  for (let j = 1; j <= 3; j++) {
    row += pad(String(i * j), 3, " ");
  }
  table += row + "\n";
}
console.log(table);
console.log(join3("a", "", "c"), join3("$", "@", "\\"));
const items: string[] = [];
for (let i = 0; i < 4; i++) items.push(`item${i}`);
console.log(items.join(", "));
