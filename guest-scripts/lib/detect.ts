/**
 * Interface discovery: wait (bounded) until netstack's netcfg offers an
 * interface to configure, and say which NIC is behind it.
 *
 * Two kinds of netstack name their interfaces differently
 * (redox-os/base netstack/src/scheme/netcfg/mod.rs; docs/guest-scripts.md):
 *   - older netstack hard-codes one interface, `eth0`;
 *   - newer builds list `lo` plus one entry per adapter, named after its PCI
 *     path (`pci-0000-00-04.0_e1000`).
 * So: use `eth0` when it exists (a builtin test); otherwise list ifaces/,
 * skip `lo`, and take the first of what remains. listDir() lists through
 * Ion's glob (no process, no `ls`), but whether an older netstack can list
 * its directories at all is not known, which is why `eth0` is tried first.
 *
 * netstack may tell init it is ready before it registers /scheme/netcfg, and
 * a newer one may list `lo` before the adapter's interface, so a script
 * started right after it polls.
 */
import { isDir, isFile, listDir } from "tsion/runtime";
import { info, warn } from "./log.ts";
import { IFACES, NETCFG, setDevice } from "./netcfg.ts";
import { NETCFG_DEADLINE_SECONDS, POLLS_PER_SECOND, pollPause } from "./timing.ts";

/** The loopback interface of newer netstack: never configured by the scripts. */
export const LOOPBACK = "lo";

// What the last look found: how many usable interfaces, and all of them (", ").
let candidateCount = 0;
let candidateList = "";

/**
 * The interface to configure, or "" while there is none: `eth0` when netcfg
 * has it (older netstack), else the first entry of ifaces/ other than `lo`.
 */
export function findInterface(): string {
  candidateCount = 0;
  candidateList = "";
  if (!isDir(IFACES)) return "";
  if (isFile(`${IFACES}/eth0/addr/list`)) {
    candidateCount = 1;
    candidateList = "eth0";
    return "eth0";
  }
  let first = "";
  for (const name of listDir(IFACES)) {
    if (name === LOOPBACK || name === "") continue;
    if (candidateCount === 0) first = name;
    candidateList = candidateCount === 0 ? name : `${candidateList}, ${name}`;
    candidateCount++;
  }
  return first;
}

/**
 * Poll until an interface is there, at most NETCFG_DEADLINE_SECONDS, and make
 * it the one configured. Returns false when none appeared (no NIC: older
 * netstack exits without one, newer lists only `lo`).
 */
export function waitForInterface(): boolean {
  const polls = NETCFG_DEADLINE_SECONDS * POLLS_PER_SECOND;
  for (let i = 0; i <= polls; i++) {
    const found = findInterface();
    if (found !== "") {
      setDevice(found);
      if (i > 0) info(`${found} became usable after ${i} polls`);
      return true;
    }
    if (i < polls) pollPause();
  }
  return false;
}

/**
 * A readable description of a driver scheme (`network.pci-00-00-03.0_virtio_net`)
 * or of a newer netstack's interface (`pci-0000-00-03.0_virtio_net`):
 * `virtio_net at PCI 00:03.0` (the segment is shown only when it is not 0).
 */
export function describeAdapter(name: string): string {
  if (name === "network") return "an unnamed driver (scheme 'network', pre-2024 naming)";
  let rest = name;
  if (rest.startsWith("network.")) rest = rest.slice("network.".length);
  const underscore = rest.indexOf("_");
  if (!rest.startsWith("pci-") || underscore < 0) return `driver scheme '${name}'`;
  const driver = rest.slice(underscore + 1);
  // pcid writes seg-bus-dev.fn with ':' turned into '-' (pcid/src/driver_interface/mod.rs).
  const parts = rest.slice("pci-".length, underscore).split("-");
  if (parts.length !== 3) return `driver scheme '${name}'`;
  const segment = parts[0] === "00" || parts[0] === "0000" ? "" : `${parts[0]}:`;
  return `${driver} at PCI ${segment}${parts[1]}:${parts[2]}`;
}

// The NIC driver schemes findAdapters() found: the first, and all of them (", ").
let firstAdapter = "";
let adapterList = "";

/**
 * Look for NIC driver schemes (`network.pci-..._e1000`, or plain `network`
 * before 2024) in /scheme; returns how many there are.
 */
export function findAdapters(): number {
  let count = 0;
  firstAdapter = "";
  adapterList = "";
  if (!isDir("/scheme")) return 0;
  for (const name of listDir("/scheme")) {
    if (name !== "network" && !name.startsWith("network.")) continue;
    if (count === 0) firstAdapter = name;
    adapterList = count === 0 ? name : `${adapterList}, ${name}`;
    count++;
  }
  return count;
}

/** Log which NIC is behind the interface, and warn when there are others. */
export function reportInterface(device: string): void {
  if (device !== "eth0") {
    // Newer netstack: the interface is named after its adapter, one per adapter.
    info(`${device} is ${describeAdapter(device)}`);
    if (candidateCount > 1) {
      warn(`${candidateCount} network interfaces (${candidateList}); configuring ${device}, the first; the others stay unconfigured`);
    }
    return;
  }
  // Older netstack: eth0 is the first network.* driver scheme, and only that one is used.
  const count = findAdapters();
  if (count === 0) {
    warn("netcfg is up but no /scheme/network.* driver is listed");
    return;
  }
  info(`eth0 is ${describeAdapter(firstAdapter)}`);
  if (count > 1) {
    warn(`${count} network adapters found (${adapterList}); netstack drives only the first it finds, the others stay unused`);
  }
}

/** The message for "no interface appeared", naming the likely cause. */
export function noInterfaceMessage(): string {
  let base = `no network interface: ${NETCFG} did not appear within ${NETCFG_DEADLINE_SECONDS} s`;
  if (isDir(IFACES)) base = `no network interface: ${IFACES} listed none but ${LOOPBACK} within ${NETCFG_DEADLINE_SECONDS} s`;
  if (findAdapters() === 0) return `${base} and no NIC driver (/scheme/network.*) exists`;
  return `${base} although a NIC driver exists (is netstack running?)`;
}
