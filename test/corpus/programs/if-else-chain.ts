// if / else if / else chains.
function classify(n: number): string {
  if (n < 0) {
    return "negative";
  } else if (n === 0) {
    return "zero";
  } else if (n < 10) {
    return "small";
  } else if (n < 100) {
    return "medium";
  } else {
    return "large";
  }
}
for (const n of [-5, 0, 3, 42, 1000]) {
  console.log(n, classify(n));
}
let s = "b";
if (s === "a") console.log("is a");
else if (s === "b") console.log("is b");
else console.log("other");
if (s !== "b") {
  console.log("not printed");
}
if (s.length > 0) {
  if (s === "c") {
    console.log("c");
  } else {
    console.log("nested else");
  }
}
