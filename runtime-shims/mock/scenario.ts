/**
 * Scenario files (docs/scenarios.md): TOML parsed with smol-toml, then
 * checked key by key. Every error names the file and the line.
 *
 * A scenario runs in one or more *variants* of the mocked image: each
 * interface naming era it is not pinned to, and whatever commands the image
 * lacks. `loadScenario(file, variant)` returns the scenario instantiated for
 * one variant: `{dev}` and `{lo}` in its expectations and rejected paths
 * replaced by that era's names, and (without `sleep`) no `sleep` call
 * expected in the command log.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, TomlError } from "smol-toml";
import type { Errno } from "../host/types.ts";
import type { MockConfig, MockFile, MockNic, MockRejection } from "./mock-redox.ts";
import { nicInterfaceName, nicSchemeName } from "./mock-redox.ts";
import type { NamingEra } from "./netcfg.ts";
import type { DhcpServer } from "./dhcp-client.ts";
import { parseCidr, parseIpv4, parseMac } from "./ipv4.ts";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The directory `[run] script` is relative to: the nearest directory at or
 * above the scenario file that holds a package.json (the project root, in
 * this repository and in a project made by `tsion init`), else the
 * scenario's own directory.
 */
export function projectRoot(scenarioFile: string): string {
  const start = path.dirname(path.resolve(scenarioFile));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

export interface ScenarioOptions {
  /** The scenario file's path, to resolve `[run] script` (default: `shown` from the working directory). */
  file?: string;
  /** A guest entry given on the command line: replaces `[run] script`, which may then be absent. */
  script?: string;
}

export interface ScenarioRun {
  /** absolute path of the guest TS entry */
  script: string;
  args: string[];
  times: number;
  uid: number;
  cwd: string;
  env: Record<string, string>;
  backends: ("node" | "ion")[];
}

export interface Expectations {
  status?: number;
  statuses?: number[];
  stdout?: string;
  stdout_contains?: string[];
  stdout_lacks?: string[];
  stderr?: string;
  stderr_contains?: string[];
  addr?: string;
  /** addr/list of each named interface (others unchecked) */
  ifaces?: Record<string, string>;
  routes?: string[];
  nameserver?: string;
  commands?: string[][];
  commands_include?: string[][];
  commands_exclude?: string[];
  /** at most this many commands (processes) ran, over all runs */
  processes_at_most?: number;
  network_by?: number;
  usable_by?: number;
  network_never?: boolean;
  log_contains?: string[];
  finished_by?: number;
  files_absent?: string[];
  files?: Record<string, string>;
}

/** One mocked image a scenario runs against. */
export interface Variant {
  era: NamingEra;
  /** commands the image lacks */
  missing: string[];
}

export const ERAS: NamingEra[] = ["eth0", "pci"];
/** The eras a scenario that does not pin one runs in. */
export const UNPINNED_ERAS: NamingEra[] = ["eth0", "pci"];

export interface Scenario {
  file: string;
  description: string;
  run: ScenarioRun;
  /** Everything MockRedox needs (uid, cwd, naming era and missing commands included). */
  mock: MockConfig;
  expect: Expectations;
  /** The variant this instance is. */
  variant: Variant;
  /** Every variant the scenario runs in (each era it is not pinned to). */
  variants: Variant[];
}

/** A short name of a variant, e.g. `pci`, `eth0 without sleep`. */
export function variantName(v: Variant): string {
  return v.missing.length === 0 ? v.era : `${v.era} without ${v.missing.join(", ")}`;
}

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScenarioError";
  }
}

/** Line of each `table.key` (and of each table header) in the TOML text, best effort. */
function keyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const arrays = new Map<string, number>();
  let table = "";
  const unquote = (k: string) => k.trim().replace(/^"(.*)"$/, "$1").replace(/^'(.*)'$/, "$1");
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    let m = /^\s*\[\[\s*([^\]]+?)\s*\]\]/.exec(raw);
    if (m) {
      const name = m[1]!.split(".").map(unquote).join(".");
      const idx = arrays.get(name) ?? 0;
      arrays.set(name, idx + 1);
      table = `${name}[${idx}]`;
      if (!lines.has(table)) lines.set(table, line);
      return;
    }
    m = /^\s*\[\s*([^\]]+?)\s*\]/.exec(raw);
    if (m) {
      table = m[1]!.split(".").map(unquote).join(".");
      if (!lines.has(table)) lines.set(table, line);
      return;
    }
    m = /^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=/.exec(raw);
    if (m) {
      const k = table ? `${table}.${unquote(m[1]!)}` : unquote(m[1]!);
      if (!lines.has(k)) lines.set(k, line);
    }
  });
  return lines;
}

type Table = Record<string, unknown>;

class Checker {
  constructor(
    private readonly file: string,
    private readonly lines: Map<string, number>,
  ) {}

  fail(where: string, message: string): never {
    let line = this.lines.get(where);
    for (let w = where; line === undefined && w.includes("."); ) {
      w = w.slice(0, w.lastIndexOf("."));
      line = this.lines.get(w);
    }
    const label = where.includes(".") ? `[${where.slice(0, where.lastIndexOf("."))}] ` : "";
    throw new ScenarioError(`${this.file}:${line ?? 1}: ${label}${message}`);
  }

  keys(where: string, t: Table, known: string[]): void {
    for (const k of Object.keys(t)) {
      if (!known.includes(k)) this.fail(where ? `${where}.${k}` : k, `unknown key "${k}" (known: ${known.join(", ")})`);
    }
  }

  table(where: string, v: unknown): Table {
    if (v === undefined) return {};
    if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Date) this.fail(where, `"${where}" must be a table`);
    return v as Table;
  }

  private key(where: string): string {
    return where.slice(where.lastIndexOf(".") + 1);
  }

  str(where: string, v: unknown): string {
    if (typeof v !== "string") this.fail(where, `"${this.key(where)}" must be a string, got ${describe(v)}`);
    return v as string;
  }
  num(where: string, v: unknown, min = 0): number {
    if (typeof v !== "number" || !Number.isFinite(v) || v < min)
      this.fail(where, `"${this.key(where)}" must be a number >= ${min}, got ${describe(v)}`);
    return v as number;
  }
  int(where: string, v: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
      this.fail(where, `"${this.key(where)}" must be an integer ${min}..${max}, got ${describe(v)}`);
    return v as number;
  }
  bool(where: string, v: unknown): boolean {
    if (typeof v !== "boolean") this.fail(where, `"${this.key(where)}" must be true or false, got ${describe(v)}`);
    return v as boolean;
  }
  strs(where: string, v: unknown): string[] {
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string"))
      this.fail(where, `"${this.key(where)}" must be an array of strings, got ${describe(v)}`);
    return v as string[];
  }
  argvs(where: string, v: unknown): string[][] {
    if (!Array.isArray(v) || v.some((a) => !Array.isArray(a) || a.length === 0 || a.some((x) => typeof x !== "string")))
      this.fail(where, `"${this.key(where)}" must be an array of non-empty string arrays (argv), got ${describe(v)}`);
    return v as string[][];
  }
  ip(where: string, v: unknown): string {
    const s = this.str(where, v);
    if (parseIpv4(s) === null) this.fail(where, `"${this.key(where)}" must be an IPv4 address, got "${s}"`);
    return s;
  }
  guestPath(where: string, v: unknown): string {
    const s = this.str(where, v);
    if (!s.startsWith("/")) this.fail(where, `"${this.key(where)}" must be an absolute guest path, got "${s}"`);
    return s;
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (v === null) return "null";
  if (typeof v === "string") return `string "${v}"`;
  if (typeof v === "object") return "a table";
  return `${typeof v} ${String(v)}`;
}

const ERRNOS: Errno[] = ["ENOENT", "EINVAL", "EACCES", "EPERM", "EBADF", "EISDIR", "ENOTDIR", "EEXIST", "ENOTEMPTY", "EMSGSIZE", "EIO"];

/**
 * Parse and check a scenario file, instantiated for `variant` (default: its
 * first variant: the pinned era or "eth0", the commands it declares missing);
 * throws ScenarioError naming file and line.
 */
export function loadScenario(file: string, variant?: Partial<Variant>, options: ScenarioOptions = {}): Scenario {
  // Relative to the working directory inside it; outside, the absolute path reads better than ../../..
  const rel = path.relative(process.cwd(), file);
  const shown = rel === "" || rel.startsWith("..") ? path.resolve(file) : rel;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ScenarioError(`${shown}: cannot read: ${(e as Error).message}`);
  }
  return parseScenario(text, shown, variant, { file, ...options });
}

export function parseScenario(text: string, shown: string, variant?: Partial<Variant>, options: ScenarioOptions = {}): Scenario {
  return forVariant(parseTemplate(text, shown, options), variant);
}

/** A scenario as written: placeholders not yet replaced. */
type Template = Omit<Scenario, "variant" | "variants"> & { eras: NamingEra[]; missing: string[]; line: (key: string) => number };

function parseTemplate(text: string, shown: string, options: ScenarioOptions): Template {
  let doc: Table;
  try {
    doc = parse(text) as Table;
  } catch (e) {
    if (e instanceof TomlError) throw new ScenarioError(`${shown}:${e.line}:${e.column}: ${e.message.split("\n")[0]}`);
    throw e;
  }
  const c = new Checker(shown, keyLines(text));
  c.keys("", doc, ["description", "run", "files", "base_files", "nics", "netstack", "image", "dhcp", "reject", "network", "expect"]);
  if (doc.description === undefined) c.fail("description", `missing "description"`);
  const description = c.str("description", doc.description);

  // [run]
  const runT = c.table("run", doc.run);
  c.keys("run", runT, ["script", "args", "times", "uid", "cwd", "env", "backends"]);
  let script: string;
  if (options.script !== undefined) {
    script = path.resolve(options.script);
  } else {
    if (runT.script === undefined) c.fail("run", `[run] needs "script" (or a script given on the command line)`);
    script = path.resolve(projectRoot(options.file ?? shown), c.str("run.script", runT.script));
    if (!fs.existsSync(script)) c.fail("run.script", `script not found: ${script}`);
  }
  const envT = c.table("run.env", runT.env ?? { PATH: "/usr/bin" });
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(envT)) env[k] = c.str(`run.env.${k}`, v);
  const backends = runT.backends === undefined ? ["node", "ion"] : c.strs("run.backends", runT.backends);
  for (const b of backends) if (b !== "node" && b !== "ion") c.fail("run.backends", `unknown backend "${b}" (node, ion)`);
  const run: ScenarioRun = {
    script,
    args: runT.args === undefined ? [] : c.strs("run.args", runT.args),
    times: runT.times === undefined ? 1 : c.int("run.times", runT.times, 1, 100),
    uid: runT.uid === undefined ? 0 : c.int("run.uid", runT.uid, 0, 65535),
    cwd: runT.cwd === undefined ? "/" : c.guestPath("run.cwd", runT.cwd),
    env,
    backends: backends as ("node" | "ion")[],
  };

  // [files]
  const files: MockFile[] = [];
  for (const [p, v] of Object.entries(c.table("files", doc.files))) {
    const where = `files.${p}`;
    if (!p.startsWith("/")) c.fail(where, `file path must be absolute: "${p}"`);
    if (typeof v === "string") files.push({ path: p, data: v, mode: 0o644 });
    else {
      const t = c.table(where, v);
      c.keys(where, t, ["data", "mode"]);
      files.push({ path: p, data: c.str(`${where}.data`, t.data), mode: t.mode === undefined ? 0o644 : c.int(`${where}.mode`, t.mode, 0, 0o7777) });
    }
  }

  // [[nics]]
  let nics: MockNic[] | undefined;
  if (doc.nics !== undefined) {
    if (!Array.isArray(doc.nics)) c.fail("nics", `"nics" must be an array of tables ([[nics]])`);
    nics = (doc.nics as unknown[]).map((n, i) => {
      const where = `nics[${i}]`;
      const t = c.table(where, n);
      c.keys(where, t, ["driver", "pci", "at"]);
      const nic: MockNic = {
        driver: t.driver === undefined ? "e1000" : c.str(`${where}.driver`, t.driver),
        pci: t.pci === undefined ? "00:03.0" : c.str(`${where}.pci`, t.pci),
        at: t.at === undefined ? 0 : c.num(`${where}.at`, t.at),
      };
      try {
        nicSchemeName(nic);
      } catch (e) {
        c.fail(`${where}.pci`, (e as Error).message);
      }
      return nic;
    });
  }

  // [netstack]
  const ns = c.table("netstack", doc.netstack);
  c.keys("netstack", ns, ["netcfg_at", "mac", "naming"]);
  let eras = UNPINNED_ERAS;
  if (ns.naming !== undefined) {
    const n = c.str("netstack.naming", ns.naming);
    if (!ERAS.includes(n as NamingEra)) c.fail("netstack.naming", `"naming" must be one of ${ERAS.join(", ")}, got "${n}"`);
    eras = [n as NamingEra];
  }

  // [image]
  const img = c.table("image", doc.image);
  c.keys("image", img, ["without"]);
  const missing = img.without === undefined ? [] : c.strs("image.without", img.without);
  let mac: string | null | undefined;
  if (ns.mac !== undefined) {
    const m = c.str("netstack.mac", ns.mac);
    if (m !== "none" && !parseMac(m)) c.fail("netstack.mac", `"mac" must look like 52-54-00-12-34-56 or be "none"`);
    mac = m === "none" ? null : m;
  }

  // [dhcp]
  let dhcp: DhcpServer | null = null;
  if (doc.dhcp !== undefined) {
    const d = c.table("dhcp", doc.dhcp);
    c.keys("dhcp", d, ["server", "reply_after", "ack", "ip", "prefix", "gateway", "dns", "background"]);
    const server = d.server === undefined ? true : c.bool("dhcp.server", d.server);
    if (server && d.ip === undefined) c.fail("dhcp", `[dhcp] with server = true needs "ip"`);
    dhcp = {
      server,
      replyAfter: d.reply_after === undefined ? 1 : c.num("dhcp.reply_after", d.reply_after),
      ack: d.ack === undefined ? true : c.bool("dhcp.ack", d.ack),
      ip: d.ip === undefined ? "0.0.0.0" : c.ip("dhcp.ip", d.ip),
      prefix: d.prefix === undefined ? undefined : c.int("dhcp.prefix", d.prefix, 0, 32),
      gateway: d.gateway === undefined ? undefined : c.ip("dhcp.gateway", d.gateway),
      dns: d.dns === undefined ? undefined : c.ip("dhcp.dns", d.dns),
      background: d.background === undefined ? false : c.bool("dhcp.background", d.background),
    };
  }

  // [[reject]]
  const rejections: MockRejection[] = [];
  if (doc.reject !== undefined) {
    if (!Array.isArray(doc.reject)) c.fail("reject", `"reject" must be an array of tables ([[reject]])`);
    (doc.reject as unknown[]).forEach((r, i) => {
      const where = `reject[${i}]`;
      const t = c.table(where, r);
      c.keys(where, t, ["path", "errno", "from", "until"]);
      const errno = t.errno === undefined ? "EINVAL" : c.str(`${where}.errno`, t.errno);
      if (!ERRNOS.includes(errno as Errno)) c.fail(`${where}.errno`, `unknown errno "${errno}" (${ERRNOS.join(" ")})`);
      if (t.path === undefined) c.fail(where, `[[reject]] needs "path"`);
      rejections.push({
        path: c.guestPath(`${where}.path`, t.path),
        errno: errno as Errno,
        from: t.from === undefined ? 0 : c.num(`${where}.from`, t.from),
        until: t.until === undefined ? undefined : c.num(`${where}.until`, t.until),
      });
    });
  }

  // [network]
  const net = c.table("network", doc.network);
  c.keys("network", net, ["reachable", "rtt_ms"]);
  const reachable = net.reachable === undefined ? [] : c.strs("network.reachable", net.reachable);
  reachable.forEach((h) => c.ip("network.reachable", h));

  const mock: MockConfig = {
    files,
    baseFiles: doc.base_files === undefined ? true : c.bool("base_files", doc.base_files),
    nics,
    netcfgAt: ns.netcfg_at === undefined ? undefined : c.num("netstack.netcfg_at", ns.netcfg_at),
    mac,
    dhcp,
    rejections,
    reachable,
    rttMs: net.rtt_ms === undefined ? undefined : c.num("network.rtt_ms", net.rtt_ms),
    uid: run.uid,
    cwd: run.cwd,
  };

  const lines = keyLines(text);
  return { file: shown, description, run, mock, expect: parseExpect(c, doc.expect), eras, missing, line: (k) => lines.get(k) ?? 1 };
}

/** The names `{dev}` and `{lo}` stand for in an era. */
function placeholders(t: Template, era: NamingEra): Record<string, string | undefined> {
  if (era === "eth0") return { dev: "eth0", lo: "loopback" };
  // The interface a script must pick: the first adapter's, in name order.
  const names = (t.mock.nics ?? [{ driver: "e1000", pci: "00:03.0", at: 0 }]).map((n) => nicInterfaceName(n)).sort();
  return { dev: names[0], lo: "lo" };
}

/** Instantiate a template for one variant (see the module comment). */
function forVariant(t: Template, want: Partial<Variant> = {}): Scenario {
  const era = want.era ?? t.eras[0]!;
  const missing = [...new Set([...t.missing, ...(want.missing ?? [])])].sort();
  const names = placeholders(t, era);
  const fill = (v: string): string =>
    v.replace(/\{(dev|lo)\}/g, (m, key: string) => {
      const name = names[key];
      if (name === undefined) throw new ScenarioError(`${t.file}:${t.line("expect")}: ${m} used, but the scenario has no NIC`);
      return name;
    });
  const deep = <T>(v: T): T => {
    if (typeof v === "string") return fill(v) as T;
    if (Array.isArray(v)) return v.map(deep) as T;
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [fill(k), deep(x)])) as T;
    return v;
  };
  const expect = deep(t.expect);
  // An image without sleep runs none: the runtime falls back to its own delay.
  if (missing.includes("sleep")) {
    if (expect.commands) expect.commands = expect.commands.filter((a) => a[0] !== "sleep");
    if (expect.commands_include) expect.commands_include = expect.commands_include.filter((a) => a[0] !== "sleep");
  }
  return {
    file: t.file,
    description: t.description,
    run: t.run,
    mock: {
      ...t.mock,
      naming: era,
      missingCommands: missing,
      rejections: (t.mock.rejections ?? []).map((r) => ({ ...r, path: fill(r.path) })),
    },
    expect,
    variant: { era, missing },
    variants: t.eras.map((e) => ({ era: e, missing: [...t.missing].sort() })),
  };
}

function parseExpect(c: Checker, v: unknown): Expectations {
  const t = c.table("expect", v);
  const known = [
    "status", "statuses", "stdout", "stdout_contains", "stdout_lacks", "stderr", "stderr_contains",
    "addr", "ifaces", "routes", "nameserver", "commands", "commands_include", "commands_exclude", "processes_at_most",
    "network_by", "usable_by", "network_never", "log_contains", "finished_by", "files_absent", "files",
  ];
  c.keys("expect", t, known);
  if (Object.keys(t).length === 0) c.fail("expect", `[expect] must check at least one thing`);
  const e: Expectations = {};
  const w = (k: string) => `expect.${k}`;
  if (t.status !== undefined) e.status = c.int(w("status"), t.status, 0, 255);
  if (t.statuses !== undefined) {
    if (!Array.isArray(t.statuses)) c.fail(w("statuses"), `"statuses" must be an array of integers`);
    e.statuses = (t.statuses as unknown[]).map((s) => c.int(w("statuses"), s, 0, 255));
  }
  if (t.stdout !== undefined) e.stdout = c.str(w("stdout"), t.stdout);
  if (t.stdout_contains !== undefined) e.stdout_contains = c.strs(w("stdout_contains"), t.stdout_contains);
  if (t.stdout_lacks !== undefined) e.stdout_lacks = c.strs(w("stdout_lacks"), t.stdout_lacks);
  if (t.stderr !== undefined) e.stderr = c.str(w("stderr"), t.stderr);
  if (t.stderr_contains !== undefined) e.stderr_contains = c.strs(w("stderr_contains"), t.stderr_contains);
  if (t.addr !== undefined) {
    e.addr = c.str(w("addr"), t.addr);
    if (e.addr !== "Not configured" && !parseCidr(e.addr)) c.fail(w("addr"), `"addr" must be A.B.C.D/N or "Not configured"`);
  }
  if (t.ifaces !== undefined) {
    e.ifaces = {};
    for (const [name, v] of Object.entries(c.table(w("ifaces"), t.ifaces))) e.ifaces[name] = c.str(`expect.ifaces.${name}`, v);
  }
  if (t.routes !== undefined) e.routes = c.strs(w("routes"), t.routes);
  if (t.nameserver !== undefined) e.nameserver = c.ip(w("nameserver"), t.nameserver);
  if (t.commands !== undefined) e.commands = c.argvs(w("commands"), t.commands);
  if (t.commands_include !== undefined) e.commands_include = c.argvs(w("commands_include"), t.commands_include);
  if (t.commands_exclude !== undefined) e.commands_exclude = c.strs(w("commands_exclude"), t.commands_exclude);
  if (t.processes_at_most !== undefined) e.processes_at_most = c.int(w("processes_at_most"), t.processes_at_most, 0);
  if (t.network_by !== undefined) e.network_by = c.num(w("network_by"), t.network_by);
  if (t.usable_by !== undefined) e.usable_by = c.num(w("usable_by"), t.usable_by);
  if (t.log_contains !== undefined) e.log_contains = c.strs(w("log_contains"), t.log_contains);
  if (t.network_never !== undefined) e.network_never = c.bool(w("network_never"), t.network_never);
  if (t.finished_by !== undefined) e.finished_by = c.num(w("finished_by"), t.finished_by);
  if (t.files_absent !== undefined) e.files_absent = c.strs(w("files_absent"), t.files_absent);
  if (t.files !== undefined) {
    e.files = {};
    for (const [p, content] of Object.entries(c.table(w("files"), t.files))) {
      if (!p.startsWith("/")) c.fail(`expect.files.${p}`, `file path must be absolute: "${p}"`);
      e.files[p] = c.str(`expect.files.${p}`, content);
    }
  }
  return e;
}
