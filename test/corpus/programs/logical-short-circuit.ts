// && and || evaluate their right operand only when needed.
let calls = 0;
function touch(label: string, result: boolean): boolean {
  calls++;
  console.log("touch", label);
  return result;
}
console.log(true && touch("and-true", true));
console.log(false && touch("and-false", true));
console.log(true || touch("or-true", false));
console.log(false || touch("or-false", false));
console.log(touch("a", false) && touch("b", true));
console.log(touch("c", true) || touch("d", true));
console.log(touch("e", true) && touch("f", false) || touch("g", true));
console.log(!touch("h", false) && !touch("i", false));
console.log("calls", calls);
let n = 0;
const r = n > 0 && Math.trunc(10 / n) > 1;
console.log(r);
const xs: string[] = [];
if (xs.length > 0 && xs[0] === "a") console.log("never");
if (xs.length === 0 || xs[0] === "a") console.log("empty ok");
let counter = 0;
if (counter++ > 0 || counter++ > 0) console.log("yes");
console.log("counter", counter);
