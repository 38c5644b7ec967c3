// `/` is only allowed inside Math.trunc() or Math.floor().
const a = 7;
const b = 2;
const q = a / b; // error
console.log(q);
