// null and undefined values are outside the subset.
let v: string | null = null; // error
v = "x";
console.log(v);
