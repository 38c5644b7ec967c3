// The host side and the guest side come from the same values: for each
// topology, the commands setup would run (its dry run) assign the guest's
// gateway to the host end, route or lease the guest's address, and use the
// guest's MAC, exactly as the NetworkConfig handed to tsion pack says.
// No root needed (dry runs only).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { configLayer } from "../../host/net/config.ts";
import { buildModel, builtinLayer } from "../../host/net/model.ts";
import { setupNetworking, teardownNetworking } from "../../host/net/setup.ts";
import { shellWord } from "../../host/net/commands.ts";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-host-net-plan-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const stateDir = path.join(scratch, "state");

async function dryRun(doc: Record<string, unknown>, vms: string[]) {
  const model = buildModel([configLayer("t", doc), builtinLayer()], vms);
  const lines: string[] = [];
  const { vms: nets } = await setupNetworking(model, vms, { dryRun: true, stateDir, owner: "1000", print: (l) => lines.push(l), firewall: "nft" });
  return { nets, text: lines.join("\n") };
}

describe("one set of values for the host and the guest", () => {
  it("tap-nat shared with DHCP: host end on the TAP, /32 route and static lease to the guest's address and MAC", async () => {
    const { nets, text } = await dryRun({ networks: { default: { dhcp: true } }, vms: { a: {}, b: { mode: "static" } } }, ["a", "b"]);
    for (const v of nets) {
      const s = v.guest.static!;
      expect(text).toContain(`ip addr add ${s.gateway}/${v.prefix} dev ${v.tap} noprefixroute`);
      expect(text).toContain(`ip route add ${s.ip}/32 dev ${v.tap}`);
      expect(text).toContain(`# static leases in ${stateDir}/dnsmasq/vm-${v.vm}/hosts: ${v.mac},${s.ip}`);
      expect(text).toContain(`--dhcp-option=option:router,${s.gateway}`);
      expect(s.netmask).toBe("255.255.255.0");
    }
    expect(nets.map((v) => v.guest.mode)).toEqual(["auto", "static"]);
  });

  it("bridge: the host address on the bridge is every guest's gateway; each lease is MAC,address", async () => {
    const { nets, text } = await dryRun(
      { defaults: { network: "lab", dns: "192.0.2.1" }, networks: { lab: { topology: "bridge", subnet: "10.9.0.0/16", host: "10.9.255.254", dhcp: true } }, vms: { a: { mode: "dhcp" }, b: {} } },
      ["a", "b"],
    );
    expect(text).toContain("ip addr add 10.9.255.254/16 dev tsbr-lab");
    expect(text).toContain("--dhcp-option=option:dns-server,192.0.2.1");
    for (const v of nets) {
      expect(v.gateway).toBe("10.9.255.254");
      expect(text).toContain(`ip link set dev ${v.tap} master tsbr-lab`);
      expect(text).toContain(`# add '${v.mac},${v.ip}' to ${stateDir}/dnsmasq/net-lab/hosts`);
    }
    expect(nets[0]!.guest).toEqual({ mode: "dhcp", label: "cloud-hypervisor", init: "current" });
    expect(nets[1]!.guest.static).toEqual({ ip: nets[1]!.ip, netmask: "255.255.0.0", gateway: "10.9.255.254", dns: ["192.0.2.1"] });
  });

  it("routed: the TAP holds the block's first address, the guest the second, with the block's mask", async () => {
    const { nets, text } = await dryRun({ defaults: { network: "r" }, networks: { r: { topology: "tap-nat", layout: "routed", subnet: "10.10.0.0/16", "vm-prefix": 29 } }, vms: { a: {} } }, ["a"]);
    const v = nets[0]!;
    expect(v.guest.static!.netmask).toBe("255.255.255.248");
    expect(text).toContain(`ip addr add ${v.guest.static!.gateway}/29 dev tap-a`);
  });

  it("a dry run records nothing and runs nothing", async () => {
    expect(fs.existsSync(stateDir)).toBe(false);
    const lines: string[] = [];
    await teardownNetworking({ all: true }, { dryRun: true, stateDir, print: (l) => lines.push(l) });
    expect(lines).toEqual([]);
  });
});

describe("shell quoting of the printed commands", () => {
  it("plain words stay plain, anything else is single-quoted", () => {
    expect(shellWord("--dhcp-range=10.0.0.0,static,255.0.0.0,1h")).toBe("--dhcp-range=10.0.0.0,static,255.0.0.0,1h");
    expect(shellWord('ip saddr 1.2.3.4 comment "x"')).toBe(`'ip saddr 1.2.3.4 comment "x"'`);
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(shellWord("")).toBe("''");
  });
});
