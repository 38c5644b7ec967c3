// String(n), Number(s) and parseInt(s, 10) on decimal strings.
console.log(String(42), String(-7), String(0), String(123456789));
const s = String(12) + String(34);
console.log(s, s.length);
console.log(Number("42") + 1, Number("-17") * 2, Number("0"));
console.log(parseInt("99", 10) + 1, parseInt("-5", 10) - 5);
const parts = "10,20,-30".split(",");
let total = 0;
for (const p of parts) total += Number(p);
console.log(total);
let total2 = 0;
for (const p of parts) total2 += parseInt(p, 10);
console.log(total2);
console.log(Number(String(-8)) === -8);
console.log(String(Number("0042")));
