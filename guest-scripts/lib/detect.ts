/**
 * Interface detection: wait (bounded) until netstack's netcfg answers, then
 * say which NIC is behind it.
 *
 * netstack may signal "ready" to init before it registers /scheme/netcfg
 * (networking doc §1.5), so a script started right after it must poll.
 * `addr/list` is the node polled because it is the one the scripts need;
 * `mac` is readable sooner and proves nothing (§7.1, bug 3).
 */
import { isDir, listDir } from "tsion/runtime";
import { info, warn } from "./log.ts";
import { ADDR_LIST, NOT_CONFIGURED, readNode } from "./netcfg.ts";
import { NETCFG_DEADLINE_SECONDS, POLLS_PER_SECOND, pollPause } from "./timing.ts";

/** True when addr/list answers with an address or `Not configured`. */
export function netcfgUsable(): boolean {
  const value = readNode(ADDR_LIST);
  return value === NOT_CONFIGURED || value.includes("/");
}

/**
 * Poll until netcfg is usable, at most NETCFG_DEADLINE_SECONDS.
 * Returns false when it never appeared (no NIC: netstack exits without one).
 */
export function waitForNetcfg(): boolean {
  const polls = NETCFG_DEADLINE_SECONDS * POLLS_PER_SECOND;
  for (let i = 0; i <= polls; i++) {
    if (netcfgUsable()) {
      if (i > 0) info(`netcfg became usable after ${i} polls`);
      return true;
    }
    if (i < polls) pollPause();
  }
  return false;
}

// The /scheme entries of NIC drivers, filled by findAdapters().
let adapters: string[] = [];

/**
 * Collect the NIC driver schemes (`network.pci-..._e1000`, or plain
 * `network` before 2024) into `adapters`; returns how many there are.
 */
export function findAdapters(): number {
  adapters = [];
  if (!isDir("/scheme")) return 0;
  for (const name of listDir("/scheme")) {
    if (name === "network" || name.startsWith("network.")) adapters.push(name);
  }
  return adapters.length;
}

/**
 * A readable description of a driver scheme:
 * `network.pci-00-00-03.0_virtio_net` gives `virtio_net at PCI 00:00:03.0`.
 */
export function describeAdapter(scheme: string): string {
  if (!scheme.startsWith("network.")) return "an unnamed driver (scheme 'network', pre-2024 naming)";
  const name = scheme.slice("network.".length);
  const underscore = name.indexOf("_");
  if (!name.startsWith("pci-") || underscore < 0) return `driver scheme '${scheme}'`;
  const driver = name.slice(underscore + 1);
  // pcid writes seg-bus-dev.fn with ':' turned into '-' (networking doc §3).
  const address = name.slice("pci-".length, underscore).replaceAll("-", ":");
  return `${driver} at PCI ${address}`;
}

/** Log the NIC netstack is using, and warn when there are several. */
export function reportAdapter(): void {
  const count = findAdapters();
  if (count === 0) {
    warn("netcfg is up but no /scheme/network.* driver is listed");
    return;
  }
  const first = describeAdapter(adapters[0]);
  info(`eth0 is ${first}`);
  if (count > 1) {
    const all = adapters.join(", ");
    warn(`${count} network adapters found (${all}); netstack drives only the first it finds, the others stay unused`);
  }
}

/** The message for "netcfg never appeared", naming the likely cause. */
export function noInterfaceMessage(): string {
  const base = `no network interface: ${ADDR_LIST} did not answer within ${NETCFG_DEADLINE_SECONDS} s`;
  if (findAdapters() === 0) return `${base} and no NIC driver (/scheme/network.*) exists`;
  return `${base} although a NIC driver exists (is netstack running?)`;
}
