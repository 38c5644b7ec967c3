// Parsing what the udhcpc script prints (no root needed).
import { describe, expect, it } from "vitest";
import { maskToPrefix, parseLeaseOutput } from "../../runtime-shims/netns/udhcpc.ts";

describe("maskToPrefix", () => {
  it("converts contiguous masks and rejects the rest", () => {
    expect(["255.255.255.0", "255.255.0.0", "255.255.255.255", "0.0.0.0", "255.255.255.252"].map(maskToPrefix)).toEqual([24, 16, 32, 0, 30]);
    expect(["255.0.255.0", "255.255.255", "256.0.0.0", "24", ""].map(maskToPrefix)).toEqual([null, null, null, null, null]);
  });
});

describe("parseLeaseOutput", () => {
  it("takes the marked line, the first router and the first DNS server", () => {
    const out = "noise\ntsion-lease ip=10.0.0.5 subnet=255.255.254.0 router=10.0.0.1 10.0.0.254 dns=9.9.9.9 1.1.1.1\n";
    expect(parseLeaseOutput(out)).toEqual({ ip: "10.0.0.5", prefix: 23, subnet: "255.255.254.0", router: "10.0.0.1", dns: "9.9.9.9" });
  });
  it("keeps empty router/dns when the server sent none", () => {
    expect(parseLeaseOutput("tsion-lease ip=10.0.0.5 subnet=255.255.255.0 router= dns=\n")).toEqual({
      ip: "10.0.0.5",
      prefix: 24,
      subnet: "255.255.255.0",
      router: "",
      dns: "",
    });
  });
  it("fails without a lease line or with a bad mask", () => {
    expect(() => parseLeaseOutput("udhcpc: no lease, failing\n")).toThrow(/no lease/);
    expect(() => parseLeaseOutput("tsion-lease ip=10.0.0.5 subnet=255.0.255.0 router= dns=\n")).toThrow(/bad lease line/);
  });
});
