// Found by the fuzzer (FUZZ_SEED=20250601, program 225, seed 4221701690), shrunk.
// Failure: mismatch: status 0; stderr: 
let q225_g1: string = "tab\tx";
function q225_f2(): boolean {
  console.log(q225_g1, "Hello");
  if (!(-12 !== (-10 + 0))) {
    q225_g1 += ["{a,b}", "café"].indexOf(q225_g1);
  } else {
    let q225_v3: string[] = (false ? q225_g1 : "&&").split("--");
  }
  let q225_v4: number[] = [-9, 11, q225_g1.indexOf("")];
  return (`${q225_g1}]${true}`) === q225_g1;
}
function q225_f5(q225_p6: boolean): string {
  console.log(-10 + (907 * 6));
  q225_g1 = (`${q225_g1}$x${["$(ls)", "\\"].indexOf(q225_g1)}`).slice(0, 40);
  return "--help";
}
for (let q225_i7 = 6; q225_i7 > 2; q225_i7--) {
  for (let q225_i8 = 0; q225_i8 < 1; q225_i8++) {
    let q225_v9: boolean = false;
  }
}
q225_g1 += q225_f5(false);
console.log([5, 3].includes(10), true);
q225_g1 = (q225_g1.toUpperCase()).slice(0, 40);
console.log("q225_g1", q225_g1);
