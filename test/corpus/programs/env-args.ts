// @args: ["first", "-e", "with space", "$x", ""]
// args() and env(): the program's arguments and environment variables.
// (Not "-n", "-x", "-h", ...: the ion binary takes those as its own options
// wherever they appear on its command line, so no script can receive them.)
import { args, env } from "tsion/runtime";
const a = args();
console.log(a.length);
for (let i = 0; i < a.length; i++) {
  console.log(i, `[${a[i]}]`);
}
console.log(env("LANG"));
console.log(`[${env("TSION_SURELY_UNSET")}]`, env("TSION_SURELY_UNSET") === "");
console.log(a.includes("-e"), a.indexOf("$x"));
