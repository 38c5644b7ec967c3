// exit() from inside nested loops and a function ends everything.
import { exit } from "tsion/runtime";
function scan(limit: number): void {
  for (let i = 0; i < limit; i++) {
    for (let j = 0; j < limit; j++) {
      if (i * j === 6) {
        console.log("stop at", i, j);
        exit(7);
      }
    }
  }
}
scan(10);
console.log("not reached");
