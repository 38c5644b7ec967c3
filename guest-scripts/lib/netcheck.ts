/**
 * The in-guest network self-test (guest-scripts/netcheck.ts). It waits until
 * netcfg has configured the network (an address and a default route, or the
 * deadline), lets the configuring script finish its last writes, then checks:
 *
 *   address        the interface has an address
 *   default-route  route/list holds exactly one default route
 *   dns            /etc/net/dns holds exactly one IPv4 address (docs/redox-contract.md §2)
 *   gateway-ping   the default gateway answers ping
 *
 * and prints one line per check, then the end marker, which the host's
 * `tsion vm test` reads from the serial console (host/vm/checks.ts):
 *
 *   TSION_CHECK:<name>:PASS|FAIL:<reason>
 *   TSION_CHECKS_DONE
 *
 * Redox's ping exits 0 even when nothing answers, so its statistics line is
 * read instead. A command the image lacks is a FAIL with a reason, never a
 * crash (calling a missing command would end the Ion script).
 */
import { capture, commandExists, isDir, isFile, readFile, sleep } from "tsion/runtime";
import { info } from "./log.ts";
import { findInterface } from "./detect.ts";
import { addrListPath, deviceName, DNS_FILE, gatewayOf, IFACES, NETCFG, ROUTE_LIST, readNode, setDevice } from "./netcfg.ts";
import { dnsProblem } from "./ipv4.ts";
import { DHCP_WINDOW_SECONDS, NETCFG_DEADLINE_SECONDS, POLLS_PER_SECOND, pollPause } from "./timing.ts";

/** The longest netcfg may take: netcfg appearing, then the whole DHCP window. */
export const CONFIGURED_DEADLINE_SECONDS = NETCFG_DEADLINE_SECONDS + DHCP_WINDOW_SECONDS;
/** After the network looks configured: time for the configuring script's last writes (/etc/net/dns). */
export const SETTLE_SECONDS = 1;
/** Pings sent to the gateway (ping's -c): smoltcp drops the first while it resolves the gateway's MAC. */
export const PING_COUNT = "3";

export const CHECK_PREFIX = "TSION_CHECK:";
export const CHECKS_DONE = "TSION_CHECKS_DONE";

/** Print one check result; returns whether it passed. */
export function report(name: string, pass: boolean, reason: string): boolean {
  const status = pass ? "PASS" : "FAIL";
  // One line per check: a reason never carries a line break.
  const oneLine = reason.replaceAll("\r", " ").replaceAll("\n", " ");
  console.log(`${CHECK_PREFIX}${name}:${status}:${oneLine}`);
  return pass;
}

/** Whether a program is installed: on PATH (init's PATH is /usr/bin; /bin links to it), looked up without running anything. */
export function commandInstalled(name: string): boolean {
  return commandExists(name);
}

/** The `default ...` lines of route/list. */
export function defaultRoutes(): string[] {
  const routes: string[] = [];
  for (const line of readNode(ROUTE_LIST).split("\n")) {
    if (line.startsWith("default ")) routes.push(line.trim());
  }
  return routes;
}

/** Interface found (discovered once, as the netcfg scripts do), with an address and a default route. */
function configured(): boolean {
  if (deviceName() === "") {
    const found = findInterface();
    if (found === "") return false;
    setDevice(found);
  }
  return readNode(addrListPath()).includes("/") && defaultRoutes().length > 0;
}

/** Poll until the network looks configured, at most CONFIGURED_DEADLINE_SECONDS; then settle. */
export function waitForConfiguration(): void {
  const polls = CONFIGURED_DEADLINE_SECONDS * POLLS_PER_SECOND;
  for (let i = 0; i <= polls; i++) {
    if (configured()) {
      if (i > 0) info(`the network was configured after ${i} polls`);
      sleep(SETTLE_SECONDS);
      return;
    }
    if (i < polls) pollPause();
  }
  info(`no address and default route after ${CONFIGURED_DEADLINE_SECONDS} s; checking anyway`);
}

export function checkAddress(): boolean {
  if (!isDir(NETCFG)) return report("address", false, `no network interface: ${NETCFG} does not exist (netstack is not running, or there is no NIC)`);
  const device = deviceName();
  if (device === "") return report("address", false, `no network interface: ${IFACES} lists none besides the loopback (there is no NIC)`);
  const addr = readNode(addrListPath());
  if (addr.includes("/")) return report("address", true, `${device} has ${addr}`);
  const shown = addr === "" ? "nothing" : `'${addr}'`;
  return report("address", false, `${device} has no address (${addrListPath()} reads ${shown})`);
}

export function checkDefaultRoute(): boolean {
  const routes = defaultRoutes();
  if (routes.length === 1) return report("default-route", true, `one default route: ${routes[0]}`);
  if (routes.length === 0) return report("default-route", false, `no default route in ${ROUTE_LIST}`);
  return report("default-route", false, `${routes.length} default routes (the oldest wins, whatever the list shows first): ${routes.join("; ")}`);
}

export function checkDns(): boolean {
  if (!isFile(DNS_FILE)) return report("dns", false, `${DNS_FILE} does not exist`);
  const lines: string[] = [];
  for (const line of readFile(DNS_FILE).split("\n")) {
    if (line.trim() !== "") lines.push(line.trim());
  }
  if (lines.length === 0) return report("dns", false, `${DNS_FILE} is empty`);
  if (lines.length > 1) return report("dns", false, `${DNS_FILE} holds ${lines.length} lines (${lines.join(", ")}); relibc fails every lookup unless it holds exactly one address`);
  const problem = dnsProblem(lines[0]);
  if (problem !== "") return report("dns", false, `${DNS_FILE} holds '${lines[0]}', which ${problem}`);
  return report("dns", true, `${DNS_FILE} is ${lines[0]}`);
}

/** The two numbers of `N packets transmitted, M packets received, ...`, or [] when ping printed no such line. */
export function pingStatistics(output: string): number[] {
  for (const line of output.split("\n")) {
    const at = line.indexOf(" packets transmitted, ");
    if (at < 0) continue;
    const sent = line.slice(0, at).trim();
    const rest = line.slice(at + " packets transmitted, ".length);
    const end = rest.indexOf(" packets received");
    if (end < 0) continue;
    const received = rest.slice(0, end).trim();
    if (isCount(sent) && isCount(received)) return [parseInt(sent, 10), parseInt(received, 10)];
  }
  return [];
}

function isCount(text: string): boolean {
  if (text === "" || text.length > 9) return false;
  for (const c of text.split("")) {
    if (c < "0" || c > "9") return false;
  }
  return true;
}

export function checkGatewayPing(): boolean {
  const routes = defaultRoutes();
  // With several, netstack uses the oldest, which route/list shows last.
  const gateway = routes.length > 0 ? gatewayOf(routes[routes.length - 1]) : "";
  if (gateway === "") return report("gateway-ping", false, "no default gateway to ping");
  if (!commandInstalled("ping")) return report("gateway-ping", false, `cannot ping ${gateway}: this image has no ping (/usr/bin/ping)`);
  const output = capture("ping", "-c", PING_COUNT, gateway);
  const stats = pingStatistics(output);
  if (stats.length === 0) {
    const first = output.trim().split("\n")[0];
    return report("gateway-ping", false, `ping ${gateway} printed no statistics (${first === "" ? "no output" : first})`);
  }
  if (stats[1] > 0) return report("gateway-ping", true, `gateway ${gateway} answered ${stats[1]} of ${stats[0]} pings`);
  return report("gateway-ping", false, `gateway ${gateway} did not answer (${stats[0]} packets transmitted, 0 packets received)`);
}

/** Run every check; 0 when all passed, 1 otherwise. */
export function runNetcheck(): number {
  waitForConfiguration();
  // Every check runs, whatever the others found.
  const results = [checkAddress(), checkDefaultRoute(), checkDns(), checkGatewayPing()];
  console.log(CHECKS_DONE);
  return results.includes(false) ? 1 : 0;
}
