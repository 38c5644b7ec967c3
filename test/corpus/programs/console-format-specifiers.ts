// console.log formats its first argument like util.format when more arguments follow.
console.log("%s %d literal");
console.log("%s and %s", "a", "b", "extra");
console.log("%d%%", 50);
console.log("100%", "50%s");
console.log("%%", "x");
console.log("a", "%s", "b");
