// Comparisons on numbers; equality on strings and booleans.
const a = 3;
const b = -4;
console.log(a < b, a > b, a <= 3, a >= 4, a === 3, a !== 3);
console.log(b < 0, b <= -4, b > -5, b >= -3);
const s: string = "abc";
console.log(s === "abc", s !== "abc", s === "ABC", s === "");
const e: string = "";
console.log(e === "", e !== "x");
const t: boolean = a > 0;
console.log(t === true, t !== false, (a > 1) === (b > 1));
const strs = ["-n", "-e", "10", "9"];
console.log(strs[0] === "-n", strs[2] === "10", strs[3] === "10");
console.log(10 > 9, -10 < -9, 0 === -0 + 0);
