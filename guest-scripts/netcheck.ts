/**
 * netcheck: the in-guest network self-test, run after netcfg (init unit
 * 17_netcheck). Prints TSION_CHECK:<name>:PASS|FAIL:<reason> per check, then
 * TSION_CHECKS_DONE, for `tsion vm test` on the host (docs/vm.md).
 * Exit 0 when every check passed, 1 otherwise.
 */
import { exit } from "tsion/runtime";
import { setScriptName } from "./lib/log.ts";
import { runNetcheck } from "./lib/netcheck.ts";

setScriptName("netcheck");
exit(runNetcheck());
