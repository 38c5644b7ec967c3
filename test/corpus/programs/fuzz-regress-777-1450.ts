// Found by the fuzzer (FUZZ_SEED=777, program 1450, seed 2186317303), shrunk.
// Failure: diagnostics: (1,1) TSION9999: internal compiler error: Cannot read properties of undefined (reading 'startsWith')
let q1450_g1: number = -8;
let q1450_g2: number = 1;
if ("@a" !== ("" + "")) {
  q1450_g2++;
  for (let q1450_i3 = 0; q1450_i3 > -1; q1450_i3--) {
    let q1450_v4: number[] = [q1450_g2 % 6, q1450_i3, -3, parseInt(String(q1450_g2), 10)];
    if (!!true) {
      continue;
    }
    q1450_g2 += Math.floor(q1450_g1 / 2);
  }
  console.log("-ens".replace("-x", "'"), ("~" + q1450_g1).trim(), "".startsWith("a"));
} else {
  const q1450_v5: string = "-ens".toUpperCase();
}
console.log(((["<", "x{1..3}"].length > 0 ? ["<", "x{1..3}"][0] : "")).includes("("));
let q1450_w6 = 0;
while (q1450_w6 < 1) {
  q1450_w6++;
  q1450_g1 -= -9;
}
console.log("q1450_g1", q1450_g1);
console.log("q1450_g2", q1450_g2);
