// String slice / trim / split / replace / replaceAll / toLowerCase / toUpperCase.
const s = "  Hello, World  ";
const t = s.trim();
console.log(`[${t}]`, t.length);
console.log(t.slice(0, 5), t.slice(7), t.slice(-5), t.slice(-5, -1), `[${t.slice(3, 2)}]`, t.slice(2, 100));
console.log(t.toLowerCase(), t.toUpperCase());
const csv = "a,b,,c,";
const parts = csv.split(",");
console.log(parts.length, parts.join("|"));
console.log("one two  three".split(" ").join("|"));
console.log("abc".split("").join("-"));
console.log("".split(",").length, "x".split(",").length);
console.log("a-b-c".replace("-", "+"), "a-b-c".replaceAll("-", "+"));
console.log("aaa".replace("a", "bb"), "aaa".replaceAll("a", "bb"), "abc".replaceAll("x", "y"));
console.log("a.b.c".replaceAll(".", "/"), "x*y*z".replace("*", ""));
console.log(`[${"\t tabbed\n ".trim()}]`);
console.log("MiXeD 123".toLowerCase(), "MiXeD 123".toUpperCase());
const path = "/etc/net/ip_router";
console.log(path.slice(path.indexOf("/", 1) + 1), path.split("/").length);
