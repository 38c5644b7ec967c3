// Code after a return is rejected.
function f(): number {
  return 1;
  console.log("never"); // error
}
console.log(f());
