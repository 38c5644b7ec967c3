// Functions returning never end the program through exit().
import { exit } from "tsion/runtime";

function fail(message: string, code: number): never {
  console.error("error: " + message);
  console.log("failing with", code);
  exit(code);
}

function check(n: number): number {
  if (n > 2) fail(`too big: ${n}`, 3);
  return n * 10;
}

console.log(check(1));
console.log(check(2));
console.log(check(5));
console.log("not reached");
