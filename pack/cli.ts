/**
 * `tsion pack` on the command line: its options and help (docs/packing.md).
 * What it does (pack-command.ts: the validator, the compiler, the renderers)
 * is loaded only when pack runs, so other commands never pay for it.
 */
import { Command, Option } from "commander";
import { INIT_ERAS, NETWORK_MODES } from "./network-config.ts";

export const FORMATS = ["dir", "json", "redox-toml", "nix"] as const;
export type Format = (typeof FORMATS)[number];

export interface PackOptions {
  config?: string;
  mode?: string;
  ip?: string;
  netmask?: string;
  gateway?: string;
  dns?: string[];
  label?: string;
  init?: string;
  /** --netcheck (true) or --no-netcheck (false); undefined: as the config file says. */
  netcheck?: boolean;
  format: Format;
  out?: string;
  force?: boolean;
  listCommands?: boolean;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Adds `tsion pack` to the program (called once from createProgram). */
export function registerPack(program: Command): void {
  program
    .command("pack")
    .description("render the guest files of a network configuration: a root overlay, JSON, Redox [[files]] TOML or a Nix attribute set")
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).makeOptionMandatory())
    .option("-o, --out <path>", "write here (atomically) instead of stdout; required by --format dir")
    .option("--force", "--format dir: replace a non-empty output directory")
    .option("-c, --config <file>", "JSON file { mode, static: { ip, netmask, gateway, dns }, label, init, netcheck }; flags override it")
    .option("--mode <mode>", `network mode: ${NETWORK_MODES.join(", ")} (default auto)`)
    .option("--ip <address>", "static address, e.g. 172.16.0.2")
    .option("--netmask <mask>", "static netmask: 255.255.255.0, 24 or /24")
    .option("--gateway <address>", "default gateway, inside the subnet")
    .option("--dns <address>", "DNS server (at most one)", collect)
    .option("--label <label>", "directory under /etc/net/ for the static values (default cloud-hypervisor)")
    .option("--init <era>", `init era of the image: ${INIT_ERAS.join(" or ")} (default current)`)
    .option("--netcheck", "add the network self-test (/usr/bin/netcheck and its init unit, run after netcfg; not with mode none)")
    .option("--no-netcheck", "leave it out even if the config file asks for it (the default)")
    .option("--list-commands", "print the commands the files run (name, required/optional, used by) instead of the files")
    .addHelpText(
      "after",
      "\nWithout static flags or a config file, auto and static use 172.16.0.2/255.255.255.0 via 172.16.0.1.\n" +
        "Exit status: 0 written, 1 invalid configuration or script errors, 2 usage or I/O error.\n",
    )
    .action(async (opts: PackOptions) => {
      const status = await (await import("./pack-command.ts")).runPack(opts);
      if (status > (typeof process.exitCode === "number" ? process.exitCode : 0)) process.exitCode = status;
    });
}
