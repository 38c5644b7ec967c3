// A format string held in a variable is formatted too when more arguments follow.
const pct = "%s";
console.log(pct);
console.log(pct, "x");
const label = "%s=%d";
console.log(label, "n", 4);
console.log(`${label}`, 1);
const plain = "no specifiers";
console.log(plain, 1);
