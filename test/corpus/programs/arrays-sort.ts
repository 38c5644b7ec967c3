// sort() of string arrays uses code unit order.
const words = ["pear", "Apple", "banana", "apple", "Banana", "10", "9", "", "zebra", "_x", "-n"];
words.sort();
console.log(words.join(","));
const one = ["only"];
one.sort();
console.log(one.join(","));
const none: string[] = [];
none.sort();
console.log(none.length);
const dup = ["b", "a", "b", "a"];
dup.sort();
for (const w of dup) console.log(w);
