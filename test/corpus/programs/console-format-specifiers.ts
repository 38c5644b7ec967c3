// console.log formats its first argument like util.format when more arguments follow.
const pct = "%s";
console.log("%s %d literal");
console.log(pct);
console.log(pct, "x");
console.log("%s and %s", "a", "b", "extra");
console.log("%d%%", 50);
console.log("100%", "50%s");
console.log("%%", "x");
console.log("a", "%s", "b");
const label = "%s=%d";
console.log(label, "n", 4);
console.log(`${label}`, 1);
