// Naming the NIC behind eth0 from its driver scheme (guest-scripts/lib/detect.ts).
import { describe, expect, it } from "vitest";
import { describeAdapter } from "../../guest-scripts/lib/detect.ts";

describe("describeAdapter", () => {
  it.each([
    ["network.pci-00-00-03.0_e1000", "e1000 at PCI 00:00:03.0"],
    ["network.pci-00-00-04.0_virtio_net", "virtio_net at PCI 00:00:04.0"],
    ["network.pci-00-01-1f.7_rtl8139", "rtl8139 at PCI 00:01:1f.7"],
  ])("%s", (scheme, text) => expect(describeAdapter(scheme)).toBe(text));
  it("handles the pre-2024 plain `network` scheme and odd names", () => {
    expect(describeAdapter("network")).toContain("pre-2024");
    expect(describeAdapter("network.usb0")).toBe("driver scheme 'network.usb0'");
  });
});
