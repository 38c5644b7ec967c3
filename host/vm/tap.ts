/**
 * What Linux says about an existing TAP device (sysfs, read-only), and
 * whether a hypervisor can attach to it with the queues it will ask for.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const IFF_TUN = 0x0001;
const IFF_TAP = 0x0002;
const IFF_MULTI_QUEUE = 0x0100;

export interface TapInfo {
  name: string;
  /** false: a TUN device, which carries IP packets, not Ethernet frames. */
  isTap: boolean;
  multiQueue: boolean;
  /** uid allowed to attach (null: any process with CAP_NET_ADMIN only). */
  owner: number | null;
  group: number | null;
}

export type TapLookup = { kind: "missing" } | { kind: "not-tun"; name: string } | { kind: "tap"; info: TapInfo };

function readId(file: string): number | null {
  try {
    const v = Number(fs.readFileSync(file, "utf8").trim());
    return Number.isInteger(v) && v >= 0 ? v : null;
  } catch {
    return null;
  }
}

/** Reads /sys/class/net/NAME (of the network namespace this process is in). */
export function lookupTap(name: string, sysClassNet = "/sys/class/net"): TapLookup {
  const dir = path.join(sysClassNet, name);
  if (!fs.existsSync(dir)) return { kind: "missing" };
  let flags: number;
  try {
    flags = parseInt(fs.readFileSync(path.join(dir, "tun_flags"), "utf8").trim(), 16);
  } catch {
    return { kind: "not-tun", name };
  }
  return {
    kind: "tap",
    info: {
      name,
      isTap: (flags & IFF_TAP) !== 0 && (flags & IFF_TUN) === 0,
      multiQueue: (flags & IFF_MULTI_QUEUE) !== 0,
      owner: readId(path.join(dir, "owner")),
      group: readId(path.join(dir, "group")),
    },
  };
}

/**
 * The queue rule: Cloud Hypervisor opens a TAP multi-queue exactly when it
 * is given more than one queue pair (num_queues > 2), and Linux refuses to
 * attach when that differs from how the TAP was created (cloud-hypervisor
 * net_util/src/open_tap.rs check_mq_support; Linux drivers/net/tun.c
 * tun_set_iff). QEMU here always asks for one pair. Returns a problem or "".
 */
export function queueProblem(info: TapInfo, queues: number, hypervisor: "ch" | "qemu"): string {
  const wantsMultiQueue = queues > 2;
  const source = hypervisor === "ch" ? `${queues} network queues (${queues / 2} pairs)` : "QEMU's single queue pair";
  if (wantsMultiQueue && !info.multiQueue)
    return `TAP ${info.name} was created without multi_queue, so it cannot carry ${source}: use 2 queues (--queues 2 / CH_NET_QUEUES=2) or recreate the TAP with multi_queue`;
  if (!wantsMultiQueue && info.multiQueue)
    return `TAP ${info.name} was created with multi_queue, which ${source} cannot attach to: use more queues (--queues 4 / CH_NET_QUEUES=4) with Cloud Hypervisor, or recreate the TAP without multi_queue`;
  return "";
}

/** Whether the current user may attach to the TAP (root always may). */
export function ownershipProblem(info: TapInfo, uid: number, gids: number[]): string {
  if (uid === 0) return "";
  const ownerOk = info.owner !== null && info.owner === uid;
  const groupOk = info.group !== null && gids.includes(info.group);
  if (ownerOk || groupOk) return "";
  if (info.owner === null && info.group === null) return `TAP ${info.name} has no owner, so only root can attach to it: run as root or recreate it with your user as owner`;
  return `TAP ${info.name} belongs to uid ${info.owner ?? "-"} / gid ${info.group ?? "-"}, not to you (uid ${uid}): run as that user or root, or recreate it with your user as owner`;
}
