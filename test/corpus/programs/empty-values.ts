// Empty strings and empty arrays everywhere.
const e = "";
const arr = ["", "", ""];
console.log(arr.length, `[${arr.join(",")}]`);
console.log(`[${e}]`, e.length, e === "");
function id(s: string): string {
  return s;
}
console.log(`[${id(e)}]`, id("") === "");
const a2: string[] = [];
a2.push("");
a2.push(e);
console.log(a2.length, a2.includes(""), a2.indexOf(""));
console.log(e + e + e === "", `${e}${e}`.length);
for (const x of arr) console.log(`<${x}>`);
console.log(e);
console.log(e, e);
console.log("".trim().length, "".toUpperCase() === "", "".slice(0, 5) === "");
const split = "".split("");
console.log(split.length);
