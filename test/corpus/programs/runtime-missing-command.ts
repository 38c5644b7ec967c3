// run() of a command that does not exist ends the program with status 1.
import { run } from "tsion/runtime";
console.log("trying");
run("tsion-no-such-command-xyz");
console.log("not reached");
