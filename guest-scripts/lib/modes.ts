/**
 * The four ways of configuring the network interface, shared by the entry scripts.
 *
 *   auto    wait for a DHCP lease; without one apply the static fallback
 *   static  apply the static configuration now (netcfg-ch, netcfg-static)
 *   dhcp    wait for a DHCP lease only; never fall back
 *   none    configure nothing
 *
 * Each returns the exit status.
 */
import { args, isFile, readFile } from "tsion/runtime";
import { error, info } from "./log.ts";
import { noInterfaceMessage, reportInterface, waitForInterface } from "./detect.ts";
import { keepLease, waitForLease } from "./lease.ts";
import { watchForLateLease } from "./late-lease.ts";
import { deviceName, verifiedRouteList } from "./netcfg.ts";
import { applyStaticConfig, loadStaticConfig, staticConfigPresent, staticDir, staticGatewayValue } from "./static-config.ts";
import { DHCP_WINDOW_SECONDS, LEASE_DEADLINE_SECONDS } from "./timing.ts";

export type Mode = "auto" | "static" | "dhcp" | "none";

/** netcfg-static reads its mode here when it is given no argument. */
export const MODE_FILE = "/etc/net/netcfg/mode";

/**
 * The mode for netcfg-static: its first argument, else the trimmed content
 * of MODE_FILE, else "static". "" (with an error) when it is not a mode.
 */
export function selectMode(): string {
  const argv = args();
  let mode = "static";
  let source = "default";
  if (argv.length > 0) {
    mode = argv[0].trim();
    source = "argument";
  } else if (isFile(MODE_FILE)) {
    mode = readFile(MODE_FILE).trim();
    source = MODE_FILE;
  }
  if (mode === "auto" || mode === "static" || mode === "dhcp" || mode === "none") {
    info(`mode ${mode} (${source})`);
    return mode;
  }
  error(`unknown mode '${mode}' (${source}); expected auto, static, dhcp or none`);
  return "";
}

/** Run a mode by name; 1 for an unknown one. */
export function runMode(mode: string): number {
  switch (mode) {
    case "auto":
      return runAuto();
    case "static":
      return runStatic();
    case "dhcp":
      return runDhcp();
    case "none":
      return runNone();
    default:
      return 1;
  }
}

/**
 * auto: DHCP first, the static configuration as a fallback. No NIC is not an
 * error here (exit 0): auto is the default boot hook of every image.
 */
export function runAuto(): number {
  // Validate the fallback first, so its errors show before any waiting.
  let fallback = false;
  const dir = staticDir();
  if (dir === "") {
    // An invalid label: as with invalid fallback files, DHCP alone.
  } else if (staticConfigPresent(dir)) {
    fallback = loadStaticConfig(dir);
  } else {
    info(`no static fallback configured (${dir}/ip does not exist)`);
  }
  if (!waitForInterface()) {
    const message = noInterfaceMessage();
    info(`${message}; nothing to configure`);
    return 0;
  }
  const device = deviceName();
  reportInterface(device);
  // Without a fallback there is nothing better to do than wait for dhcpd to give up.
  let deadline = DHCP_WINDOW_SECONDS;
  if (fallback) deadline = LEASE_DEADLINE_SECONDS;
  info(`waiting up to ${deadline} s for a DHCP lease`);
  const lease = waitForLease(deadline);
  if (lease !== "") return keepLease(lease) ? 0 : 1;
  if (!fallback) {
    error(`no DHCP lease within ${deadline} s and no valid static fallback; ${device} stays unconfigured`);
    return 1;
  }
  info(`no DHCP lease within ${deadline} s; applying the static fallback from ${dir}`);
  if (!applyStaticConfig()) return 1;
  const watch = DHCP_WINDOW_SECONDS - LEASE_DEADLINE_SECONDS;
  return watchForLateLease(verifiedRouteList(), staticGatewayValue(), watch) ? 0 : 1;
}

/** static: validate, wait for netcfg, apply. No NIC or a bad configuration: exit 1. */
export function runStatic(): number {
  // Validate first: a bad configuration fails at once and writes nothing.
  const dir = staticDir();
  if (dir === "") return 1;
  if (!loadStaticConfig(dir)) return 1;
  if (!waitForInterface()) {
    error(noInterfaceMessage());
    return 1;
  }
  reportInterface(deviceName());
  return applyStaticConfig() ? 0 : 1;
}

/** dhcp: wait as long as dhcpd may still deliver; never fall back. */
export function runDhcp(): number {
  if (!waitForInterface()) {
    error(noInterfaceMessage());
    return 1;
  }
  const device = deviceName();
  reportInterface(device);
  info(`waiting up to ${DHCP_WINDOW_SECONDS} s for a DHCP lease (mode dhcp never falls back)`);
  const lease = waitForLease(DHCP_WINDOW_SECONDS);
  if (lease === "") {
    error(`no DHCP lease within ${DHCP_WINDOW_SECONDS} s; ${device} stays unconfigured`);
    return 1;
  }
  return keepLease(lease) ? 0 : 1;
}

/** none: leave the network alone. */
export function runNone(): number {
  info("mode none: the network is left unconfigured");
  return 0;
}
