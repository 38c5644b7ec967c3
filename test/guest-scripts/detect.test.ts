// Naming the NIC behind the interface (guest-scripts/lib/detect.ts), and the
// configuration label rule (guest-scripts/lib/static-config.ts).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { describeAdapter } from "../../guest-scripts/lib/detect.ts";
import { isSafeLabel } from "../../guest-scripts/lib/static-config.ts";
import { subnetText } from "../../guest-scripts/lib/ipv4.ts";

describe("describeAdapter", () => {
  it.each([
    // driver schemes (older pcid: two-digit segment)
    ["network.pci-00-00-03.0_e1000", "e1000 at PCI 00:03.0"],
    ["network.pci-00-00-04.0_virtio_net", "virtio_net at PCI 00:04.0"],
    ["network.pci-00-01-1f.7_rtl8139", "rtl8139 at PCI 01:1f.7"],
    // newer netstack's interface names (four-digit segment), same description
    ["pci-0000-00-04.0_e1000", "e1000 at PCI 00:04.0"],
    ["network.pci-0000-00-04.0_virtio_net", "virtio_net at PCI 00:04.0"],
    ["pci-0001-02-03.1_ixgbe", "ixgbe at PCI 0001:02:03.1"],
  ])("%s", (scheme, text) => expect(describeAdapter(scheme)).toBe(text));
  it("handles the pre-2024 plain `network` scheme and odd names", () => {
    expect(describeAdapter("network")).toContain("pre-2024");
    expect(describeAdapter("network.usb0")).toBe("driver scheme 'network.usb0'");
    expect(describeAdapter("pci-00-04_e1000")).toBe("driver scheme 'pci-00-04_e1000'");
  });
});

describe("isSafeLabel", () => {
  it("accepts [A-Za-z0-9._-]+ except . and ..", () => {
    for (const ok of ["cloud-hypervisor", "office", "a", "lab_2.v4", "...", ".hidden", "-x"]) expect(isSafeLabel(ok), ok).toBe(true);
    for (const bad of ["", ".", "..", "../etc", "a/b", "a b", "tab\t", "é", "x\n", "$(x)", "a*"]) expect(isSafeLabel(bad), JSON.stringify(bad)).toBe(false);
  });
  it("agrees with the regular expression of the rule for any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "Z", "0", ".", "_", "-", "/", " ", "é", "\n") }), (s) => {
        expect(isSafeLabel(s)).toBe(/^[A-Za-z0-9._-]+$/.test(s) && s !== "." && s !== "..");
      }),
    );
  });
});

describe("subnetText", () => {
  it("prints the subnet as route/list does", () => {
    expect(subnetText("10.0.2.15", 24)).toBe("10.0.2.0/24");
    expect(subnetText("172.20.0.5", 16)).toBe("172.20.0.0/16");
    expect(subnetText("192.168.1.1", 32)).toBe("192.168.1.1/32");
  });
});
