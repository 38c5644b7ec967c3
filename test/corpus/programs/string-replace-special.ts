// replace / replaceAll with hostile patterns and replacements (no $-patterns in replacements).
const s = "cost: $5 (approx) @home";
console.log(s.replace("$", "USD "));
console.log(s.replace("(", "[").replace(")", "]"));
console.log(s.replaceAll(" ", "_"));
console.log(s.replace("@", "at "));
console.log("a.b.c".replace(".", "\\"));
console.log("x'y'z".replaceAll("'", '"'));
console.log("aaaa".replaceAll("aa", "b"));
console.log("abc".replace("", "-"));
console.log("a\nb\nc".replaceAll("\n", ","));
console.log("-n".replace("n", "e"));
console.log("{}{}".replaceAll("{}", "[]"));
console.log("tab\there".replace("\t", " "));
