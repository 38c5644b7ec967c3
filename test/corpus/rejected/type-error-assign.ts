// TypeScript type errors are reported as diagnostics too.
const n: number = "five"; // error
console.log(n);
