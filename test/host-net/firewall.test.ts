// Where the NAT rules go: nftables when `nft` is installed, iptables only
// when it is not; the iptables fallback read back for real in a namespace.
import { afterAll, describe, expect, it } from "vitest";
import { loadNetworkModel } from "../../host/net/config.ts";
import { chooseFirewall, nftScript } from "../../host/net/firewall.ts";
import { setupNetworking, teardownNetworking } from "../../host/net/setup.ts";
import { sweepStaleNetns } from "../../runtime-shims/netns/namespaces.ts";
import { dump, inNs, need, withLab, withoutEmptyIptablesTables } from "./support.ts";

afterAll(async () => {
  if (!need.skip) await sweepStaleNetns(process.pid);
});

describe("choosing the firewall", () => {
  const only = (...tools: string[]) => (name: string) => (tools.includes(name) ? `/usr/sbin/${name}` : null);
  it("nft when present, iptables only without it, an error without either", () => {
    expect(chooseFirewall("auto", only("nft", "iptables"))).toBe("nft");
    expect(chooseFirewall("auto", only("iptables"))).toBe("iptables");
    expect(() => chooseFirewall("auto", only())).toThrow("NAT needs nftables or iptables, and neither `nft` nor `iptables` is installed (Debian: apt install nftables)");
    expect(chooseFirewall("iptables", only("nft", "iptables"))).toBe("iptables");
    expect(() => chooseFirewall("nft", only("iptables"))).toThrow("--firewall nft: `nft` is not installed");
  });

  it("the nft script replaces a leftover table of the same name in one transaction", () => {
    const net = loadNetworkModel({ env: {}, vms: ["default"] }).networks.default!;
    expect(nftScript(net).split("\n").slice(0, 3)).toEqual(["table inet tsion-default {}", "delete table inet tsion-default", "table inet tsion-default {"]);
  });
});

describe.skipIf(need.skip)("the iptables fallback, for real", () => {
  it("chains of its own with one jump each; teardown removes them and the jumps", async () => {
    need.assert();
    await withLab(async (lab) => {
      const opts = { netns: lab.ns, stateDir: lab.stateDir, firewall: "iptables" as const };
      const before = await dump(lab.ns);
      await setupNetworking(loadNetworkModel({ vms: ["default"], env: {} }), ["default"], opts);
      const filter = (await inNs(lab.ns, "iptables", ["-w", "-t", "filter", "-S"])).split("\n");
      expect(filter).toEqual(
        expect.arrayContaining([
          "-N tsion-default-fwd",
          "-A FORWARD -j tsion-default-fwd",
          "-A tsion-default-fwd -s 172.16.0.0/24 -j ACCEPT",
          "-A tsion-default-fwd -d 172.16.0.0/24 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        ]),
      );
      const nat = (await inNs(lab.ns, "iptables", ["-w", "-t", "nat", "-S"])).split("\n");
      expect(nat).toEqual(expect.arrayContaining(["-N tsion-default-nat", "-A POSTROUTING -j tsion-default-nat", "-A tsion-default-nat -s 172.16.0.0/24 ! -d 172.16.0.0/24 -j MASQUERADE"]));
      expect(JSON.stringify(JSON.parse(await inNs(lab.ns, "nft", ["-j", "list", "ruleset"])))).not.toContain("tsion-default\"");
      await teardownNetworking({}, opts);
      const after = await dump(lab.ns);
      expect(withoutEmptyIptablesTables(after)).toEqual(withoutEmptyIptablesTables(before));
      // What stays is only what iptables cannot remove: its tables, empty, policies ACCEPT.
      expect((await inNs(lab.ns, "iptables", ["-w", "-t", "nat", "-S"])).split("\n")).toEqual(["-P PREROUTING ACCEPT", "-P INPUT ACCEPT", "-P OUTPUT ACCEPT", "-P POSTROUTING ACCEPT"]);
    });
  }, 60_000);
});
