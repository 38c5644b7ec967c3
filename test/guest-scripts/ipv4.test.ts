// Pure validation of the static configuration (guest-scripts/lib/ipv4.ts).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  addressProblem,
  blockSize,
  broadcastValue,
  dnsProblem,
  gatewayProblem,
  hostProblem,
  ipText,
  ipValue,
  maskText,
  netmaskProblem,
  networkValue,
  octetValue,
  prefixOf,
  shown,
} from "../../guest-scripts/lib/ipv4.ts";

describe("ipValue / ipText", () => {
  it("parses dotted quads", () => {
    expect(ipValue("10.0.2.15")).toBe(10 * 16777216 + 2 * 256 + 15);
    expect(ipValue("255.255.255.255")).toBe(4294967295);
    expect(ipValue("0.0.0.0")).toBe(0);
  });
  it.each(["10.0.2.300", "10.0.2", "10.0.2.15.1", "10..2.15", "10.0.2.", "a.b.c.d", "10.0.2.-1", "10.0.2.015", " 10.0.2.15", "+1.0.0.1", ""])(
    "rejects %j",
    (text) => expect(ipValue(text)).toBe(-1),
  );
  it("round-trips every address", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4294967295 }), (n) => ipValue(ipText(n)) === n));
  });
  it("octets refuse leading zeros and signs", () => {
    expect(octetValue("0")).toBe(0);
    expect(octetValue("255")).toBe(255);
    expect(octetValue("256")).toBe(-1);
    expect(octetValue("01")).toBe(-1);
    expect(octetValue("1e2")).toBe(-1);
  });
});

describe("netmasks", () => {
  it("accepts contiguous dotted masks and prefix lengths", () => {
    expect(prefixOf("255.255.255.0")).toBe(24);
    expect(prefixOf("255.255.240.0")).toBe(20);
    expect(prefixOf("255.255.255.255")).toBe(32);
    expect(prefixOf("24")).toBe(24);
    expect(prefixOf("/16")).toBe(16);
    expect(prefixOf("8")).toBe(8);
  });
  it("maskText and prefixOf agree for every prefix", () => {
    for (let p = 0; p <= 32; p++) expect(prefixOf(maskText(p))).toBe(p);
  });
  it.each(["255.0.255.0", "255.255.255.1", "0.255.255.255", "33", "024", "255.255.255", "24 ", "-1", "ffff:ff00::"])(
    "rejects %j",
    (text) => expect(prefixOf(text)).toBe(-1),
  );
  it("names the problem", () => {
    expect(netmaskProblem("255.0.255.0")).toBe("is not a contiguous netmask");
    expect(netmaskProblem("0")).toMatch(/\/0/);
    expect(netmaskProblem("")).toBe("is empty");
    expect(netmaskProblem("24\n16")).toMatch(/more than one value/);
    expect(netmaskProblem("255.255.255.0")).toBe("");
  });
});

describe("subnets", () => {
  it("computes network and broadcast", () => {
    const ip = ipValue("192.168.1.77");
    expect(ipText(networkValue(ip, 24))).toBe("192.168.1.0");
    expect(ipText(broadcastValue(ip, 24))).toBe("192.168.1.255");
    expect(ipText(networkValue(ip, 26))).toBe("192.168.1.64");
    expect(ipText(broadcastValue(ip, 26))).toBe("192.168.1.127");
    expect(blockSize(32)).toBe(1);
    expect(blockSize(0)).toBe(4294967296);
  });
});

describe("addresses", () => {
  it("accepts unicast addresses", () => {
    expect(addressProblem("172.16.0.2")).toBe("");
    expect(hostProblem("172.16.0.2", 24)).toBe("");
  });
  it.each([
    ["10.0.2.300", "not a dotted-quad"],
    ["", "empty"],
    ["fd00::2", "IPv6"],
    ["10.0.2.15 10.0.2.16", "more than one value"],
    ["10.0.2.15\n10.0.2.16", "more than one value"],
    ["10.0.2.15/24", "prefix"],
    ["127.0.0.1", "loopback"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["0.1.2.3", "0.0.0.0/8"],
  ])("rejects %j (%s)", (text, reason) => {
    expect(addressProblem(text)).toContain(reason);
  });
  it("rejects the network and broadcast address of the subnet", () => {
    expect(hostProblem("10.0.2.0", 24)).toContain("network address");
    expect(hostProblem("10.0.2.255", 24)).toContain("broadcast address");
    expect(hostProblem("10.0.2.255", 16)).toBe("");
    // /31 has no network or broadcast address.
    expect(hostProblem("10.0.2.0", 31)).toBe("");
  });
});

describe("gateways", () => {
  it("accepts a gateway inside the subnet", () => {
    expect(gatewayProblem("10.0.2.2", "10.0.2.15", 24)).toBe("");
    expect(gatewayProblem("10.0.3.1", "10.0.2.15", 16)).toBe("");
  });
  it("rejects a gateway outside the subnet, naming it", () => {
    expect(gatewayProblem("10.0.3.1", "10.0.2.15", 24)).toBe("is outside the subnet 10.0.2.0/24");
  });
  it("rejects the address itself and the subnet's own addresses", () => {
    expect(gatewayProblem("10.0.2.15", "10.0.2.15", 24)).toContain("address itself");
    expect(gatewayProblem("10.0.2.0", "10.0.2.15", 24)).toContain("network or broadcast");
    expect(gatewayProblem("10.0.2.255", "10.0.2.15", 24)).toContain("network or broadcast");
  });
  it("every host of a subnet is a valid gateway for every other host", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.nat(), fc.nat(), (prefix, base, a, b) => {
        const net = networkValue(base, prefix);
        const size = blockSize(prefix);
        const ip = net + 1 + (a % (size - 2));
        const gw = net + 1 + (b % (size - 2));
        if (addressProblem(ipText(ip)) !== "" || addressProblem(ipText(gw)) !== "") return true;
        const problem = gatewayProblem(ipText(gw), ipText(ip), prefix);
        return ip === gw ? problem.includes("itself") : problem === "";
      }),
    );
  });
});

describe("dns and display", () => {
  it("wants exactly one IPv4", () => {
    expect(dnsProblem("9.9.9.9")).toBe("");
    expect(dnsProblem("1.1.1.1\n8.8.8.8")).toContain("more than one value");
    expect(dnsProblem("2620:fe::fe")).toContain("IPv6");
  });
  it("makes line breaks visible", () => {
    expect(shown("a\r\nb\tc")).toBe("a\\r\\nb\\tc");
  });
});
