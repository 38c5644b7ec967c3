// Module-level arrays (kept encoded in the environment): literal assignment,
// length without decoding, push with and without its result, elements holding
// the encoding's own separators (U+001F, U+001E) and other hostile text.
let items: string[] = [];
let nums: number[] = [3, 1, 2];
function add(x: string): void {
  items.push(x);
}
function addCounted(x: string): number {
  return items.push(x);
}
function count(): number {
  return items.length;
}
console.log(count(), nums.length);
add("a");
add("\u001f");
add("x\u001ey\u001fz");
add("");
add("1..3");
console.log(count(), addCounted("$(b)"), count());
console.log(items.join("|").length, items[1] === "\u001f", items[2] === "x\u001ey\u001fz", items[3] === "", items[4]);
items = ["p", "", "\u001e", "q r"];
console.log(items.length, items.join(","), items[2] === "\u001e");
items = [];
console.log(items.length, items.join(","));
nums.push(4);
nums.sort();
console.log(nums.join(" "));
