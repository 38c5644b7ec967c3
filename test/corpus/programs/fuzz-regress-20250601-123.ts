// Found by the fuzzer (FUZZ_SEED=20250601, program 123, seed 1752212764), shrunk.
// Failure: mismatch: status 0; stderr: 
let q123_d3 = 0;
console.log(`${"a"}$x${")".replaceAll("\t", "--")}`, q123_d3 - q123_d3);
