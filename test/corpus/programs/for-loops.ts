// C-style for loops: counting up, down, by steps, nested, empty parts.
for (let i = 0; i < 3; i++) {
  console.log("up", i);
}
for (let i = 3; i > 0; i--) {
  console.log("down", i);
}
for (let i = -4; i <= 4; i += 3) {
  console.log("step", i);
}
let line = "";
for (let r = 0; r < 3; r++) {
  for (let c = 0; c < 3; c++) {
    line += r * c;
  }
  line += "|";
}
console.log(line);
let k = 0;
for (; k < 2; ) {
  k++;
}
console.log(k);
let n = 0;
for (;;) {
  n++;
  if (n > 4) break;
}
console.log(n);
let j = 10;
for (let i = 0; i < j; i += 3) {
  j -= 3;
  console.log(i, j);
}
