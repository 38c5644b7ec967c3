// The one validator (pack/validate.ts): what it refuses, how it says so, and what it accepts.
import { describe, expect, it } from "vitest";
import { DEFAULT_STATIC } from "../../pack/network-config.ts";
import { formatProblem, validateNetworkConfig } from "../../pack/validate.ts";
import { INVALID, VALID } from "./configs.ts";

function messages(config: unknown): string[] {
  const r = validateNetworkConfig(config);
  return r.ok ? [] : r.problems.map(formatProblem);
}

describe("invalid configurations are refused with every problem, each naming the field and the value", () => {
  for (const c of INVALID) {
    it(c.name, () => {
      expect(messages(c.config)).toEqual(c.messages);
    });
  }
  it("unknown top-level settings and a configuration that is not an object", () => {
    expect(messages({ mode: "auto", modes: "static" })).toEqual(["modes: unknown setting (expected mode, static, label, init, netcheck)"]);
    expect(messages(["auto"])).toEqual(['configuration: ["auto"] is not an object (expected mode, static, label, init, netcheck)']);
    expect(messages({ mode: "static", static: "172.16.0.2" })).toEqual(["static: '172.16.0.2' is not an object with ip, netmask, gateway and dns"]);
  });
});

describe("valid configurations", () => {
  for (const c of VALID) {
    it(c.name, () => {
      expect(messages(c.config)).toEqual([]);
    });
  }
  it("fills the defaults: auto, cloud-hypervisor, current, the Cloud Hypervisor TAP values", () => {
    expect(validateNetworkConfig({})).toEqual({
      ok: true,
      config: { mode: "auto", label: "cloud-hypervisor", init: "current", static: DEFAULT_STATIC },
    });
  });
  it("netcheck: false by default (absent from the configuration), true kept", () => {
    for (const raw of [{}, { netcheck: false }]) {
      const r = validateNetworkConfig(raw);
      expect(r.ok && r.config.netcheck).toBe(undefined);
    }
    const on = validateNetworkConfig({ mode: "dhcp", netcheck: true });
    expect(on).toEqual({ ok: true, config: { mode: "dhcp", label: "cloud-hypervisor", init: "current", netcheck: true } });
  });
  it("keeps no static values where the mode does not use them, or where they are null", () => {
    const dhcp = validateNetworkConfig({ mode: "dhcp" });
    expect(dhcp.ok && dhcp.config.static).toBe(undefined);
    const auto = validateNetworkConfig({ mode: "auto", static: null });
    expect(auto.ok && auto.config.static).toBe(undefined);
  });
  it("accepts what the guest accepts: 24, /24 and dotted masks, a /31 host", () => {
    for (const netmask of ["24", "/24", "255.255.255.0"]) expect(messages({ mode: "static", static: { ...DEFAULT_STATIC, netmask } })).toEqual([]);
    expect(messages({ mode: "static", static: { ip: "10.0.0.0", netmask: "31", gateway: "10.0.0.1" } })).toEqual([]);
  });
});
