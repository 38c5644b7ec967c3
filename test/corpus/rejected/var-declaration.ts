// var is outside the subset (use const/let).
var n = 1; // error
console.log(n);
