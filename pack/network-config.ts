/**
 * The guest network configuration: what an image's guest scripts are told
 * to do. `tsion pack` turns it into the guest file set (pack/), and the host
 * network model (host/net) produces one per VM, so the guest's
 * /etc/net/<label> files and the host's TAP and DHCP leases come from the
 * same values.
 */

/** auto: DHCP, static fallback; dhcp: DHCP only; static: the static values; none: no network script. */
export type NetworkMode = "auto" | "dhcp" | "static" | "none";

/** Which Redox init reads the boot unit (current: base >= 2026-04-11 `.service` TOML; legacy: init.rc / run.d scripts). */
export type InitEra = "current" | "legacy";

export interface StaticNetwork {
  /** Dotted quad, e.g. 172.16.0.2. */
  ip: string;
  /** Contiguous dotted mask (255.255.255.0) or prefix length (24). */
  netmask: string;
  /** Dotted quad inside the subnet. */
  gateway: string;
  /** At most one DNS server (relibc reads exactly one line of /etc/net/dns). */
  dns: string[];
}

export interface NetworkConfig {
  mode: NetworkMode;
  /** Required in static mode; the fallback in auto mode; ignored by dhcp and none. */
  static?: StaticNetwork;
  /** Directory under /etc/net/ holding ip, netmask, gateway (a label, not a device name). */
  label: string;
  init: InitEra;
  /** true: add the network self-test (guest-scripts/netcheck.ts) and its init unit; absent means false. */
  netcheck?: boolean;
}

export const DEFAULT_LABEL = "cloud-hypervisor";

/** The Cloud Hypervisor TAP defaults of the existing workflow. */
export const DEFAULT_STATIC: StaticNetwork = { ip: "172.16.0.2", netmask: "255.255.255.0", gateway: "172.16.0.1", dns: [] };

export const NETWORK_MODES: readonly NetworkMode[] = ["auto", "dhcp", "static", "none"];
export const INIT_ERAS: readonly InitEra[] = ["current", "legacy"];
export const DEFAULT_MODE: NetworkMode = "auto";
export const DEFAULT_INIT: InitEra = "current";

/** Modes whose script reads the static values (static applies them, auto falls back to them). */
export function usesStatic(mode: NetworkMode): boolean {
  return mode === "auto" || mode === "static";
}
