/**
 * A throwaway two-namespace network with a real DHCP server:
 *
 *   [tsion-srv-…]  tsv0 172.16.0.1/24, dnsmasq  <--veth-->  tcl0 (no address)  [tsion-cli-…]
 *
 * `withDhcpLab(fn)` builds it, runs `fn`, and tears everything down in a
 * `finally` (dnsmasq killed, namespaces deleted, temp files removed), whether
 * `fn` returns, throws, or the setup itself fails half-way.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startDnsmasq, type Dnsmasq } from "./dnsmasq.ts";
import { addNetns, addVethPair, deleteNetns, ip, netnsName, sweepStaleNetns } from "./namespaces.ts";
import { Teardown } from "./teardown.ts";
import { requestLease, type Lease } from "./udhcpc.ts";

export interface DhcpLabOptions {
  serverIp?: string; // default 172.16.0.1
  prefix?: number; // default 24
  leaseIp?: string; // default 172.16.0.2
  /** DISCOVERs the client sends, one per second (default 5) */
  tries?: number;
}

export interface DhcpLab {
  server: string;
  client: string;
  serverIf: string;
  clientIf: string;
  dnsmasq: Dnsmasq;
  dir: string;
  /** Run the one-shot DHCP client in the client namespace. */
  requestLease(): Promise<Lease>;
}

/** What the teardown did, for callers that check it (filled in as it runs). */
export interface LabRecord {
  server?: string;
  client?: string;
  dnsmasqPid?: number;
  dir?: string;
  teardown: string[];
}

const SERVER_IF = "tsv0";
const CLIENT_IF = "tcl0";

function prefixToMask(prefix: number): string {
  const m = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (m >>> s) & 255).join(".");
}

export async function withDhcpLab<T>(
  fn: (lab: DhcpLab) => Promise<T>,
  opts: DhcpLabOptions = {},
  record: LabRecord = { teardown: [] },
): Promise<T> {
  const serverIp = opts.serverIp ?? "172.16.0.1";
  const prefix = opts.prefix ?? 24;
  const leaseIp = opts.leaseIp ?? "172.16.0.2";
  const td = new Teardown();
  let failure: unknown;
  // Leftovers of earlier runs whose process died before its finally.
  await sweepStaleNetns();
  try {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-dhcp-lab-"));
    record.dir = dir;
    td.add(`remove ${dir}`, () => fs.rmSync(dir, { recursive: true, force: true }));

    const server = netnsName("srv");
    const client = netnsName("cli");
    record.server = server;
    record.client = client;
    // Registered before creation: deleteNetns is a no-op for a namespace that was never made.
    td.add(`delete netns ${client}`, () => deleteNetns(client));
    td.add(`delete netns ${server}`, () => deleteNetns(server));
    await addNetns(server);
    await addNetns(client);
    await addVethPair(server, SERVER_IF, client, CLIENT_IF);
    await ip(["-n", server, "addr", "add", `${serverIp}/${prefix}`, "dev", SERVER_IF]);
    await ip(["-n", server, "link", "set", SERVER_IF, "up"]);
    await ip(["-n", client, "link", "set", CLIENT_IF, "up"]);

    const dnsmasq = await startDnsmasq({
      netns: server,
      iface: SERVER_IF,
      dir,
      leaseIp,
      netmask: prefixToMask(prefix),
      router: serverIp,
      dns: serverIp,
    });
    record.dnsmasqPid = dnsmasq.pid;
    td.add(`stop dnsmasq ${dnsmasq.pid}`, () => dnsmasq.stop());

    const lab: DhcpLab = {
      server,
      client,
      serverIf: SERVER_IF,
      clientIf: CLIENT_IF,
      dnsmasq,
      dir,
      requestLease: () => requestLease({ netns: client, iface: CLIENT_IF, dir, tries: opts.tries }),
    };
    return await fn(lab);
  } catch (e) {
    failure = e;
    throw e;
  } finally {
    try {
      await td.run();
    } catch (e) {
      // Never hide the original failure behind a teardown error.
      if (failure === undefined) throw e;
      if (failure instanceof Error) failure.message += `\n(teardown also failed: ${(e as Error).message})`;
    } finally {
      record.teardown.push(...td.done);
    }
  }
}

/** Obtain one real lease from a fresh lab (everything is gone when this resolves). */
export function obtainRealLease(opts: DhcpLabOptions = {}, record?: LabRecord): Promise<Lease> {
  return withDhcpLab((lab) => lab.requestLease(), opts, record);
}
