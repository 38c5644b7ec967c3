// Classes are outside the subset.
class Counter { // error
  n = 0;
}
console.log(new Counter().n);
