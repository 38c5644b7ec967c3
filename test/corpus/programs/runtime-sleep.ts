// sleep() pauses through the external sleep command.
import { sleep } from "tsion/runtime";
console.log("start");
sleep(0.1);
console.log("end");
