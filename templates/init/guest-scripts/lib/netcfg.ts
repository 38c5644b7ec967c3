/**
 * Reading Redox's network configuration: netstack's /scheme/netcfg.
 *
 * Older netstack has one interface, eth0; newer builds list lo plus one
 * interface per network adapter (pci-0000-00-04.0_e1000, ...). Both are
 * handled by taking eth0 when it exists, else the first interface that is
 * not lo. netstack may register /scheme/netcfg a little after boot, so
 * callers poll.
 */
import { isDir, isFile, listDir, readFile, sleep } from "tsion/runtime";

export const IFACES = "/scheme/netcfg/ifaces";

/** The interface to look at, or "" when netcfg has none (yet). */
export function findInterface(): string {
  if (!isDir(IFACES)) return "";
  if (isFile(`${IFACES}/eth0/addr/list`)) return "eth0";
  for (const name of listDir(IFACES)) {
    if (name !== "lo" && name !== "") return name;
  }
  return "";
}

/** The interface's address as "A.B.C.D/N", or "" while it has none. */
export function addressOf(dev: string): string {
  const text = readFile(`${IFACES}/${dev}/addr/list`).trim();
  return text === "Not configured" ? "" : text;
}

/** Polls once a second, at most `seconds` times, for an interface; "" when none appeared. */
export function waitForInterface(seconds: number): string {
  let dev = findInterface();
  for (let waited = 0; dev === "" && waited < seconds; waited++) {
    sleep(1);
    dev = findInterface();
  }
  return dev;
}

/** Polls once a second, at most `seconds` times, for an address on `dev`; "" when none came. */
export function waitForAddress(dev: string, seconds: number): string {
  let addr = addressOf(dev);
  for (let waited = 0; addr === "" && waited < seconds; waited++) {
    sleep(1);
    addr = addressOf(dev);
  }
  return addr;
}
