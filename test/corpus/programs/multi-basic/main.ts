// Relative imports between modules.
import { add, GREETING, shout } from "./lib.ts";
console.log(shout(GREETING), add(2, 3));
console.log(shout("-n"), add(-1, -1));
