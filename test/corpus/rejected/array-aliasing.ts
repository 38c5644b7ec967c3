// Ion copies arrays, so mutating an array through a second name would diverge.
const a = [1, 2];
const b = a; // error
b.push(3); // error
console.log(a.length);
