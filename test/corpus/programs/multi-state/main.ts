// Two modules sharing the state of a third.
import { hit, resetCounter } from "./counter.ts";
import { report } from "./report.ts";
console.log(report("start"));
hit("a");
hit("$b");
console.log(hit("c"));
console.log(report("after"));
resetCounter();
console.log(report("reset"));
