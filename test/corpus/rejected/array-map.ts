// Array members other than length/push/includes/indexOf/join/sort are outside the subset.
const xs = [1, 2, 3];
console.log(xs.map((x) => x * 2).join(",")); // error
