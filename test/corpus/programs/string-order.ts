// Ordering comparisons on strings (code point order) and sort() agree.
const words: string[] = ["banana", "apple", "Cherry", "apple pie", "", "Zoo", "éclair", "10", "9"];
for (const a of words) {
  let line = a + ":";
  for (const b of words) {
    line += a < b ? "<" : a > b ? ">" : "=";
  }
  console.log(line);
}
console.log("a" <= "a", "b" >= "c", "abc" < "abd", "ab" < "abc");
const sorted: string[] = ["pear", "Apple", "apple", "", "b", "10", "9", "é", "z"];
sorted.sort();
console.log(sorted.join("|"));
