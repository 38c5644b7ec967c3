// Arrays of strings, numbers and booleans: length, push, index read/write.
const xs: string[] = ["a", "b", "c"];
console.log(xs.length, xs[0], xs[2]);
xs.push("d");
console.log(xs.length, xs[3]);
xs[1] = "B";
console.log(xs.join(","));
const ns: number[] = [];
for (let i = 0; i < 5; i++) {
  ns.push(i * i);
}
console.log(ns.join(" "), ns.length);
ns[0] = -1;
ns[4] = ns[4] + ns[3];
console.log(ns.join("+"));
const bs: boolean[] = [true, false];
bs.push(true);
console.log(bs.length, bs[0], bs[1], bs[2]);
const empty: string[] = [];
console.log(empty.length, `[${empty.join(",")}]`);
