// Found by the fuzzer (FUZZ_SEED=777, program 782, seed 2014444459), shrunk.
// Failure: mismatch: status 0; stderr: -6
console.log(["10", "-n"].indexOf(String(-11)));
