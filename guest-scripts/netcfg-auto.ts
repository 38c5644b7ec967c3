/**
 * netcfg-auto: the default boot hook. Waits for netstack, keeps a DHCP lease
 * if one arrives within 8 s, otherwise applies the static configuration from
 * /etc/net/LABEL, cloud-hypervisor by default (see docs/guest-scripts.md).
 */
import { exit } from "tsion/runtime";
import { setScriptName } from "./lib/log.ts";
import { runAuto } from "./lib/modes.ts";

setScriptName("netcfg-auto");
exit(runAuto());
