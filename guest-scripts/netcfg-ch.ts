/**
 * netcfg-ch: static configuration for Cloud Hypervisor guests (no DHCP on
 * the TAP device). Applies /etc/net/LABEL/{ip,netmask,gateway,dns} (LABEL:
 * cloud-hypervisor unless /etc/net/netcfg/label names another)
 * as soon as netcfg answers; exit 1 without a NIC or with a bad configuration.
 */
import { exit } from "tsion/runtime";
import { setScriptName } from "./lib/log.ts";
import { runStatic } from "./lib/modes.ts";

setScriptName("netcfg-ch");
exit(runStatic());
