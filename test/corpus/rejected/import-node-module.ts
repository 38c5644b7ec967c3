// Only tsion/runtime and relative guest modules may be imported.
import { readFileSync } from "node:fs"; // error
console.log(readFileSync("x", "utf8"));
