/**
 * DHCP leases. dhcpd runs in its own init unit and applies the OFFER straight
 * to netcfg: addr/set, then route/add default via the router, then
 * resolv/nameserver (redox-os/base dhcpd/src/main.rs). These functions only
 * observe that, and finish the job dhcpd leaves undone: /etc/net/dns.
 */
import { DNS_FILE, NAMESERVER, ROUTE_LIST, START_NAMESERVER, currentAddress, defaultGatewayOtherThan, defaultRouteCount, readNode, writeDnsFile } from "./netcfg.ts";
import { dnsProblem } from "./ipv4.ts";
import { info, warn } from "./log.ts";
import { LEASE_DEADLINE_SECONDS, POLLS_PER_SECOND, WATCH_POLLS_PER_SECOND, pollPause, settlePause, watchPause } from "./timing.ts";

/**
 * Poll until the interface has an address, at most `seconds`, one read per
 * poll. Returns it, or "". Polls every 0.2 s for the first
 * LEASE_DEADLINE_SECONDS, when leases arrive; a longer wait (the whole DHCP
 * window) goes on once a second: dhcpd configures the network on its own, so
 * a late lease seen up to a second later only delays the DNS copy, and each
 * poll costs a process or two.
 */
export function waitForLease(seconds: number): string {
  const fast = Math.min(seconds, LEASE_DEADLINE_SECONDS) * POLLS_PER_SECOND;
  const slow = (seconds - Math.min(seconds, LEASE_DEADLINE_SECONDS)) * WATCH_POLLS_PER_SECOND;
  for (let i = 0; i <= fast + slow; i++) {
    const address = currentAddress();
    // "Not configured" is what an unset address reads as (never "").
    if (address !== "") return address;
    if (i < fast) pollPause();
    else if (i < fast + slow) watchPause();
  }
  return "";
}

// What route/list and resolv/nameserver read after settleLease().
let leaseRoutes = "";
let leaseNameserver = "";

/** route/list as settleLease() read it. */
export function settledRoutes(): string {
  return leaseRoutes;
}

/**
 * Read route/list and resolv/nameserver once the lease is there; when its
 * route or nameserver write has not landed yet, give dhcpd a moment and read
 * them again.
 */
export function settleLease(): void {
  leaseRoutes = readNode(ROUTE_LIST);
  leaseNameserver = readNode(NAMESERVER);
  if (defaultRouteCount(leaseRoutes) === 0 || leaseNameserver === START_NAMESERVER) {
    settlePause();
    leaseRoutes = readNode(ROUTE_LIST);
    leaseNameserver = readNode(NAMESERVER);
  }
}

/**
 * Copy the lease's DNS server from netcfg's resolv/nameserver (which nothing
 * reads) into /etc/net/dns (which relibc reads), as settleLease() read it.
 * netstack starts with 8.8.8.8 there, so 8.8.8.8 means "the lease gave none"
 * and the file is left alone. Returns false only when writing the file failed.
 */
export function adoptLeaseDns(): boolean {
  const server = leaseNameserver;
  if (server === START_NAMESERVER || server === "") {
    info(`the lease gave no DNS server (netcfg still holds the start value ${START_NAMESERVER}); ${DNS_FILE} left unchanged`);
    return true;
  }
  const problem = dnsProblem(server);
  if (problem !== "") {
    warn(`ignoring the lease's DNS server: '${server}' ${problem}; ${DNS_FILE} left unchanged`);
    return true;
  }
  if (!writeDnsFile(server)) return false;
  info(`${DNS_FILE} set to ${server} (from the DHCP lease)`);
  return true;
}

/** Keep the lease dhcpd applied: log it and make DNS work. */
export function keepLease(address: string): boolean {
  settleLease();
  const gateway = defaultGatewayOtherThan(leaseRoutes, "");
  let route = " without a default route";
  if (gateway !== "") route = ` via ${gateway}`;
  info(`DHCP lease ${address}${route}; keeping it`);
  return adoptLeaseDns();
}
