/**
 * The guest file set: the exact files a validated network configuration
 * puts into an image, and the external commands they run. Every output of
 * `tsion pack` renders this one model; nix/lib/files.nix builds the same set
 * in Nix.
 *
 * Per mode (docs/packing.md has the table):
 *   auto    netcfg-auto + boot unit; the static fallback, if any
 *   static  netcfg-ch + boot unit + the static values + the DHCP shadow
 *   dhcp    netcfg-static + boot unit + /etc/net/netcfg/mode = dhcp
 *   none    the DHCP shadow only (no network script)
 * and with netcheck (not in none), netcheck + its init unit on top.
 */
import { DEFAULT_LABEL, type NetworkConfig, type NetworkMode } from "./network-config.ts";
import { initFile, scriptPath, unitCommands, type InitFile, type ScriptName } from "./init-units.ts";

export const SCRIPT_MODE = 0o755;
export const FILE_MODE = 0o644;

export interface GuestFile {
  /** Relative to the image root, no leading slash: `etc/net/dns`. */
  path: string;
  mode: typeof SCRIPT_MODE | typeof FILE_MODE;
  content: string;
}

/** A program the files run, which the image must provide (`optional`: the scripts cope without it). */
export interface ExternalCommand {
  name: string;
  optional: boolean;
  /** The image files that run it, sorted. */
  usedBy: string[];
}

/** What the compiler reports about the commands one script runs. */
export interface ScriptCommand {
  name: string;
  optional: boolean;
}

export interface CompiledScript {
  text: string;
  /** undefined while the compiler does not report them. */
  commands?: ScriptCommand[];
}

export interface GuestFileSet {
  config: NetworkConfig;
  /** Sorted by path. */
  files: GuestFile[];
  /** Sorted by name; undefined when the compiler did not report a script's commands. */
  commands?: ExternalCommand[];
}

/** The script each mode installs (none installs none). */
export function scriptFor(mode: NetworkMode): ScriptName | undefined {
  switch (mode) {
    case "auto":
      return "netcfg-auto";
    case "static":
      return "netcfg-ch";
    case "dhcp":
      return "netcfg-static";
    case "none":
      return undefined;
  }
}

/** Every script a configuration installs: the mode's, then netcheck if asked for. */
export function scriptsFor(config: NetworkConfig): ScriptName[] {
  const script = scriptFor(config.mode);
  return [...(script === undefined ? [] : [script]), ...(config.netcheck === true ? ["netcheck" as const] : [])];
}

/** Modes in which dhcpd must not run: a lease would replace the static address or configure what should stay unconfigured. */
export function shadowsDhcp(mode: NetworkMode): boolean {
  return mode === "static" || mode === "none";
}

/** Where netcfg-static reads its mode, and where the scripts read a label other than the default. */
export const MODE_FILE = "etc/net/netcfg/mode";
export const LABEL_FILE = "etc/net/netcfg/label";

/** Byte order of UTF-16 code units; paths are ASCII, so this is byte order too. */
function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * The files of a validated configuration. `scripts` must hold the compiled
 * scripts it installs (scriptsFor); others are ignored.
 */
export function buildFileSet(config: NetworkConfig, scripts: ReadonlyMap<ScriptName, CompiledScript>): GuestFileSet {
  const files: GuestFile[] = [];
  const add = (path: string, content: string, mode: GuestFile["mode"] = FILE_MODE): void => {
    files.push({ path, mode, content });
  };
  const commandUses: { name: string; optional: boolean; by: string }[] = [];
  let commandsKnown = true;
  const addInitFile = (unit: InitFile): void => {
    add(unit.path, unit.content);
    for (const name of unitCommands(config.init, unit.content)) commandUses.push({ name, optional: false, by: `/${unit.path}` });
  };

  // Each script with the init unit that starts it.
  for (const script of scriptsFor(config)) {
    const compiled = scripts.get(script);
    if (compiled === undefined) throw new Error(`no compiled ${script} for mode ${config.mode}`);
    add(scriptPath(script), compiled.text, SCRIPT_MODE);
    if (compiled.commands === undefined) commandsKnown = false;
    for (const c of compiled.commands ?? []) commandUses.push({ name: c.name, optional: c.optional, by: `/${scriptPath(script)}` });
    addInitFile(initFile(config.init, script));
  }
  if (config.mode === "dhcp") add(MODE_FILE, "dhcp\n");
  if (config.static !== undefined && (config.mode === "auto" || config.mode === "static")) {
    const dir = `etc/net/${config.label}`;
    add(`${dir}/ip`, `${config.static.ip}\n`);
    add(`${dir}/netmask`, `${config.static.netmask}\n`);
    add(`${dir}/gateway`, `${config.static.gateway}\n`);
    for (const dns of config.static.dns) add("etc/net/dns", `${dns}\n`);
    if (config.label !== DEFAULT_LABEL) add(LABEL_FILE, `${config.label}\n`);
  }
  if (shadowsDhcp(config.mode)) addInitFile(initFile(config.init, "dhcpd-shadow"));
  files.sort(byPath);
  const set: GuestFileSet = { config, files };
  if (commandsKnown) set.commands = mergeCommands(commandUses);
  return set;
}

function mergeCommands(uses: { name: string; optional: boolean; by: string }[]): ExternalCommand[] {
  const byName = new Map<string, ExternalCommand>();
  for (const u of uses) {
    const c = byName.get(u.name) ?? { name: u.name, optional: true, usedBy: [] };
    // Required as soon as one file cannot do without it.
    c.optional = c.optional && u.optional;
    if (!c.usedBy.includes(u.by)) c.usedBy.push(u.by);
    byName.set(u.name, c);
  }
  const list = [...byName.values()];
  for (const c of list) c.usedBy.sort();
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
