/**
 * dhcpd run by the guest (redox-os/base dhcpd/src/main.rs): one attempt
 * against the scenario's DHCP server. Flags other than -v are ignored. It
 * configures MockRedox.dhcpDevice(): eth0 (hard-coded) in the older era, the
 * first interface other than lo in the newer one.
 * No server: exit 1 after 30 s with `dhcpd: failed to receive offer: ...`.
 * An OFFER is applied immediately (dhcp-client.ts); without an ACK the
 * address and route stay and dhcpd exits 1 after 30 s more.
 */
import { applyOffer, debugBytes, DHCP_TIMEOUT_S, TIMEOUT_ERROR } from "../dhcp-client.ts";
import type { Shim } from "./types.ts";

export const dhcpd: Shim = (ctx) => {
  const verbose = ctx.argv.slice(1).includes("-v");
  const say = (line: string) => {
    if (verbose) ctx.io.stdout(`${line}\n`);
  };
  const fail = (msg: string) => {
    ctx.io.stderr(`dhcpd: ${msg}\n`);
    return 1;
  };
  const mock = ctx.mock;
  const dev = mock.dhcpDevice();
  if (dev === "") return fail("no network interface besides lo in /scheme/netcfg/ifaces");
  const iface = `/scheme/netcfg/ifaces/${dev}`;
  let mac: string;
  let current: string;
  try {
    mac = mock.readFile(`${iface}/mac`).trim();
  } catch {
    return fail(`Can't open ${iface}/mac`);
  }
  try {
    current = mock.readFile(`${iface}/addr/list`).split("\n")[0]!.trim();
  } catch {
    return fail(`Can't open ${iface}/addr/list`);
  }
  // dhcpd re-prints the MAC as uppercase hyphenated hex ("Not configured" parses as zeros)
  const bytes = /^[0-9a-fA-F]{2}([-:][0-9a-fA-F]{2}){5}$/.test(mac) ? mac.split(/[-:]/) : ["00", "00", "00", "00", "00", "00"];
  say(`DHCP: MAC: ${bytes.map((b) => b.toUpperCase()).join("-")} Current IP: ${current}`);
  say("DHCP: Sent Discover");
  const server = mock.dhcp;
  if (!server || !server.server) {
    mock.sleep(DHCP_TIMEOUT_S);
    return fail(`failed to receive offer: ${TIMEOUT_ERROR}`);
  }
  mock.sleep(server.replyAfter);
  say(`DHCP: Offer IP: ${debugBytes(server.ip)}, Server IP: ${debugBytes(server.gateway ?? "0.0.0.0")}`);
  const err = applyOffer(dev, (p) => mock.open(p, "write"), server, {
    verbose,
    print: (line) => ctx.io.stdout(`${line}\n`),
    read: (p) => mock.readFile(p),
  });
  if (err) return fail(err);
  mock.timeline.record("dhcp-lease", server.ip);
  say("DHCP: Sent Request");
  if (!server.ack) {
    mock.sleep(DHCP_TIMEOUT_S);
    return fail(`failed to receive ack: ${TIMEOUT_ERROR}`);
  }
  say(`DHCP: Ack IP: ${debugBytes(server.ip)}, Server IP: ${debugBytes(server.gateway ?? "0.0.0.0")}`);
  return 0;
};
