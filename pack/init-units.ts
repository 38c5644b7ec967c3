/**
 * The init files of the guest file set, read from guest-scripts/init/, their
 * one source: `tsion build` ships the same files in dist/ion/init/, and
 * nix/lib/units.nix reads them with builtins.readFile. Layout:
 *
 *   guest-scripts/init/<era>/<role>/<name>
 *
 *   era   current (base from 2026-04-11, `.service` TOML units) or legacy
 *         (init.rc + run.d line scripts), as NetworkConfig.init;
 *   role  a script, whose boot unit starts it, or dhcpd-shadow, what
 *         replaces the image's DHCP client where a mode must not get a lease;
 *   name  the file's name in /etc/init.d/, the only file of its directory.
 *
 * docs/packing.md says why each unit looks as it does.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";
import { CliError, describeIoError } from "../compiler/src/cli/errors.ts";
import type { InitEra } from "./network-config.ts";

/** The scripts a file set can hold: a mode's network script, and the self-test. */
export type ScriptName = "netcfg-auto" | "netcfg-ch" | "netcfg-static" | "netcheck";
export type InitRole = ScriptName | "dhcpd-shadow";

export const INIT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "guest-scripts", "init");

/** Where the scripts are installed: /usr/bin is on init's PATH. */
export function scriptPath(script: ScriptName): string {
  return `usr/bin/${script}`;
}

export interface InitFile {
  /** Relative to the image root: `etc/init.d/16_netcfg.service`. */
  path: string;
  content: string;
}

/** The init file of `role` for the `init` era, from guest-scripts/init (or `root`, for tests). */
export function initFile(init: InitEra, role: InitRole, root: string = INIT_DIR): InitFile {
  const dir = path.join(root, init, role);
  let names: string[];
  try {
    names = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => d.name);
  } catch (err) {
    throw describeIoError(err, "read", dir);
  }
  if (names.length !== 1) throw new CliError(`${dir} must hold exactly one init file, not ${names.length}`);
  const file = path.join(dir, names[0]!);
  try {
    return { path: `etc/init.d/${names[0]}`, content: fs.readFileSync(file, "utf8") };
  } catch (err) {
    throw describeIoError(err, "read", file);
  }
}

/**
 * The programs an init file starts, as that era's init reads it (base
 * init/src/*.rs; the init.rc builtins of 2026-01-26 to 2026-04-10):
 *   current: the `cmd` of the unit's service section;
 *   legacy:  per line (split on single spaces; `KEY=VAL` words set the
 *            environment), the command of `nowait cmd…`, `notify cmd…`,
 *            `scheme NAME cmd…` or a plain `cmd…`; `requires_weak` runs none.
 */
export function unitCommands(init: InitEra, content: string): string[] {
  if (init === "current") {
    const cmd = (parse(content) as { service?: { cmd?: unknown } }).service?.cmd;
    return typeof cmd === "string" ? [cmd] : [];
  }
  const commands: string[] = [];
  for (const raw of content.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const words = line.split(" ").filter((w) => w !== "");
    while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) words.shift();
    const first = words[0];
    if (first === undefined || first === "requires_weak") continue;
    const cmd = first === "nowait" || first === "notify" ? words[1] : first === "scheme" ? words[2] : first;
    if (cmd !== undefined && !commands.includes(cmd)) commands.push(cmd);
  }
  return commands;
}
