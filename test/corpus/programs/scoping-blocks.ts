// const/let block scoping; inner blocks shadow outer names.
const x = "outer";
let y = 1;
{
  const x = "inner";
  let y = 100;
  y++;
  console.log(x, y);
}
console.log(x, y);
if (y === 1) {
  const x = "in-if";
  console.log(x);
  y = 2;
} else {
  const x = "in-else";
  console.log(x);
}
console.log(x, y);
for (let i = 0; i < 2; i++) {
  const x = `loop${i}`;
  let y = i * 10;
  console.log(x, y);
}
console.log(x, y);
let z = 0;
while (z < 2) {
  const z2 = z + 1;
  {
    const z2 = 99;
    console.log(z2);
  }
  console.log(z2);
  z = z2;
}
function f(x: string): string {
  {
    const x = "shadow-in-fn";
    console.log(x);
  }
  return x + "!";
}
console.log(f("param"));
