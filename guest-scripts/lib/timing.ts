/**
 * Every wait of the netcfg scripts, in one place (see docs/guest-scripts.md).
 *
 * The scripts have no clock: a deadline is a number of polls, each poll
 * one `sleep()` (the `sleep` program, or on images without one the
 * runtime's bounded delay of scheme I/O; never a spin of unknown length).
 * Polls are 0.2 s, so readiness is seen at most 0.2 s late. Deadlines count
 * from the moment the interface became usable.
 */
import { sleep } from "tsion/runtime";

/** Polls per second of `pollPause`. */
export const POLLS_PER_SECOND = 5;

/** How long to wait for netcfg to offer an interface (netstack start-up, slow drivers). */
export const NETCFG_DEADLINE_SECONDS = 10;

/** netcfg-auto: how long a DHCP lease may take before the static fallback. */
export const LEASE_DEADLINE_SECONDS = 8;

/**
 * The whole window in which dhcpd can still deliver a lease: it gives up 30 s
 * after sending its DISCOVER (its read timeout, redox-os/base
 * dhcpd/src/main.rs); 5 s of margin for its
 * start-up. dhcp mode waits this long, and netcfg-auto watches for a late
 * lease until then after applying its fallback.
 */
export const DHCP_WINDOW_SECONDS = 35;

/** One poll interval: 0.2 s. */
export function pollPause(): void {
  sleep(0.2);
}

/**
 * Watch polls after the fallback: a late lease is rare and the watch costs a
 * read of route/list per poll, so once a second.
 */
export const WATCH_POLLS_PER_SECOND = 1;

export function watchPause(): void {
  sleep(1);
}

/** A moment for dhcpd to finish its three writes (address, route, nameserver). */
export function settlePause(): void {
  sleep(0.1);
}
