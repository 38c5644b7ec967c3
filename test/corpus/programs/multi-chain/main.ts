// Import chain main -> util/format -> util/strings, with a type import.
import { format, type Kind } from "./util/format.ts";
import { exit } from "tsion/runtime";
const kinds: Kind[] = ["info", "warn"];
for (const k of kinds) console.log(format(k, `message ${k}`));
exit(4);
