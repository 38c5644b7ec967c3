// Template literals with numbers, strings, booleans and expressions.
const name = "ion";
const n = 3;
console.log(`plain`);
console.log(`name=${name} n=${n} next=${n + 1} neg=${-n}`);
console.log(`${name}${name}`);
console.log(`bool ${n > 2} ${n < 2}`);
console.log(`nested ${`inner ${name.toUpperCase()}`}`);
console.log(`call ${String(n * 7)} ${name.length}`);
console.log(`ternary ${n === 3 ? "three" : "other"}`);
console.log(`${""}|${n}|${""}`);
console.log(`special $ { } \` \\ ' " @ #`);
console.log(`multi
line ${name}
end`);
const t = `a\tb\nc`;
console.log(t, t.length);
