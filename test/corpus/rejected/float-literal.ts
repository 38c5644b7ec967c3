// Numbers are integers: float literals are rejected.
const ratio = 1.5; // error
console.log(ratio);
