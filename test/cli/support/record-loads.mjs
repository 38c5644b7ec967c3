// `node --import ./record-loads.mjs ...`: appends the URL of every module the
// process loads to $TSION_LOADED_LOG (test/cli/startup.test.ts).
import { register } from "node:module";

register("./record-loads-hooks.mjs", import.meta.url, { data: { log: process.env.TSION_LOADED_LOG } });
