// Hostile string values through variables, parameters, returns, arrays, concatenation and console.log.
const hostile: string[] = [
  "$HOME",
  "${x}",
  "$(echo pwned)",
  "@arr",
  "@(ls)",
  "it's",
  'say "hi"',
  "back\\slash",
  "\\",
  "'",
  '"',
  "`tick`",
  "line1\nline2",
  "tab\there",
  "( ) { } [ ]",
  "{a,b}",
  "x{1..3}",
  "#not a comment",
  "~",
  "~/x",
  "*",
  "?",
  "a;b",
  "a && b || c",
  "a | b > c < d",
  "-",
  "-n",
  "-e",
  "-h",
  "--help",
  "-nes",
  "--no-newline",
  "-leading dash",
  "",
  " ",
  "  spaced  ",
  "1..3",
  "let x = 1",
  "end",
  "\\n",
  "$",
  "@",
  "a$",
  "user@host",
  "5$",
];
function echoBack(s: string): string {
  return s;
}
function decorate(s: string): string {
  return "<" + s + ">";
}
let joined = "";
for (let i = 0; i < hostile.length; i++) {
  const v = hostile[i];
  const back = echoBack(v);
  console.log(back);
  console.log(decorate(v), v.length, `{${v}}`);
  joined += v;
}
console.log(joined.length);
const copy: string[] = [];
for (const h of hostile) copy.push(echoBack(h));
console.log(copy.length, copy.join("|") === hostile.join("|"));
console.log(copy.indexOf("-n"), copy.includes("--help"), copy.indexOf(""));
console.log(hostile[27], hostile[28], hostile[29]);
console.log("-n");
console.log("-e", "-n");
