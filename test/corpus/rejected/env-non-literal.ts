// env() needs a literal variable name.
import { env } from "tsion/runtime";
const name = "HO" + "ME";
console.log(env(name)); // error
