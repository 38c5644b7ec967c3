// @args: ["first", "-n", "with space", "$x", ""]
// args() and env(): the program's arguments and environment variables.
import { args, env } from "tsion/runtime";
const a = args();
console.log(a.length);
for (let i = 0; i < a.length; i++) {
  console.log(i, `[${a[i]}]`);
}
console.log(env("LANG"));
console.log(`[${env("TSION_SURELY_UNSET")}]`, env("TSION_SURELY_UNSET") === "");
console.log(a.includes("-n"), a.indexOf("$x"));
