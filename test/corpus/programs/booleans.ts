// Booleans: literals, negation, printing.
const t = true;
const f = false;
console.log(t, f);
console.log(!t, !f, !!t);
let flag = 3 > 2;
console.log(flag);
flag = !flag;
console.log(flag);
const both = t && f;
const either = t || f;
console.log(both, either);
console.log(`flag is ${flag}`);
if (!flag) {
  console.log("flag was false");
}
let done: boolean = false;
let n = 0;
while (!done) {
  n++;
  if (n === 3) done = true;
}
console.log(n, done);
