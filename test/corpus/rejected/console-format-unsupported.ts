// console.log format specifiers beyond %s %d %i %c %% are outside the subset.
console.log("%o", 5); // error
