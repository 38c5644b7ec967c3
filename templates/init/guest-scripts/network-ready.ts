/**
 * An example guest script: wait for the network (the interface, then its
 * address), report it, and leave it in /tmp/network-ready for whatever starts
 * next. Usage: network-ready [SECONDS]  (how long to wait for each; default 10)
 *
 * `npm run build` compiles it to dist/ion/network-ready.ion; `npm test` runs
 * the scenarios in scenarios/ against it on Node and on ion-sim.
 */
import { args, exit, writeFile } from "tsion/runtime";
import { waitForAddress, waitForInterface } from "./lib/netcfg.ts";

const given = args();
const seconds = given.length > 0 ? Number(given[0]) : 10;

const dev = waitForInterface(seconds);
if (dev === "") {
  console.error(`network-ready: no network interface after ${seconds} s`);
  exit(1);
}
const addr = waitForAddress(dev, seconds);
if (addr === "") {
  console.error(`network-ready: ${dev} has no address after ${seconds} s`);
  exit(1);
}
console.log(`${dev} ${addr}`);
if (!writeFile("/tmp/network-ready", `${dev} ${addr}\n`)) {
  console.error("network-ready: cannot write /tmp/network-ready");
  exit(1);
}
