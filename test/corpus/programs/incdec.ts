// ++ and --, prefix and postfix, as statements and inside expressions.
let i = 0;
i++;
++i;
console.log(i);
i--;
--i;
console.log(i);
let j = 5;
const a = j++;
const b = ++j;
const c = j--;
const d = --j;
console.log(a, b, c, d, j);
let k = 1;
const e = k++ + k++ * ++k;
console.log(e, k);
const xs = [10, 20, 30];
let p = 0;
console.log(xs[p++], xs[p++], p);
xs[--p] = 99;
console.log(xs.join(","), p);
xs[0]++;
--xs[2];
console.log(xs.join(","));
let count = 0;
while (count++ < 3) {
  console.log("iter", count);
}
console.log("after", count);
console.log(`t${i++}${i++}`, i);
