// Allocation of addresses, MACs and CIDs: unique, deterministic per name,
// stable when other VMs come and go (1,000 VMs). No root needed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateVm, AllocationError, recordAllocation, releaseAllocation, type AllocationBook } from "../../host/net/allocate.ts";
import { configLayer } from "../../host/net/config.ts";
import { buildModel, builtinLayer, type NetworkModel } from "../../host/net/model.ts";
import { parseCidr, parseIPv4 } from "../../host/net/addresses.ts";

const names = (n: number, prefix = "vm") => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, "0")}`);

function bridgeModel(subnet: string, vms: string[]): NetworkModel {
  return buildModel([configLayer("test", { defaults: { network: "big" }, networks: { big: { topology: "bridge", subnet } } }), builtinLayer()], vms);
}

function book(): AllocationBook {
  return { allocations: {}, remembered: {} };
}

function allocateAll(model: NetworkModel, b: AllocationBook, vms: string[]): void {
  for (const vm of vms) recordAllocation(b, vm, allocateVm(model, vm, b));
}

function isLocallyAdministeredUnicast(mac: string): boolean {
  const first = parseInt(mac.slice(0, 2), 16);
  return (first & 1) === 0 && (first & 2) === 2;
}

describe("1,000 VMs on one bridge", () => {
  const vms = names(1000);
  const model = bridgeModel("10.100.0.0/16", vms);

  it("unique addresses and MACs, inside the subnet, never the network, broadcast or host address", () => {
    const b = book();
    allocateAll(model, b, vms);
    const allocs = Object.values(b.allocations);
    expect(allocs).toHaveLength(1000);
    expect(new Set(allocs.map((a) => a.ip)).size).toBe(1000);
    expect(new Set(allocs.map((a) => a.mac)).size).toBe(1000);
    expect(new Set(allocs.map((a) => a.tap)).size).toBe(1000);
    const subnet = parseCidr("10.100.0.0/16")!;
    for (const a of allocs) {
      const ip = parseIPv4(a.ip!)!;
      expect(ip >>> 16).toBe(subnet.addr >>> 16);
      expect(["10.100.0.0", "10.100.255.255", "10.100.0.1"]).not.toContain(a.ip);
      expect(isLocallyAdministeredUnicast(a.mac!), a.mac).toBe(true);
    }
  });

  it("deterministic: the same names in the same state get the same values", () => {
    const a = book();
    const b = book();
    allocateAll(model, a, vms);
    allocateAll(model, b, vms);
    expect(b.allocations).toEqual(a.allocations);
  });

  it("stable: the others keep theirs while 10% leave, and the 10% get theirs back when re-added in another order", () => {
    const b = book();
    allocateAll(model, b, vms);
    const before = structuredClone(b.allocations);
    const leaving = vms.filter((_, i) => i % 10 === 3);
    expect(leaving).toHaveLength(100);
    for (const vm of leaving) releaseAllocation(b, vm);
    for (const vm of vms) if (!leaving.includes(vm)) expect(b.allocations[vm]).toEqual(before[vm]);
    // Newcomers arrive meanwhile and must not take the remembered addresses.
    const newcomers = names(50, "new");
    const m2 = bridgeModel("10.100.0.0/16", [...vms, ...newcomers]);
    allocateAll(m2, b, newcomers);
    allocateAll(m2, b, [...leaving].reverse());
    for (const vm of leaving) expect(b.allocations[vm]).toEqual(before[vm]);
    expect(new Set(Object.values(b.allocations).map((a) => a.ip)).size).toBe(1050);
  });
});

describe("small pools", () => {
  it("a /24 fills up exactly (253 guests besides the host) and then says so", () => {
    const vms = names(254);
    const model = bridgeModel("10.60.0.0/24", vms);
    const b = book();
    allocateAll(model, b, vms.slice(0, 253));
    expect(new Set(Object.values(b.allocations).map((a) => a.ip)).size).toBe(253);
    expect(() => allocateVm(model, vms[253]!, b)).toThrow(new AllocationError("VM vm-0253: network big (10.60.0.0/24) has no free address left (all 253 guest addresses are taken)"));
  });

  it("a remembered address is handed to another VM only when nothing else is free", () => {
    const vms = names(253);
    const model = bridgeModel("10.61.0.0/24", [...vms, "late"]);
    const b = book();
    allocateAll(model, b, vms);
    releaseAllocation(b, vms[7]!);
    const freed = b.remembered[vms[7]!]!.ip;
    const late = allocateVm(model, "late", b);
    expect(late.ip).toBe(freed);
    recordAllocation(b, "late", late);
    expect(b.remembered[vms[7]!]).toBeUndefined();
  });

  it("routed: each VM gets its own /30 block, guest at the block's second address", () => {
    const vms = names(64);
    const model = buildModel([configLayer("t", { defaults: { network: "r" }, networks: { r: { topology: "tap-nat", layout: "routed", subnet: "10.70.0.0/24" } } }), builtinLayer()], vms);
    const b = book();
    allocateAll(model, b, vms);
    const blocks = Object.values(b.allocations).map((a) => parseIPv4(a.ip!)! & ~3);
    expect(new Set(blocks).size).toBe(64);
    for (const a of Object.values(b.allocations)) expect(parseIPv4(a.ip!)! & 3).toBe(2);
  });
});

describe("explicit values and conflicts", () => {
  const model = buildModel(
    [configLayer("t", { vms: { a: { ip: "172.16.0.10", mac: "02:00:00:00:00:0a" }, b: {} } }), builtinLayer()],
    ["default"],
  );

  it("explicit values are used, and others avoid them", () => {
    const b = book();
    allocateAll(model, b, ["b", "a", "default"]);
    expect(b.allocations.a).toEqual({ network: "default", ip: "172.16.0.10", mac: "02:00:00:00:00:0a", tap: "tap-a" });
    expect(b.allocations.default).toMatchObject({ ip: "172.16.0.2", mac: "52:54:00:12:34:56", tap: "tap0" });
    expect(["172.16.0.1", "172.16.0.2", "172.16.0.10"]).not.toContain(b.allocations.b!.ip);
  });

  it("a recorded allocation that the configuration now contradicts is refused with a way out", () => {
    const b = book();
    allocateAll(model, b, ["a"]);
    const changed = buildModel([configLayer("t", { vms: { a: { ip: "172.16.0.11" } } }), builtinLayer()]);
    expect(() => allocateVm(changed, "a", b)).toThrow("VM a has the address 172.16.0.10, and the configuration now says 172.16.0.11; tear it down first (tsion net teardown a) to change it");
  });

  it("an explicit address another VM already holds (from another configuration) is refused", () => {
    const b = book();
    allocateAll(model, b, ["a"]);
    const other = buildModel([configLayer("t2", { vms: { z: { ip: "172.16.0.10" } } }), builtinLayer()]);
    expect(() => allocateVm(other, "z", b)).toThrow("VM z: address 172.16.0.10 is allocated to VM a");
  });
});

describe("vsock CIDs", () => {
  it("1,000 unique CIDs, all >= 3, stable across removal and re-adding", () => {
    const vms = names(1000);
    const model = buildModel([configLayer("t", { defaults: { network: "v" }, networks: { v: { topology: "vsock" } } }), builtinLayer()], vms);
    const b = book();
    allocateAll(model, b, vms);
    const cids = Object.values(b.allocations).map((a) => a.cid!);
    expect(new Set(cids).size).toBe(1000);
    expect(Math.min(...cids)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...cids)).toBeLessThanOrEqual(0xfffffffe);
    const before = structuredClone(b.allocations);
    for (const vm of vms.slice(0, 100)) releaseAllocation(b, vm);
    allocateAll(model, b, vms.slice(0, 100).reverse());
    expect(b.allocations).toEqual(before);
  });
});

describe("property: any sequence of additions and removals", () => {
  it("never hands out one address twice, and a re-added VM gets its old address while the pool has room", () => {
    const pool = names(40);
    const model = bridgeModel("10.62.0.0/26", pool); // 61 guest addresses for 40 names
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 39 })), { maxLength: 200 }), (ops) => {
        const b = book();
        const first = new Map<string, string>();
        for (const [add, i] of ops) {
          const vm = pool[i]!;
          if (add) {
            const a = allocateVm(model, vm, b);
            recordAllocation(b, vm, a);
            if (!first.has(vm)) first.set(vm, a.ip!);
            expect(a.ip).toBe(first.get(vm));
          } else releaseAllocation(b, vm);
          const ips = Object.values(b.allocations).map((a) => a.ip);
          expect(new Set(ips).size).toBe(ips.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
