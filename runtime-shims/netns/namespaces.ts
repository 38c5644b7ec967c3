/**
 * Network namespaces for the real-DHCP tests. Every `ip` call here is either
 * `ip netns add|del|list|pids` or `ip -n <our namespace> ...`: nothing is ever
 * added to the machine's own namespace (the veth pair is created inside the
 * server namespace with its peer moved straight into the client namespace).
 */
import * as crypto from "node:crypto";
import { execa } from "execa";
import { findExecutable } from "./executables.ts";
import { isAlive } from "../../host/processes.ts";

export { isAlive };

/** Our namespaces: tsion-<role>-<pid of the creating process>-<random hex>. */
const OURS = /^tsion-([a-z]+)-(\d+)-([0-9a-f]+)$/;

/** Bound every `ip` call so a wedged command cannot hang a test. */
const IP_TIMEOUT_MS = 5_000;

export function netnsName(role: string): string {
  return `tsion-${role}-${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
}

export async function ip(args: string[]): Promise<string> {
  const r = await execa(findExecutable("ip") ?? "ip", args, { timeout: IP_TIMEOUT_MS, reject: false });
  if (r.exitCode !== 0 || r.timedOut)
    throw new Error(`ip ${args.join(" ")} failed (${r.timedOut ? "timed out" : `exit ${r.exitCode}`}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** Names from `ip netns list` (which prints "name (id: N)" once a peer is linked). */
export async function listNetns(): Promise<string[]> {
  const out = await ip(["netns", "list"]);
  return out
    .split("\n")
    .map((l) => l.trim().split(/\s+/)[0] ?? "")
    .filter((n) => n !== "");
}

export async function addNetns(name: string): Promise<void> {
  await ip(["netns", "add", name]);
  // lo up: some tools expect it; it carries nothing outside the namespace.
  await ip(["-n", name, "link", "set", "lo", "up"]);
}

/** Pids of processes still living in the namespace. */
export async function netnsPids(name: string): Promise<number[]> {
  const out = await ip(["netns", "pids", name]);
  return out
    .split(/\s+/)
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
}

/**
 * Delete a namespace. Deleting only unmounts its name: a process left inside
 * would keep it (and its veth) alive, so anything still there is killed first.
 */
export async function deleteNetns(name: string): Promise<void> {
  if (!(await listNetns()).includes(name)) return;
  for (const pid of await netnsPids(name)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await ip(["netns", "del", name]);
}

/**
 * Remove namespaces left by an earlier run that died before its teardown
 * (e.g. a killed test worker): ours by name, and their creator is gone.
 * `alsoOwner` also sweeps the namespaces of that (live) process.
 */
export async function sweepStaleNetns(alsoOwner?: number): Promise<string[]> {
  const swept: string[] = [];
  for (const name of await listNetns()) {
    const m = OURS.exec(name);
    if (!m) continue;
    const owner = Number(m[2]);
    if (owner === alsoOwner || !isAlive(owner)) {
      await deleteNetns(name);
      swept.push(name);
    }
  }
  return swept;
}

/** A veth pair: `serverIf` in `server`, `clientIf` in `client`. Both ends go away with their namespaces. */
export async function addVethPair(server: string, serverIf: string, client: string, clientIf: string): Promise<void> {
  await ip(["-n", server, "link", "add", serverIf, "type", "veth", "peer", "name", clientIf, "netns", client]);
}
