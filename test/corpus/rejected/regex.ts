// Regular expressions are outside the subset.
const ok = /^eth[0-9]+$/.test("eth0"); // error
console.log(ok);
