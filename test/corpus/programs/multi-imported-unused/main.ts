// Reachability: imported functions that nothing calls are dropped.
import { importedNeverCalled, onlyCalledByDeadCode, used } from "./lib.ts";
export { importedNeverCalled };
type Unused = typeof onlyCalledByDeadCode;
console.log(used(21));
