// Non-ASCII text: accents, CJK, emoji, combining marks.
const words = ["café", "naïve", "日本語", "ü", "Ωmega", "ß"];
for (const w of words) {
  console.log(w, w.toUpperCase(), w.includes("é"));
}
console.log(words.join("·"));
const greeting = "héllo wörld";
console.log(greeting.indexOf("w"), greeting.startsWith("hé"), greeting.endsWith("rld"));
console.log(greeting.replace("ö", "o"), greeting.split(" ").length);
console.log("→ arrow", "« quotes »");
const mixed = "$é@";
console.log(mixed, `(${mixed})`);
console.log("Ünïcödé".toLowerCase());
