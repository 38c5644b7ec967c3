// exit() status is taken modulo 256.
import { exit } from "tsion/runtime";
console.log("exit 300");
exit(300);
