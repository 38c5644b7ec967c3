/**
 * Boot profiles: the milestones of a guest's boot as data (a TOML file), so
 * another guest can bring its own. `host/vm/profiles/redox.toml` is the
 * built-in one. A milestone is reached by the first serial line containing
 * its pattern anywhere (never anchored at the line start: markers often
 * follow escape codes or firmware output that had no newline).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, TomlError } from "smol-toml";
import { ioReason } from "../../compiler/src/cli/errors.ts";

const PROFILE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "profiles");

export interface Milestone {
  name: string;
  label: string;
  /** The pattern as written in the profile (for messages and JSON). */
  pattern: string;
  matches(line: string): boolean;
}

export interface BootProfile {
  name: string;
  description: string;
  /** Where it was loaded from. */
  source: string;
  milestones: Milestone[];
}

export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProfileError";
  }
}

/** Names of the profiles shipped with tsion (`--profile redox`). */
export function builtinProfiles(): string[] {
  return fs
    .readdirSync(PROFILE_DIR)
    .filter((f) => f.endsWith(".toml"))
    .map((f) => f.slice(0, -".toml".length))
    .sort();
}

/** A built-in name or a file path. */
export function loadProfile(nameOrFile: string): BootProfile {
  const builtin = path.join(PROFILE_DIR, `${nameOrFile}.toml`);
  const isName = /^[a-z0-9-]+$/.test(nameOrFile) && fs.existsSync(builtin);
  const file = isName ? builtin : nameOrFile;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const hint = code === "ENOENT" ? ` (built-in profiles: ${builtinProfiles().join(", ")})` : "";
    throw new ProfileError(`cannot read profile ${file}: ${ioReason(e)}${hint}`);
  }
  return parseProfile(text, isName ? `built-in profile ${nameOrFile}` : file);
}

const TOP_KEYS = ["name", "description", "milestone"];
const MILESTONE_KEYS = ["name", "label", "text", "regex"];

export function parseProfile(text: string, source: string): BootProfile {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    const where = e instanceof TomlError ? `:${e.line}` : "";
    throw new ProfileError(`${source}${where}: ${(e as Error).message.split("\n")[0]}`);
  }
  const fail = (what: string): never => {
    throw new ProfileError(`${source}: ${what}`);
  };
  for (const k of Object.keys(doc)) if (!TOP_KEYS.includes(k)) fail(`unknown key "${k}" (known: ${TOP_KEYS.join(", ")})`);
  const name = typeof doc.name === "string" && doc.name !== "" ? doc.name : fail(`"name" must be a non-empty string`);
  const description = doc.description === undefined ? "" : typeof doc.description === "string" ? doc.description : fail(`"description" must be a string`);
  if (!Array.isArray(doc.milestone) || doc.milestone.length === 0) fail(`needs at least one [[milestone]]`);
  const seen = new Set<string>();
  const milestones = (doc.milestone as unknown[]).map((raw, i): Milestone => {
    const where = `milestone ${i + 1}`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return fail(`${where}: must be a table`);
    const m = raw as Record<string, unknown>;
    for (const k of Object.keys(m)) if (!MILESTONE_KEYS.includes(k)) fail(`${where}: unknown key "${k}" (known: ${MILESTONE_KEYS.join(", ")})`);
    const mname = typeof m.name === "string" && /^[A-Za-z0-9_.-]+$/.test(m.name) ? m.name : fail(`${where}: "name" must be a word (letters, digits, _ . -)`);
    if (seen.has(mname)) fail(`${where}: duplicate name "${mname}"`);
    seen.add(mname);
    const label = m.label === undefined ? mname : typeof m.label === "string" ? m.label : fail(`${where} (${mname}): "label" must be a string`);
    if ((m.text === undefined) === (m.regex === undefined)) fail(`${where} (${mname}): give exactly one of "text" or "regex"`);
    if (m.text !== undefined) {
      const needle = typeof m.text === "string" && m.text !== "" ? m.text : fail(`${where} (${mname}): "text" must be a non-empty string`);
      return { name: mname, label, pattern: needle, matches: (line) => line.includes(needle) };
    }
    const source = typeof m.regex === "string" && m.regex !== "" ? m.regex : fail(`${where} (${mname}): "regex" must be a non-empty string`);
    let re: RegExp;
    try {
      re = new RegExp(source);
    } catch (e) {
      return fail(`${where} (${mname}): bad regex: ${(e as Error).message}`);
    }
    return { name: mname, label, pattern: source, matches: (line) => re.test(line) };
  });
  return { name, description, source, milestones };
}
