// String length / includes / startsWith / endsWith / indexOf.
const s = "eth0: inet 10.0.2.15/24";
console.log(s.length);
console.log(s.includes("inet"), s.includes("inet6"), s.includes(""));
console.log(s.startsWith("eth"), s.startsWith("lo"), s.startsWith(""));
console.log(s.endsWith("/24"), s.endsWith("/16"), s.endsWith(""));
console.log(s.indexOf("."), s.indexOf("10"), s.indexOf("zz"), s.indexOf(""));
const special = "a$b@c(d)e";
console.log(special.includes("$b"), special.indexOf("@"), special.indexOf("("), special.endsWith("e"));
const dots = "a.b.c";
console.log(dots.includes("."), dots.indexOf("."), dots.startsWith("a."), "a*b".includes("*"));
console.log("".includes(""), "".startsWith("x"), "".indexOf("x"), "".length);
