/**
 * netcfg-static: configure the network interface in the mode chosen by the first argument or
 * /etc/net/netcfg/mode: static (default), dhcp, none or auto.
 */
import { exit } from "tsion/runtime";
import { setScriptName } from "./lib/log.ts";
import { runMode, selectMode } from "./lib/modes.ts";

setScriptName("netcfg-static");
const mode = selectMode();
if (mode === "") exit(1);
exit(runMode(mode));
