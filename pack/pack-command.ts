/**
 * `tsion pack`: a network configuration (flags and/or a JSON file) to the
 * guest file set, rendered as a root overlay directory, JSON, Redox
 * `[[files]]` TOML or a Nix attribute set (docs/packing.md).
 *
 * Order of work: read and validate the configuration (every problem
 * reported, exit 1), check the output target, compile the scripts it
 * installs (the mode's, netcheck if asked for), render, write atomically. Nothing is written before all of
 * that succeeded.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../compiler/src/cli/atomic-write.ts";
import { CliError, describeIoError, EXIT_DIAGNOSTICS, EXIT_OK } from "../compiler/src/cli/errors.ts";
import { reportDiagnostics } from "../compiler/src/cli/report.ts";
import { compileScripts, REPO_ROOT } from "./compile-scripts.ts";
import { buildFileSet, FILE_MODE, scriptsFor, type GuestFileSet } from "./file-set.ts";
import type { NetworkConfig } from "./network-config.ts";
import { renderJson } from "./render-json.ts";
import { renderNix } from "./render-nix.ts";
import { renderRedoxToml } from "./render-toml.ts";
import { commandList, describeConfig } from "./summary.ts";
import { formatProblem, validateNetworkConfig } from "./validate.ts";
import { checkDirTarget, writeDir } from "./write-dir.ts";

export { FORMATS, type Format, type PackOptions } from "./cli.ts";
import type { Format, PackOptions } from "./cli.ts";

function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw describeIoError(err, "read", file);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError(`cannot parse ${file}: ${(err as Error).message}`);
  }
}

/**
 * The configuration as given: the JSON file, then the flags over it. The
 * static flags edit the file's `static` object; without one they start from
 * nothing (not from the defaults), so `--ip` alone is refused as incomplete
 * instead of being mixed with the default gateway.
 */
export function assembleConfig(opts: PackOptions): unknown {
  const raw: unknown = opts.config !== undefined ? readConfigFile(opts.config) : {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  const config = { ...(raw as Record<string, unknown>) };
  if (opts.mode !== undefined) config.mode = opts.mode;
  if (opts.label !== undefined) config.label = opts.label;
  if (opts.init !== undefined) config.init = opts.init;
  if (opts.netcheck !== undefined) config.netcheck = opts.netcheck;
  const staticFlags: [string, unknown][] = (
    [
      ["ip", opts.ip],
      ["netmask", opts.netmask],
      ["gateway", opts.gateway],
      ["dns", opts.dns],
    ] as [string, unknown][]
  ).filter(([, v]) => v !== undefined);
  if (staticFlags.length > 0) {
    const base = config.static;
    const edited: Record<string, unknown> = typeof base === "object" && base !== null && !Array.isArray(base) ? { ...(base as object) } : {};
    for (const [k, v] of staticFlags) edited[k] = v;
    config.static = edited;
  }
  return config;
}

/** The validated configuration, or every problem on stderr and exit 1. */
function validated(raw: unknown): NetworkConfig {
  const result = validateNetworkConfig(raw);
  if (result.ok) return result.config;
  for (const p of result.problems) process.stderr.write(`tsion: error: ${formatProblem(p)}\n`);
  const n = result.problems.length;
  throw new CliError(`invalid network configuration (${n} ${n === 1 ? "problem" : "problems"}); nothing was written`, EXIT_DIAGNOSTICS);
}

/** Compiles the scripts the configuration installs and builds the file set; undefined (diagnostics printed) when one does not compile. */
export async function packFileSet(config: NetworkConfig): Promise<GuestFileSet | undefined> {
  const names = scriptsFor(config);
  const compiled = names.length === 0 ? { scripts: new Map(), diagnostics: [], ok: true } : await compileScripts(names);
  reportDiagnostics(compiled.diagnostics);
  if (!compiled.ok) return undefined;
  return buildFileSet(config, compiled.scripts);
}

export function render(set: GuestFileSet, format: Exclude<Format, "dir">, version = packageVersion()): string {
  switch (format) {
    case "json":
      return renderJson(set);
    case "redox-toml":
      return renderRedoxToml(set, version);
    case "nix":
      return renderNix(set, version);
  }
}

function summary(set: GuestFileSet, where: string): string {
  const lines = [`${set.files.length} ${set.files.length === 1 ? "file" : "files"} written to ${where} (${describeConfig(set)})`];
  if (set.commands !== undefined && set.commands.length > 0) lines.push(`commands the image must provide: ${commandList(set.commands)}`);
  return `${lines.join("\n")}\n`;
}

export async function runPack(opts: PackOptions): Promise<number> {
  if (opts.format === "dir" && opts.out === undefined && !opts.listCommands) throw new CliError("--format dir needs --out DIR");
  if (opts.force && opts.format !== "dir") throw new CliError("--force applies only to --format dir");
  const config = validated(assembleConfig(opts));
  if (opts.format === "dir" && opts.out !== undefined && !opts.listCommands) checkDirTarget(opts.out, opts.force === true);

  const set = await packFileSet(config);
  if (set === undefined) return EXIT_DIAGNOSTICS;

  if (opts.listCommands) {
    if (set.commands === undefined) throw new CliError("the compiler does not report the commands the scripts run");
    for (const c of set.commands) process.stdout.write(`${c.name}\t${c.optional ? "optional" : "required"}\t${c.usedBy.join(" ")}\n`);
    return EXIT_OK;
  }
  if (opts.format === "dir") {
    writeDir(opts.out!, set, opts.force === true);
    process.stdout.write(summary(set, opts.out!));
    return EXIT_OK;
  }
  const text = render(set, opts.format);
  if (opts.out === undefined) {
    process.stdout.write(text);
  } else {
    writeFileAtomic(path.resolve(opts.out), text, FILE_MODE);
    process.stdout.write(summary(set, opts.out));
  }
  return EXIT_OK;
}
