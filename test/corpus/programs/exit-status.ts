// exit() with a status after some output.
import { exit } from "tsion/runtime";
console.log("about to exit");
const code = 2 + 1;
if (code === 3) {
  exit(code);
}
console.log("not reached");
