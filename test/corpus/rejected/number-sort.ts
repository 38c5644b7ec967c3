// sort() is only supported on string arrays.
const xs = [3, 1, 2];
xs.sort(); // error
console.log(xs.join(","));
