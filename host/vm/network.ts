/**
 * What `vm` takes from the host network model (host/net): the VM's TAP, MAC
 * and queue pairs (its recorded allocation, else the one `net setup` would
 * make), and the exact `tsion net setup` command that creates its TAP.
 * TAP_NAME and GUEST_MAC reach vm through the model's environment layer.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CliError } from "../../compiler/src/cli/errors.ts";
import { ConfigFileError } from "../net/config.ts";
import { loadNetworkModel, ModelError, resolveVmNetworks, type VmNetwork } from "../net/index.ts";
import { DEFAULT_VM, formatProblem } from "../net/model.ts";
import { StateError } from "../net/state.ts";
import type { NetworkDefaults } from "./options.ts";
import type { NetworkHints } from "./preflight.ts";

export interface NetworkSelection {
  /** VM name in the network model (default: the default VM). */
  vm?: string;
  /** Network configuration file (else $TSION_NET_CONFIG, else built-in defaults and environment). */
  config?: string;
  stateDir?: string;
}

/**
 * The named network namespace this process runs in (`ip netns exec NAME`),
 * or undefined in the machine's own or an unnamed one: `net setup --netns
 * NAME` keeps its state per namespace, and the hint must name it.
 */
export function currentNetns(): string | undefined {
  try {
    const me = fs.statSync("/proc/self/ns/net");
    for (const name of fs.readdirSync("/run/netns")) {
      const st = fs.statSync(path.join("/run/netns", name));
      if (st.ino === me.ino && st.dev === me.dev) return name;
    }
  } catch {
    // no /run/netns: not in a named namespace
  }
  return undefined;
}

/** The environment variables the network model reads (host/net/model.ts, config.ts). */
const MODEL_ENV = ["TSION_NET_CONFIG", "TAP_NAME", "HOST_IP", "GUEST_IP", "GUEST_MAC"];

function shellArg(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

export class VmNetworkModel implements NetworkHints {
  private resolved: VmNetwork | null = null;
  readonly vm: string;
  readonly netns: string | undefined;

  constructor(
    private readonly sel: NetworkSelection,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.vm = sel.vm ?? DEFAULT_VM;
    this.netns = currentNetns();
  }

  /** The VM's network per the model (throws CliError for a bad configuration). */
  network(): VmNetwork {
    if (this.resolved) return this.resolved;
    try {
      const model = loadNetworkModel({ config: this.sel.config, vms: [this.vm], env: this.env });
      this.resolved = resolveVmNetworks(model, [this.vm], { stateDir: this.sel.stateDir, netns: this.netns })[0]!;
    } catch (e) {
      if (e instanceof ModelError) throw new CliError(`the network model: ${e.problems.map(formatProblem).join("; ")}`);
      if (e instanceof ConfigFileError || e instanceof StateError) throw new CliError(e.message);
      throw e;
    }
    return this.resolved;
  }

  defaults(): NetworkDefaults {
    const n = this.network();
    if (n.tap === undefined || n.mac === undefined)
      throw new CliError(`VM ${this.vm} is on the ${n.topology} network ${n.network}, which has no TAP; vm runs VMs on tap-nat or bridge networks`);
    return { tap: n.tap, mac: n.mac, queues: 2 * n.queues };
  }

  /** The command that creates this VM's network (its TAP included). */
  setupCommand(): string {
    // sudo resets the environment: hand over the variables the model read (as root they are inherited).
    const root = process.getuid?.() === 0;
    const vars = root ? [] : MODEL_ENV.filter((k) => this.env[k]).map((k) => `${k}=${this.env[k]}`);
    const words = root ? ["tsion", "net", "setup"] : ["sudo", ...vars, "tsion", "net", "setup"];
    if (this.vm !== DEFAULT_VM) words.push(this.vm);
    if (this.sel.config) words.push("--config", this.sel.config);
    if (this.sel.stateDir) words.push("--state-dir", this.sel.stateDir);
    if (this.netns) words.push("--netns", this.netns);
    return words.map(shellArg).join(" ");
  }

  createTap(tap: string): string {
    let modelTap: string | undefined;
    try {
      modelTap = this.network().tap;
    } catch {
      modelTap = undefined;
    }
    const command = `\`${this.setupCommand()}\``;
    if (modelTap === undefined || modelTap === tap) return `create it with ${command}`;
    // Named on vm's command line, not by the model: setup would create the model's TAP.
    return `${command} creates VM ${this.vm}'s TAP from the network model, ${modelTap}: drop --tap to use it, or set tap = "${tap}" for VM ${this.vm} in the network configuration first`;
  }
}
