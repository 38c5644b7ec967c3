// Strings that look like echo/test options, printed alone and in groups.
const flags = ["-n", "-e", "-s", "-ens", "-E", "-h", "--help", "--escape", "--no-spaces", "-", "--", "-x", "-1"];
for (const f of flags) {
  console.log(f);
}
for (const f of flags) {
  console.log(f, f);
}
console.log(flags.join(" "));
const a = "-n";
if (a === "-n") console.log("equal -n");
const b: string = "-h";
if (b !== "-n" && b.startsWith("-")) console.log("dash h");
console.log(a.length, b.length, "--help".length);
let s = "-e";
s += "\\n";
console.log(s);
