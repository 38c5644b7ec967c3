// The network model's one validator: defaults of the existing workflow,
// environment variables, field-by-field merging, and a precise message per
// bad field. No root needed.
import { describe, expect, it } from "vitest";
import { configLayer, loadNetworkModel } from "../../host/net/config.ts";
import { buildModel, builtinLayer, derivedTapName, environmentLayers, ModelError, type ConfigLayer } from "../../host/net/model.ts";
import { resolveVmNetworks } from "../../host/net/index.ts";
import { validateNetworkConfig } from "../../pack/validate.ts";

const noState = { stateDir: "/nonexistent/tsion-test-state" };

/** The messages the validator gives for a TOML-shaped document (as if read from tsion-net.toml). */
function problems(doc: Record<string, unknown>, requested: string[] = [], env: NodeJS.ProcessEnv = {}): string[] {
  try {
    buildModel([configLayer("net.toml", doc), ...environmentLayers(env), builtinLayer()], requested);
  } catch (e) {
    if (e instanceof ModelError) return e.message.split("\n");
    throw e;
  }
  return [];
}

function model(doc: Record<string, unknown>, requested: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const layers: ConfigLayer[] = [configLayer("net.toml", doc), ...environmentLayers(env), builtinLayer()];
  return buildModel(layers, requested);
}

describe("defaults of the existing workflow", () => {
  it("tap0, host 172.16.0.1/24, guest 172.16.0.2, MAC 52:54:00:12:34:56, static guest", () => {
    const m = loadNetworkModel({ env: {} });
    const [v] = resolveVmNetworks(m, undefined, noState);
    expect(v).toMatchObject({
      vm: "default",
      network: "default",
      topology: "tap-nat",
      tap: "tap0",
      mac: "52:54:00:12:34:56",
      ip: "172.16.0.2",
      prefix: 24,
      netmask: "255.255.255.0",
      gateway: "172.16.0.1",
      subnet: "172.16.0.0/24",
      queues: 1,
      dhcp: false,
    });
    expect(v!.guest).toEqual({
      mode: "static",
      label: "cloud-hypervisor",
      init: "current",
      static: { ip: "172.16.0.2", netmask: "255.255.255.0", gateway: "172.16.0.1", dns: [] },
    });
  });

  it("TAP_NAME, HOST_IP, GUEST_IP and GUEST_MAC override them", () => {
    const m = loadNetworkModel({ env: { TAP_NAME: "vmtap", HOST_IP: "10.20.0.1/16", GUEST_IP: "10.20.3.4", GUEST_MAC: "02:AA:bb:cc:dd:ee" } });
    const [v] = resolveVmNetworks(m, undefined, noState);
    expect(v).toMatchObject({ tap: "vmtap", ip: "10.20.3.4", gateway: "10.20.0.1", subnet: "10.20.0.0/16", mac: "02:aa:bb:cc:dd:ee", netmask: "255.255.0.0" });
    // HOST_IP without a prefix keeps /24; the guest default follows the host address.
    const m2 = loadNetworkModel({ env: { HOST_IP: "192.168.77.1" } });
    expect(resolveVmNetworks(m2, undefined, noState)[0]).toMatchObject({ gateway: "192.168.77.1", ip: "192.168.77.2", subnet: "192.168.77.0/24" });
  });

  it("names the environment variable when its value is bad", () => {
    expect(problems({}, [], { GUEST_IP: "172.16.0.1" })).toEqual([
      "GUEST_IP (environment): vms.default.ip: '172.16.0.1' is the host's address (the gateway) of 172.16.0.0/24",
    ]);
    expect(problems({}, [], { TAP_NAME: "tap0;reboot" })).toEqual([
      "TAP_NAME (environment): vms.default.tap: 'tap0;reboot' is not a usable interface name (1 to 15 letters, digits, '-' or '_', starting with a letter or digit)",
    ]);
    expect(problems({}, [], { HOST_IP: "172.16.0.300" })).toEqual(["HOST_IP (environment): networks.default.host: '172.16.0.300' is not an IPv4 address (a.b.c.d)"]);
  });
});

describe("merging: image-level defaults, then per-VM overrides, field by field", () => {
  const doc = {
    defaults: { network: "lab", mode: "auto", dns: "9.9.9.9", queues: 2, label: "lab-net" },
    networks: { lab: { topology: "bridge", subnet: "10.50.0.0/24", dhcp: true } },
    vms: { web: { queues: 4 }, db: { mode: "dhcp", ip: "10.50.0.40" }, cache: { label: "other", mode: "static" } },
  };

  it("each VM takes every field it does not set from [defaults]", () => {
    const m = model(doc);
    expect(m.vms.web).toMatchObject({ network: "lab", mode: "auto", dns: ["9.9.9.9"], queues: 4, label: "lab-net" });
    expect(m.vms.db).toMatchObject({ network: "lab", mode: "dhcp", dns: ["9.9.9.9"], queues: 2, ip: "10.50.0.40" });
    expect(m.vms.cache).toMatchObject({ mode: "static", label: "other", queues: 2 });
    expect(m.networks.lab).toMatchObject({ topology: "bridge", subnet: "10.50.0.0/24", host: "10.50.0.1", bridge: "tsbr-lab", dhcp: true, nat: true });
  });

  it("a VM named only on the command line joins with the defaults", () => {
    const m = model(doc, ["extra"]);
    expect(m.vms.extra).toMatchObject({ network: "lab", mode: "auto", queues: 2, tap: "tap-extra" });
  });

  it("command-line --dhcp and --queues override the file for the VMs named", () => {
    const file = "/dev/null";
    const m = loadNetworkModel({ config: file, vms: ["a"], dhcp: true, queues: "3", env: {} });
    expect(m.networks.default!.dhcp).toBe(true);
    expect(m.vms.a).toMatchObject({ queues: 3, mode: "auto" });
  });
});

describe("validation: one precise message per field", () => {
  it("CIDR syntax, host bits, size", () => {
    expect(problems({ networks: { lab: { topology: "bridge", subnet: "10.0.0.0/33" } } })).toEqual([
      "net.toml: networks.lab.subnet: '10.0.0.0/33' is not a CIDR (a.b.c.d/n with 0 <= n <= 32)",
    ]);
    expect(problems({ networks: { lab: { topology: "bridge", subnet: "10.0.0.5/24" } } })).toEqual([
      "net.toml: networks.lab.subnet: '10.0.0.5/24' has host bits set (the subnet is 10.0.0.0/24; give the host address as host)",
    ]);
    expect(problems({ networks: { lab: { topology: "bridge", subnet: "10.0.0.0/31" } } })).toEqual([
      "net.toml: networks.lab.subnet: '10.0.0.0/31' is too small: the prefix must be at most /30 (a network, a host, a guest and a broadcast address)",
    ]);
    expect(problems({ networks: { lab: { topology: "bridge", subnet: "010.0.0.0/24" } } })[0]).toContain("is not a CIDR");
    expect(problems({ networks: { lab: { topology: "bridge", subnet: "127.0.0.0/24" } } })[0]).toContain("is not a unicast range");
  });

  it("the host address (the guests' gateway) inside the subnet, not its network or broadcast address", () => {
    const net = (host: string) => problems({ networks: { lab: { topology: "bridge", subnet: "10.1.0.0/24", host } } });
    expect(net("10.2.0.1")).toEqual(["net.toml: networks.lab.host: '10.2.0.1' is outside the subnet 10.1.0.0/24"]);
    expect(net("10.1.0.0")).toEqual(["net.toml: networks.lab.host: '10.1.0.0' is the network address of 10.1.0.0/24"]);
    expect(net("10.1.0.255")).toEqual(["net.toml: networks.lab.host: '10.1.0.255' is the broadcast address of 10.1.0.0/24"]);
  });

  it("no network, broadcast or gateway address handed to a VM", () => {
    const vm = (ip: string) => problems({ vms: { a: { ip } } });
    expect(vm("172.16.0.0")).toEqual(["net.toml: vms.a.ip: '172.16.0.0' is the network address of 172.16.0.0/24"]);
    expect(vm("172.16.0.255")).toEqual(["net.toml: vms.a.ip: '172.16.0.255' is the broadcast address of 172.16.0.0/24"]);
    expect(vm("172.16.0.1")).toEqual(["net.toml: vms.a.ip: '172.16.0.1' is the host's address (the gateway) of 172.16.0.0/24"]);
    expect(vm("172.17.0.9")).toEqual(["net.toml: vms.a.ip: '172.17.0.9' is outside the subnet 172.16.0.0/24 of network default"]);
    // routed: each VM's block has its own network, host and broadcast address
    const routed = (ip: string) => problems({ networks: { r: { topology: "tap-nat", layout: "routed", subnet: "10.9.0.0/24" } }, vms: { a: { network: "r", ip } } });
    expect(routed("10.9.0.5")).toEqual(["net.toml: vms.a.ip: '10.9.0.5' is the host's address (the gateway) of 10.9.0.4/30"]);
    expect(routed("10.9.0.7")).toEqual(["net.toml: vms.a.ip: '10.9.0.7' is the broadcast address of 10.9.0.4/30"]);
    expect(routed("10.9.0.6")).toEqual([]);
  });

  it("duplicate addresses, MACs, TAPs and CIDs", () => {
    expect(problems({ vms: { a: { ip: "172.16.0.9" }, b: { ip: "172.16.0.9" } } })).toEqual(["net.toml: vms.b.ip: '172.16.0.9' is also the address of VM a"]);
    expect(problems({ vms: { a: { mac: "02:00:00:00:00:01" }, b: { mac: "02:00:00:00:00:01" } } })).toEqual(["net.toml: vms.b.mac: '02:00:00:00:00:01' is also the MAC of VM a"]);
    expect(problems({ vms: { a: { tap: "tap0" } } }, ["default"])).toEqual(["net.toml: vms.a.tap: 'tap0' is also the interface of VM default"]);
    expect(problems({ networks: { v: { topology: "vsock" } }, vms: { a: { network: "v", cid: 7 }, b: { network: "v", cid: 7 } } })).toEqual([
      "net.toml: vms.b.cid: 7 is also the CID of VM a",
    ]);
    // Two VMs in one routed block
    expect(problems({ networks: { r: { topology: "tap-nat", layout: "routed", subnet: "10.9.0.0/24" } }, vms: { a: { network: "r", ip: "10.9.0.6" }, b: { network: "r", ip: "10.9.0.6" } } })).toEqual([
      "net.toml: vms.b.ip: '10.9.0.6' is also the address of VM a",
    ]);
  });

  it("subnets overlapping another managed network", () => {
    expect(
      problems({ networks: { a: { topology: "bridge", subnet: "10.0.0.0/16" }, b: { topology: "tap-nat", subnet: "10.0.4.0/24" } } }),
    ).toEqual(["net.toml: networks.b.subnet: '10.0.4.0/24' overlaps the subnet 10.0.0.0/16 of network a"]);
    // The built-in network counts only when a VM uses it.
    expect(problems({ networks: { a: { topology: "bridge", subnet: "172.16.0.0/16" } }, vms: { w: { network: "a" } } })).toEqual([]);
    expect(problems({ networks: { a: { topology: "bridge", subnet: "172.16.0.0/16" } } }, ["default"])).toEqual([
      "net.toml: networks.a.subnet: '172.16.0.0/16' overlaps the subnet 172.16.0.0/24 of network default",
    ]);
  });

  it("interface names: at most 15 safe characters", () => {
    expect(problems({ vms: { a: { tap: "abcdefghijklmnop" } } })).toEqual([
      "net.toml: vms.a.tap: 'abcdefghijklmnop' is not a usable interface name (1 to 15 letters, digits, '-' or '_', starting with a letter or digit)",
    ]);
    expect(problems({ vms: { a: { tap: "abcdefghijklmno" } } })).toEqual([]);
    expect(problems({ vms: { a: { tap: "all" } } })).toEqual(["net.toml: vms.a.tap: 'all' is reserved (it names a sysctl directory of its own)"]);
    expect(problems({ networks: { lab: { topology: "bridge", subnet: "10.3.0.0/24", bridge: "br.0" } } })[0]).toContain("networks.lab.bridge: 'br.0' is not a usable interface name");
  });

  it("vsock CIDs are integers from 3, and a CID cannot be an image-level default", () => {
    const v = (cid: unknown) => problems({ networks: { v: { topology: "vsock" } }, vms: { a: { network: "v", cid } } });
    expect(v(2)).toEqual(["net.toml: vms.a.cid: 2 is not a vsock CID (an integer from 3 to 4294967294; 0-2 are reserved)"]);
    expect(v(4294967295)).toHaveLength(1);
    expect(v("5")).toHaveLength(1);
    expect(v(3)).toEqual([]);
    expect(problems({ defaults: { network: "v", cid: 9 }, networks: { v: { topology: "vsock" } }, vms: { a: {} } })).toContain(
      "net.toml: vms.a.cid: 9 is an image-level default, but CIDs are unique per VM: set it in [vms.NAME]",
    );
  });

  it("guest modes fit the topology", () => {
    expect(problems({ vms: { a: { mode: "dhcp" } } })).toEqual([
      "net.toml: vms.a.mode: 'dhcp' needs a DHCP server, and network default has dhcp = false (use static or auto, or set dhcp = true)",
    ]);
    expect(problems({ networks: { v: { topology: "vsock" } }, vms: { a: { network: "v", mode: "static" } } })).toEqual([
      "net.toml: vms.a.mode: 'static' cannot be used by topology vsock (no IP networking: the guest mode is none)",
    ]);
    expect(problems({ vms: { a: { mode: "dchp" } } })).toEqual(["net.toml: vms.a.mode: 'dchp' is not a guest mode (expected auto, dhcp, static or none)"]);
    expect(problems({ networks: { v: { topology: "vsock" } }, vms: { a: { network: "v", ip: "1.2.3.4" } } })).toEqual(["net.toml: vms.a.ip: '1.2.3.4' is not used by topology vsock"]);
  });

  it("unknown keys and sections, wrong types, unknown networks", () => {
    expect(problems({ vms: { a: { adress: "x" } } })).toEqual([
      "net.toml: vms.a.adress: unknown setting (expected network, mode, ip, mac, tap, cid, queues, dns, label, init)",
    ]);
    expect(() => configLayer("net.toml", { vm: {} })).toThrow("net.toml: vm: unknown section (expected defaults, networks, vms)");
    expect(problems({ vms: { a: { network: "nope" } } })).toEqual(["net.toml: vms.a.network: 'nope' is not a defined network (defined: default)"]);
    expect(problems({ networks: { lab: { subnet: "10.0.0.0/24" } } })).toEqual(["net.toml: networks.lab.topology: missing (expected tap-nat, bridge or vsock)"]);
    expect(problems({ vms: { a: { queues: 0 } } })).toEqual(["net.toml: vms.a.queues: 0 is not a number of queue pairs from 1 to 64"]);
    expect(problems({ vms: { a: { dns: ["1.1.1.1", "8.8.8.8"] } } })[0]).toContain("holds more than one server");
    expect(problems({ vms: { a: { mac: "01:00:00:00:00:01" } } })).toEqual(["net.toml: vms.a.mac: '01:00:00:00:00:01' is not a unicast MAC (bit 0 of the first octet must be clear)"]);
    expect(problems({ vms: { a: { label: "ip" } } })).toEqual(["net.toml: vms.a.label: 'ip' is reserved (/etc/net/ip belongs to Redox or to the scripts)"]);
  });

  it("reports every problem at once", () => {
    const all = problems({ vms: { a: { ip: "1.2.3", mac: "zz", tap: "x y", queues: 99 } } });
    expect(all.map((l) => l.split(":").slice(0, 2).join(":"))).toEqual(["net.toml: vms.a.ip", "net.toml: vms.a.mac", "net.toml: vms.a.tap", "net.toml: vms.a.queues"]);
  });
});

describe("names with shell metacharacters are refused", () => {
  const bad = ["a;rm -rf /", "$(id)", "`id`", "a b", "a|b", "a&b", "a>b", "a\nb", "-x", "a'b", 'a"b', "a\\b", "a*", ""];
  it.each(bad)("VM name %j", (name) => {
    expect(problems({}, [name]).some((l) => l.includes("vm name:") && l.includes("is not a VM name"))).toBe(true);
  });
  it.each(bad)("TAP and bridge %j", (v) => {
    expect(problems({ vms: { a: { tap: v } } })).toHaveLength(1);
    expect(problems({ networks: { lab: { topology: "bridge", subnet: "10.4.0.0/24", bridge: v } } })).toHaveLength(1);
  });
  it.each(bad.filter((v) => /[^A-Za-z0-9-]/.test(v)))("network name, address and MAC with %j", (v) => {
    expect(problems({ vms: { a: { ip: `172.16.0.9${v}` } } })).toHaveLength(1);
    expect(problems({ vms: { a: { mac: `02:00:00:00:00:0${v}` } } })).toHaveLength(1);
    expect(problems({ networks: { [`n${v}`]: { topology: "vsock" } } })).toHaveLength(1);
  });
  it("a line break in a value is shown, not printed", () => {
    expect(problems({}, ["a\nb"])).toEqual(["command line: vm name: 'a\\nb' is not a VM name (1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit)"]);
  });
});

describe("derived TAP names", () => {
  it("tap-NAME when it fits, a hash otherwise; always a usable interface name", () => {
    expect(derivedTapName("default")).toBe("tap0");
    expect(derivedTapName("web-1")).toBe("tap-web-1");
    expect(derivedTapName("a-very-long-vm-name")).toMatch(/^tsn[a-z2-7]{12}$/);
    expect(derivedTapName("Web.1")).toMatch(/^tsn[a-z2-7]{12}$/);
    expect(derivedTapName("Web.1")).not.toBe(derivedTapName("Web.2"));
  });
});

describe("the guest configuration is one tsion pack accepts", () => {
  it.each([
    ["tap-nat static", {}, "default"],
    ["tap-nat with DHCP (auto: the lease and the fallback agree)", { networks: { default: { dhcp: true } } }, "default"],
    ["bridge dhcp", { networks: { lab: { topology: "bridge", subnet: "10.7.0.0/16", dhcp: true } }, vms: { w: { network: "lab", mode: "dhcp" } } }, "w"],
    ["routed", { networks: { r: { topology: "tap-nat", layout: "routed", subnet: "10.8.0.0/22" } }, vms: { w: { network: "r" } } }, "w"],
    ["vsock", { networks: { v: { topology: "vsock" } }, vms: { w: { network: "v" } } }, "w"],
    ["none", { vms: { w: { mode: "none", dns: "1.1.1.1" } } }, "w"],
  ])("%s", (_what, doc, vm) => {
    const m = model(doc as Record<string, unknown>, [vm]);
    const [v] = resolveVmNetworks(m, [vm], noState);
    const checked = validateNetworkConfig(v!.guest.static === undefined && v!.guest.mode === "auto" ? { ...v!.guest, static: null } : v!.guest);
    expect(checked).toEqual({ ok: true, config: v!.guest });
  });
});
