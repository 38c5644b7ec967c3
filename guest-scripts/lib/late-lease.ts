/**
 * A DHCP lease arriving after netcfg-auto applied its static fallback.
 *
 * Decision: the lease wins. The fallback exists for networks without DHCP;
 * a lease proves there is one, and its address is the one the network
 * knows. dhcpd alone would leave a mess: its addr/set replaces the address,
 * but the fallback's default route stays and, being older, keeps winning
 * (netstack looks routes up from the end: netstack/src/router/route_table.rs).
 * So, until dhcpd can no longer deliver, we watch; when the lease lands we
 * keep exactly one default route (the lease's), and copy the lease's DNS
 * server into /etc/net/dns.
 *
 * Watching costs one read of route/list per poll: anything dhcpd does to the
 * address or the routes changes that text (its addr/set rewrites every src
 * and the connected rule, its route/add adds a default route).
 */
import { ROUTE_ADD, ROUTE_LIST, ROUTE_RM, currentAddress, defaultGatewayOtherThan, defaultRouteCount, deviceName, readNode, verifyNetcfg, writeNode } from "./netcfg.ts";
import { adoptLeaseDns, settleLease, settledRoutes } from "./lease.ts";
import { error, info, warn } from "./log.ts";
import { WATCH_POLLS_PER_SECOND, watchPause } from "./timing.ts";

/**
 * Watch for `seconds`; `configured` is route/list as the fallback left it.
 * Returns true when no lease came, or it came and was taken over cleanly.
 */
export function watchForLateLease(configured: string, staticGateway: string, seconds: number): boolean {
  info(`watching ${seconds} s more for a late DHCP lease (it would replace the fallback)`);
  const polls = seconds * WATCH_POLLS_PER_SECOND;
  for (let i = 0; i < polls; i++) {
    watchPause();
    if (readNode(ROUTE_LIST) !== configured) return takeOverLease(staticGateway);
  }
  info("no late DHCP lease; keeping the static fallback");
  return true;
}

/** Leave netcfg with the lease's address and at most one default route, the lease's. */
function takeOverLease(staticGateway: string): boolean {
  settleLease();
  const routes = settledRoutes();
  const address = currentAddress();
  let gateway = defaultGatewayOtherThan(routes, staticGateway);
  // Two defaults via the same router: the lease offered the fallback's gateway.
  if (gateway === "" && defaultRouteCount(routes) > 1) gateway = staticGateway;
  info(`a DHCP lease arrived after the fallback: ${address}; it replaces the static configuration`);
  if (!writeNode(ROUTE_RM, "0.0.0.0/0")) return false;
  if (gateway === "") {
    warn(`the lease has no router; the fallback's default route via ${staticGateway} was removed and none replaces it`);
  } else {
    if (!writeNode(ROUTE_ADD, `default via ${gateway}`)) return false;
    if (!verifyNetcfg(address, gateway)) return false;
    info(`${deviceName()} configured by DHCP: ${address} via ${gateway}`);
  }
  if (!adoptLeaseDns()) {
    error("the lease's DNS server could not be written");
    return false;
  }
  return true;
}
