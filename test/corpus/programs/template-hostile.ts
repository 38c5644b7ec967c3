// Template literals and concatenation splicing hostile values.
const values = ["$x", "@y", "'q'", "\"dq\"", "\\", "(p)", "{b}", "[i]", "-n", "", "a b", "é\t!", "~", "#", "*"];
for (const v of values) {
  const t = `<${v}>`;
  const c = "<" + v + ">";
  console.log(t === c, t, `${v}${v}`.length);
}
const all = values.join("");
console.log(`all=${all}`);
let acc = "";
for (const v of values) acc += `${v}|`;
console.log(acc);
