/**
 * `tsion net setup|teardown|status|show|doctor` on the command line
 * (docs/host-networking.md). Only the options live here: the actions
 * (cli-actions.ts, with execa and the networking stack) are loaded when a net
 * command runs, so `tsion compile` and `tsion --help` never pay for them.
 */
import type { Command } from "commander";

type Actions = typeof import("./cli-actions.ts");
const actions = (): Promise<Actions> => import("./cli-actions.ts");

const withCommon = (c: Command, opts: { config?: boolean } = {}): Command => {
  if (opts.config !== false) c.option("-c, --config <file>", "network configuration (TOML; default $TSION_NET_CONFIG)");
  return c
    .option("--state-dir <dir>", "state directory (default $TSION_NET_STATE_DIR, /run/tsion as root)")
    .option("--netns <name>", "work inside this network namespace")
    .option("--json", "print the result as JSON");
};

export function registerNet(program: Command): void {
  const net = program.command("net").description("host networking for Redox VMs: TAP, bridge, NAT, DHCP (docs/host-networking.md)");

  withCommon(
    net
      .command("setup")
      .description("create the TAP (or bridge), host address, NAT and forwarding, and DHCP for VMs (default: the default VM)")
      .argument("[vms...]", "VM names from the configuration (default: default)")
      .option("--dhcp", "run dnsmasq with static leases on the VMs' network")
      .option("--queues <n>", "TAP queue pairs (multi-queue when > 1)")
      .option("--owner <user>", "TAP owner, user or uid[:group] (default: $SUDO_UID, else you)")
      .option("--firewall <kind>", "auto, nft or iptables (auto: nft when installed)", "auto")
      .option("-n, --dry-run", "print the commands, change nothing")
      .option("--verbose", "print each command as it runs (stderr)"),
  ).action(async (vms: string[], o: Parameters<Actions["setup"]>[1]) => (await actions()).setup(vms, o));

  withCommon(
    net
      .command("teardown")
      .description("remove exactly what setup added for VMs (default: the default VM); a network goes with its last VM")
      .argument("[vms...]", "VM names")
      .option("--network <name>", "every VM of this network, and the network")
      .option("--all", "everything tsion set up")
      .option("-n, --dry-run", "print the commands, change nothing")
      .option("--verbose", "print each command as it runs (stderr)"),
    { config: false },
  ).action(async (vms: string[], o: Parameters<Actions["teardown"]>[1]) => (await actions()).teardown(vms, o));

  withCommon(net.command("status").description("what tsion has set up and allocated (from the state directory)"), { config: false }).action(
    async (o: Parameters<Actions["status"]>[0]) => (await actions()).status(o),
  );

  withCommon(
    net
      .command("show")
      .description("the resolved network of VMs and the guest configuration tsion pack takes (allocations from the state, else provisional)")
      .argument("[vms...]", "VM names (default: default)")
      .option("--guest", "print only the guest's NetworkConfig (JSON for tsion pack --config) of one VM"),
  ).action(async (vms: string[], o: Parameters<Actions["show"]>[1]) => (await actions()).show(vms, o));

  withCommon(
    net
      .command("doctor")
      .description("check what would block running VMs (exit 1 when something does)")
      .argument("[vms...]", "VM names (default: every VM of the configuration)")
      .option("--owner <user>", "the user who will run the VMM (default: $SUDO_UID, else you)"),
  ).action(async (vms: string[], o: Parameters<Actions["doctor"]>[1]) => (await actions()).doctor(vms, o));
}
