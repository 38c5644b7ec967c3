/**
 * The init files of the guest file set, per init era (docs/packing.md):
 * the boot unit that starts a network script without blocking boot, and the
 * shadow that keeps the image's DHCP client from fighting a static
 * configuration. nix/lib/files.nix renders the same bytes.
 *
 * current: base from 2026-04-11, `/etc/init.d/NAME.service` TOML units
 *          (redox-os/base init/src/*.rs);
 * legacy:  init.rc + run.d line scripts with `nowait`, base 2026-01-26 to
 *          2026-04-10 for the DHCP shadow (see dhcpShadow).
 */
import type { InitEra } from "./network-config.ts";

export type ScriptName = "netcfg-auto" | "netcfg-ch" | "netcfg-static";

/** Where the scripts are installed: /usr/bin is on init's PATH. */
export function scriptPath(script: ScriptName): string {
  return `usr/bin/${script}`;
}

const DESCRIPTIONS: Record<ScriptName, string> = {
  "netcfg-auto": "Configure eth0: keep a DHCP lease or apply the static fallback",
  "netcfg-ch": "Configure eth0 with the static configuration",
  "netcfg-static": "Configure eth0 in the mode of /etc/net/netcfg/mode",
};

export interface InitFile {
  path: string;
  content: string;
}

/**
 * The boot unit running `script`. Through `ion` so that a lost execute bit
 * cannot stop it; `oneshot_async` / `nowait` so that boot is never blocked;
 * after netstack (16 sorts after 10_*, and requires_weak orders the start).
 * The legacy file has no comment lines: whether that parser skips them is
 * unconfirmed.
 */
export function bootUnit(init: InitEra, script: ScriptName): InitFile {
  if (init === "legacy") return { path: "etc/init.d/16_netcfg", content: `nowait ion /${scriptPath(script)}\n` };
  return {
    path: "etc/init.d/16_netcfg.service",
    content: [
      "[unit]",
      `description = "${DESCRIPTIONS[script]}"`,
      'requires_weak = ["10_smolnetd.service"]',
      "",
      "[service]",
      'cmd = "ion"',
      `args = ["/${scriptPath(script)}"]`,
      'type = "oneshot_async"',
      "",
    ].join("\n"),
  };
}

/**
 * What replaces the image's DHCP client in the modes that must not get a
 * lease (static, none). A file in /etc/init.d replaces the same-named unit
 * of /usr/lib/init.d in both eras.
 *
 * current: 10_dhcpd.service becomes a unit that runs `ion -c true` (true is
 *   an Ion builtin, so it needs no binary the image may lack; ion is needed
 *   by the boot unit anyway) as `oneshot`, so it is done at once.
 * legacy: dhcpd is started by 10_net together with netstack, so 10_net is
 *   replaced by the era-B network unit without its `nowait dhcpd` line.
 *   `notify` exists from 2026-01-26 (`requires_weak` from 2026-02-25): this
 *   shadow is for those images; on older ones it would keep netstack from
 *   starting.
 */
export function dhcpShadow(init: InitEra): InitFile {
  if (init === "legacy") return { path: "etc/init.d/10_net", content: "requires_weak 00_drivers\nnotify smolnetd\n" };
  return {
    path: "etc/init.d/10_dhcpd.service",
    content: [
      "[unit]",
      'description = "DHCP client disabled: the network mode does not use DHCP"',
      "",
      "[service]",
      'cmd = "ion"',
      'args = ["-c", "true"]',
      'type = "oneshot"',
      "",
    ].join("\n"),
  };
}
