/**
 * A DHCP lease arriving after netcfg-auto applied its static fallback.
 *
 * Decision: the lease wins. The fallback exists for networks without DHCP;
 * a lease proves there is one, and its address is the one the network
 * knows. dhcpd alone would leave a mess: its addr/set replaces the address,
 * but the fallback's default route stays and, being older, keeps winning
 * (networking doc §1.4). So, until dhcpd can no longer deliver, we watch;
 * when the lease lands we keep exactly one default route (the lease's),
 * and copy the lease's DNS server into /etc/net/dns.
 */
import { ROUTE_ADD, ROUTE_RM, currentAddress, defaultGatewayOtherThan, defaultRouteCount, verifyNetcfg, writeNode } from "./netcfg.ts";
import { adoptLeaseDns, settleLease } from "./lease.ts";
import { error, info, warn } from "./log.ts";
import { WATCH_POLLS_PER_SECOND, watchPause } from "./timing.ts";

/** True when netcfg no longer shows only what the fallback wrote. */
function leaseLanded(staticAddress: string, staticGateway: string): boolean {
  if (currentAddress() !== staticAddress) return true;
  // Same address offered: dhcpd's route/add still shows as a second default.
  return defaultRouteCount() > 1 || defaultGatewayOtherThan(staticGateway) !== "";
}

/**
 * Watch for `seconds`; returns true when no lease came, or it came and was
 * taken over cleanly.
 */
export function watchForLateLease(staticAddress: string, staticGateway: string, seconds: number): boolean {
  info(`watching ${seconds} s more for a late DHCP lease (it would replace the fallback)`);
  const polls = seconds * WATCH_POLLS_PER_SECOND;
  for (let i = 0; i < polls; i++) {
    watchPause();
    if (leaseLanded(staticAddress, staticGateway)) return takeOverLease(staticGateway);
  }
  info("no late DHCP lease; keeping the static fallback");
  return true;
}

/** Leave netcfg with the lease's address and at most one default route, the lease's. */
function takeOverLease(staticGateway: string): boolean {
  settleLease();
  const address = currentAddress();
  let gateway = defaultGatewayOtherThan(staticGateway);
  // Two defaults via the same router: the lease offered the fallback's gateway.
  if (gateway === "" && defaultRouteCount() > 1) gateway = staticGateway;
  info(`a DHCP lease arrived after the fallback: ${address}; it replaces the static configuration`);
  if (!writeNode(ROUTE_RM, "0.0.0.0/0")) return false;
  if (gateway === "") {
    warn(`the lease has no router; the fallback's default route via ${staticGateway} was removed and none replaces it`);
  } else {
    if (!writeNode(ROUTE_ADD, `default via ${gateway}`)) return false;
    if (!verifyNetcfg(address, gateway)) return false;
    info(`eth0 configured by DHCP: ${address} via ${gateway}`);
  }
  if (!adoptLeaseDns()) {
    error("the lease's DNS server could not be written");
    return false;
  }
  return true;
}
