// readFile of a missing file ends the program with status 1.
import { isFile, readFile } from "tsion/runtime";
console.log(isFile("nope.txt"));
const c = readFile("nope.txt");
console.log("not reached", c);
