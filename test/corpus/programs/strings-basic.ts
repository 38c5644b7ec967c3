// String literals, concatenation and length.
const greeting = "hello";
const name = 'world';
const joined = greeting + ", " + name + "!";
console.log(joined);
console.log(joined.length);
let s = "";
console.log(s.length);
s = s + "abc";
s += "def";
console.log(s, s.length);
const quoted = "she said \"hi\" and 'bye'";
console.log(quoted);
