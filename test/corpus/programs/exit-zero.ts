// exit(0) ends early with success.
import { exit } from "tsion/runtime";
let n = 0;
while (true) {
  n++;
  if (n === 3) {
    console.log("done at", n);
    exit(0);
  }
}
