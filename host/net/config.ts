/**
 * Where the network model comes from: the configuration file (TOML,
 * `--config FILE` or $TSION_NET_CONFIG), the environment variables of the
 * existing workflow, command-line overrides, and the built-in defaults,
 * merged and validated by model.ts's one validator.
 *
 *   [defaults]            image-level defaults for every VM (any VM key)
 *   [networks.NAME]       topology, subnet, host, layout, vm-prefix, bridge, dhcp, nat
 *   [vms.NAME]            network, mode, ip, mac, tap, cid, queues, dns, label, init
 */
import * as fs from "node:fs";
import { parse as parseToml } from "smol-toml";
import { ioReason } from "../../compiler/src/cli/errors.ts";
import { buildModel, builtinLayer, environmentLayers, ModelError, type ConfigLayer, type Fields, type NetworkModel } from "./model.ts";

export class ConfigFileError extends Error {
  readonly exitCode = 2;
}

const TOP_KEYS = ["defaults", "networks", "vms"];

/** One layer from a TOML file; shape problems (unknown sections) are reported by the validator. */
export function readConfigFile(file: string): ConfigLayer {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigFileError(`cannot read ${file}: ${ioReason(e)}`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigFileError(`cannot parse ${file}: ${(e as Error).message.split("\n")[0]}`);
  }
  return configLayer(file, doc);
}

/** A layer from an already parsed document (TOML or JSON). */
export function configLayer(source: string, doc: Record<string, unknown>): ConfigLayer {
  const problems = Object.keys(doc)
    .filter((k) => !TOP_KEYS.includes(k))
    .map((k) => ({ source, field: k, hasValue: false, problem: `unknown section (expected ${TOP_KEYS.join(", ")})` }));
  const table = (k: string): Record<string, Fields> | undefined => {
    const v = doc[k];
    if (v === undefined) return undefined;
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      problems.push({ source, field: k, hasValue: false, problem: "is not a table" });
      return undefined;
    }
    return v as Record<string, Fields>;
  };
  const layer: ConfigLayer = { source, defaults: table("defaults") as Fields | undefined, networks: table("networks"), vms: table("vms") };
  if (problems.length > 0) throw new ModelError(problems);
  return layer;
}

export interface ModelInput {
  /** Configuration file; default $TSION_NET_CONFIG; none: defaults and environment only. */
  config?: string;
  /** VMs named on the command line. */
  vms?: string[];
  /** Command-line overrides: DHCP on the networks of `vms`, queue pairs for `vms`. */
  dhcp?: boolean;
  queues?: number | string;
  env?: NodeJS.ProcessEnv;
}

/** The validated model (throws ModelError, ConfigFileError). */
export function loadNetworkModel(input: ModelInput = {}): NetworkModel {
  const env = input.env ?? process.env;
  const file = input.config ?? (env.TSION_NET_CONFIG || undefined);
  const requested = input.vms ?? [];
  const base: ConfigLayer[] = [...(file ? [readConfigFile(file)] : []), ...environmentLayers(env), builtinLayer()];
  if (!input.dhcp && input.queues === undefined) return buildModel(base, requested);
  // Overrides apply to the VMs named (the default VM when none) and to their networks.
  const targets = requested.length > 0 ? requested : ["default"];
  const first = buildModel(base, targets);
  const cli: ConfigLayer = { source: "command line", vms: {}, networks: {} };
  for (const vm of targets) {
    if (input.queues !== undefined) cli.vms![vm] = { queues: typeof input.queues === "string" && /^\d+$/.test(input.queues) ? Number(input.queues) : input.queues };
    if (input.dhcp) cli.networks![first.vms[vm]!.network] = { dhcp: true };
  }
  return buildModel([cli, ...base], requested);
}
