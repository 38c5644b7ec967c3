// Array includes / indexOf / join with various separators.
const fruits = ["apple", "banana", "cherry", "banana"];
console.log(fruits.includes("banana"), fruits.includes("grape"));
console.log(fruits.indexOf("banana"), fruits.indexOf("cherry"), fruits.indexOf("grape"));
console.log(fruits.join(), fruits.join(""), fruits.join(" - "));
const nums = [3, -1, 4, -1, 5];
console.log(nums.includes(-1), nums.includes(2), nums.indexOf(-1), nums.indexOf(5));
console.log(nums.join(", "));
const withEmpty = ["", "x", ""];
console.log(withEmpty.length, withEmpty.indexOf(""), withEmpty.includes(""), `<${withEmpty.join("|")}>`);
