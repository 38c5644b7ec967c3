/**
 * What the real-DHCP tests need from the machine, as readable reasons
 * (empty = everything is there). Tests skip on these outside CI and fail on
 * them under CI=true.
 */
import { execa } from "execa";
import { findExecutable } from "./executables.ts";
import { udhcpcCommand } from "./udhcpc.ts";

/** Can this process create a network namespace (root alone is not enough in some containers)? */
async function netnsProbe(): Promise<string | null> {
  const ip = findExecutable("ip")!;
  const name = `tsion-probe-${process.pid}-${Date.now().toString(16)}`;
  const add = await execa(ip, ["netns", "add", name], { reject: false, timeout: 5_000 });
  if (add.exitCode !== 0) return `cannot create a network namespace: ${add.stderr.trim()}`;
  await execa(ip, ["netns", "del", name], { reject: false, timeout: 5_000 });
  return null;
}

/** Everything missing for the DHCP lab; an empty list means it can run. */
export async function missingForDhcpLab(): Promise<string[]> {
  const missing: string[] = [];
  if (process.platform !== "linux") return [`network namespaces need Linux (this is ${process.platform})`];
  if (process.getuid?.() !== 0) missing.push("not root (network namespaces need root)");
  if (!findExecutable("ip")) missing.push("`ip` not found (Debian package iproute2)");
  if (!findExecutable("dnsmasq")) missing.push("`dnsmasq` not found (Debian package dnsmasq or dnsmasq-base)");
  if ((await udhcpcCommand()) === null) missing.push("no DHCP client: neither `udhcpc` nor `busybox udhcpc` (Debian package busybox)");
  if (missing.length === 0) {
    const probe = await netnsProbe();
    if (probe) missing.push(probe);
  }
  return missing;
}
