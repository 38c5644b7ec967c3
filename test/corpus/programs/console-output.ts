// console.log and console.error with several arguments of mixed types.
console.log();
console.log("");
console.log("a", "b", "c");
console.log(1, -2, 3);
console.log(true, false);
console.log("mixed", 1, true, "", -0 + 0, "end");
console.log("", "");
console.log("trailing space ");
console.log(" leading");
console.error("to stderr", 1, false);
console.log("after error");
console.log("%s %d literal percent");
console.log("100%", "50%s");
console.log(0, 10, 1000000, -1000000);
console.log("line1\nline2");
