// The DHCP lab cleans up after itself however it ends: the body throws, the
// setup fails half-way (dnsmasq refuses its options), or the client gets no
// lease. Needs root, ip, dnsmasq and udhcpc (docs/network-tests.md).
import * as fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { withDhcpLab, type LabRecord } from "../../runtime-shims/netns/dhcp-lab.ts";
import { execa } from "execa";
import { addNetns, deleteNetns, isAlive, listNetns, netnsPids, sweepStaleNetns } from "../../runtime-shims/netns/namespaces.ts";
import { Teardown } from "../../runtime-shims/netns/teardown.ts";
import { expectNothingLeft, requireLab, skipLab } from "./lab-support.ts";

afterAll(async () => {
  if (!skipLab) await sweepStaleNetns(process.pid);
});

describe("Teardown", () => {
  it("runs every step last-in first-out even when one fails, then reports the failure", async () => {
    const td = new Teardown();
    const ran: string[] = [];
    td.add("a", () => void ran.push("a"));
    td.add("b", () => {
      throw new Error("b broke");
    });
    td.add("c", async () => void ran.push("c"));
    await expect(td.run()).rejects.toThrow('teardown "b" failed: b broke');
    expect(ran).toEqual(["c", "a"]);
    expect(td.done).toEqual(["c", "a"]);
    expect(td.pending).toBe(0);
  });
});

describe.skipIf(skipLab)("DHCP lab teardown", () => {
  it("removes dnsmasq, both namespaces and the temp dir when the body throws", async () => {
    requireLab();
    const rec: LabRecord = { teardown: [] };
    let seenInside = false;
    await expect(
      withDhcpLab(async (lab) => {
        // Everything is really up before the failure.
        expect(isAlive(lab.dnsmasq.pid)).toBe(true);
        expect(await listNetns()).toEqual(expect.arrayContaining([lab.server, lab.client]));
        expect(await netnsPids(lab.server)).toContain(lab.dnsmasq.pid);
        expect(fs.existsSync(lab.dir)).toBe(true);
        seenInside = true;
        throw new Error("boom inside the lab");
      }, {}, rec),
    ).rejects.toThrow("boom inside the lab");
    expect(seenInside).toBe(true);
    expect(rec.teardown).toEqual([
      `stop dnsmasq ${rec.dnsmasqPid}`,
      `delete netns ${rec.server}`,
      `delete netns ${rec.client}`,
      `remove ${rec.dir}`,
    ]);
    await expectNothingLeft(rec);
  }, 30_000);

  it("removes the namespaces when setup fails half-way (dnsmasq rejects its range)", async () => {
    requireLab();
    const rec: LabRecord = { teardown: [] };
    let bodyRan = false;
    await expect(
      withDhcpLab(async () => {
        bodyRan = true;
      }, { leaseIp: "172.16.0.300" }, rec),
    ).rejects.toThrow(/dnsmasq exited at startup/);
    expect(bodyRan).toBe(false);
    expect(rec.dnsmasqPid).toBeUndefined();
    expect(rec.teardown).toEqual([`delete netns ${rec.server}`, `delete netns ${rec.client}`, `remove ${rec.dir}`]);
    await expectNothingLeft(rec);
  }, 30_000);

  it("cleans up when the DHCP client gets no lease (range outside the server's subnet)", async () => {
    requireLab();
    const rec: LabRecord = { teardown: [] };
    const started = Date.now();
    await expect(withDhcpLab((lab) => lab.requestLease(), { leaseIp: "10.99.0.2", tries: 2 }, rec)).rejects.toThrow(
      /udhcpc got no lease/,
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    await expectNothingLeft(rec);
  }, 30_000);

  it("sweeps namespaces left by a dead process, and only those", async () => {
    requireLab();
    const child = execa("true");
    const dead = child.pid!;
    await child; // exited and reaped: its pid names no process
    expect(isAlive(dead)).toBe(false);
    const stale = `tsion-srv-${dead}-0d0d0d`;
    const live = `tsion-srv-${process.pid}-1e1e1e`;
    try {
      await addNetns(stale);
      await addNetns(live);
      const swept = await sweepStaleNetns();
      expect(swept).toContain(stale);
      expect(swept).not.toContain(live);
      const names = await listNetns();
      expect(names).not.toContain(stale);
      expect(names).toContain(live);
    } finally {
      await deleteNetns(stale);
      await deleteNetns(live);
    }
    expect(await listNetns()).not.toContain(live);
  }, 30_000);
});
