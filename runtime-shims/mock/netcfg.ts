/**
 * THE model of netstack's `/scheme/netcfg` (redox-guest-networking.md §1).
 *
 * Every rule of §1 lives here and nowhere else: the fixed tree (§1.1),
 * snapshot reads (§1.2), write-time parsing, one line per open, commit on
 * close/fsync and dead fds (§1.3), the per-node rules and the route table
 * (§1.4). Paths given to this module are relative to `/scheme/netcfg`.
 */
import { HostError, type Errno, type StatInfo } from "../host/types.ts";
import {
  contains,
  formatCidr,
  formatIpv4,
  formatMac,
  isBroadcast,
  isMulticast,
  isUnicast,
  isUnspecified,
  network,
  parseCidr,
  parseIpv4,
  parseMac,
  type Cidr,
} from "./ipv4.ts";

/** netstack's WRITE_BUFFER_MAX_SIZE. */
export const WRITE_BUFFER_MAX = 0xffff;

export interface Rule {
  filter: Cidr;
  via: number | null;
  dev: string;
  src: number;
}

/** One route/list line (§1.2): `default` or `<cidr> `, ` via gw`, ` dev d src ip`. */
export function formatRule(r: Rule): string {
  const filter = r.filter.prefix === 0 ? "default" : `${formatCidr(r.filter)} `;
  const via = r.via === null ? "" : ` via ${formatIpv4(r.via)}`;
  return `${filter}${via} dev ${r.dev} src ${formatIpv4(r.src)}`;
}

/** A write rejection injected by a scenario: writes to `node` fail with `errno` while active. */
export interface InjectedRejection {
  node: string;
  errno: Errno;
  from: number;
  until?: number;
}

/** What changed at a commit, for the timeline. */
export type NetcfgChange = "addr" | "route" | "nameserver" | "mac";

export interface NetcfgOptions {
  mac?: number[] | null;
  /** Clock used for injected rejections. */
  now?: () => number;
  rejections?: InjectedRejection[];
  onChange?: (what: NetcfgChange, model: NetcfgModel) => void;
}

/** Parses lines and commits them, like a netstack NodeWriter. */
interface Writer {
  writeLine(line: string): void;
  commit(): void;
}

type Node =
  | { kind: "dir"; children: Map<string, Node> }
  | { kind: "file"; read?: () => string; writer?: () => Writer };

class NetcfgErr extends Error {
  constructor(readonly code: Errno) {
    super(code);
  }
}
const fail = (code: Errno): never => {
  throw new NetcfgErr(code);
};

/** A writer holding at most one parsed value (each open takes exactly one line). */
function oneLine<T>(parse: (line: string) => T, apply: (v: T | undefined) => void): Writer {
  let value: T | undefined;
  let have = false;
  return {
    writeLine(line) {
      if (have) fail("EINVAL");
      value = parse(line);
      have = true;
    },
    commit() {
      apply(have ? value : undefined);
    },
  };
}

export class NetcfgModel {
  addr: Cidr | null = null;
  routes: Rule[];
  nameserver: number;
  mac: number[] | null;
  readonly rejections: InjectedRejection[];
  private readonly now: () => number;
  private readonly onChange?: (what: NetcfgChange, model: NetcfgModel) => void;
  private readonly root: Node;

  constructor(opts: NetcfgOptions = {}) {
    this.mac = opts.mac === undefined ? [0x52, 0x54, 0x00, 0x12, 0x34, 0x56] : opts.mac;
    this.nameserver = parseIpv4("8.8.8.8")!;
    this.routes = [{ filter: { addr: parseIpv4("127.0.0.0")!, prefix: 8 }, via: null, dev: "loopback", src: parseIpv4("127.0.0.1")! }];
    this.rejections = opts.rejections ?? [];
    this.now = opts.now ?? (() => 0);
    this.onChange = opts.onChange;
    this.root = this.buildTree();
  }

  // ---- state as text (§1.2) ----

  addrListText(): string {
    return this.addr ? `${formatCidr(this.addr)}\n` : "Not configured\n";
  }
  routeListText(): string {
    return this.routes.map((r) => `${formatRule(r)}\n`).join("");
  }
  nameserverText(): string {
    return `${formatIpv4(this.nameserver)}\n`;
  }
  macText(): string {
    return this.mac ? `${formatMac(this.mac)}\n` : "Not configured\n";
  }

  // ---- route table (netstack router/route_table.rs) ----

  /** Insert by binary search on prefix length: before any rule with an equal or longer prefix. */
  insertRule(rule: Rule): void {
    let lo = 0;
    let hi = this.routes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.routes[mid]!.filter.prefix < rule.filter.prefix) lo = mid + 1;
      else hi = mid;
    }
    this.routes.splice(lo, 0, rule);
  }
  /** Remove every rule whose filter is exactly `cidr`. */
  removeRule(cidr: Cidr): void {
    this.routes = this.routes.filter((r) => !(r.filter.addr === cidr.addr && r.filter.prefix === cidr.prefix));
  }
  /** Looked up from the end: the last matching rule wins (so the OLDER default wins). */
  lookupRule(addr: number): Rule | undefined {
    for (let i = this.routes.length - 1; i >= 0; i--) {
      if (contains(this.routes[i]!.filter, addr)) return this.routes[i];
    }
    return undefined;
  }
  private changeSrc(from: number, to: number): void {
    for (const r of this.routes) if (r.src === from) r.src = to;
  }

  // ---- tree (§1.1) ----

  private buildTree(): Node {
    const dir = (children: Record<string, Node>): Node => ({ kind: "dir", children: new Map(Object.entries(children)) });
    const changed = (what: NetcfgChange) => this.onChange?.(what, this);
    return dir({
      resolv: dir({
        nameserver: {
          kind: "file",
          read: () => this.nameserverText(),
          writer: () =>
            oneLine(
              (line) => {
                const ip = parseIpv4(line.trim());
                if (ip === null || isBroadcast(ip) || isMulticast(ip) || isUnspecified(ip)) fail("EINVAL");
                return ip!;
              },
              (ip) => {
                if (ip === undefined) return;
                this.nameserver = ip;
                changed("nameserver");
              },
            ),
        },
      }),
      route: dir({
        list: { kind: "file", read: () => this.routeListText() },
        add: {
          kind: "file",
          writer: () =>
            oneLine(
              (line) => this.parseRoute(line),
              (rule) => {
                // netstack's commit with nothing written is EINVAL (only fsync shows it).
                if (rule === undefined) fail("EINVAL");
                this.insertRule(rule!);
                changed("route");
              },
            ),
        },
        rm: {
          kind: "file",
          writer: () =>
            oneLine(
              (line) => parseCidr(line) ?? fail("EINVAL"),
              (cidr) => {
                if (cidr === undefined) fail("EINVAL");
                this.removeRule(cidr!);
                changed("route");
              },
            ),
        },
      }),
      ifaces: dir({
        eth0: dir({
          mac: {
            kind: "file",
            read: () => this.macText(),
            writer: () =>
              oneLine(
                (line) => {
                  const mac = parseMac(line);
                  if (!mac || (mac[0]! & 1) === 1) fail("EINVAL");
                  return mac!;
                },
                (mac) => {
                  if (mac === undefined) return;
                  this.mac = mac;
                  changed("mac");
                },
              ),
          },
          addr: dir({
            list: { kind: "file", read: () => this.addrListText() },
            set: {
              kind: "file",
              writer: () =>
                oneLine(
                  (line) => {
                    const cidr = parseCidr(line);
                    if (!cidr || !isUnicast(cidr.addr)) fail("EINVAL");
                    return cidr!;
                  },
                  (cidr) => {
                    if (cidr !== undefined) this.setAddr(cidr);
                  },
                ),
            },
          }),
        }),
      }),
    });
  }

  /** `default via GW` or `CIDR via GW`; the gateway must be unicast and reachable (§1.4). */
  private parseRoute(line: string): Rule {
    const words = line.split(/\s+/).filter((w) => w !== "");
    const first = words[0] ?? fail("EINVAL");
    const filter = first === "default" ? { addr: 0, prefix: 0 } : (parseCidr(first) ?? fail("EINVAL"));
    if (words[1] !== "via") fail("EINVAL");
    const via = parseIpv4(words[2] ?? "") ?? fail("EINVAL");
    if (!isUnicast(via)) fail("EINVAL");
    const through = this.lookupRule(via) ?? fail("EINVAL");
    return { filter, via, dev: through.dev, src: through.src };
  }

  /** addr/set commit: drop the old network's rule, rewrite src, add the connected rule. */
  setAddr(cidr: Cidr): void {
    if (this.addr) {
      this.removeRule(network(this.addr));
      this.changeSrc(this.addr.addr, cidr.addr);
    }
    this.addr = { ...cidr };
    this.insertRule({ filter: network(cidr), via: null, dev: "eth0", src: cidr.addr });
    this.onChange?.("addr", this);
    this.onChange?.("route", this);
  }

  private lookup(rel: string): Node | null {
    let node = this.root;
    for (const part of rel.split("/")) {
      if (part === "") continue; // empty segments are skipped
      if (node.kind !== "dir") return null;
      const next = node.children.get(part);
      if (!next) return null;
      node = next;
    }
    return node;
  }

  private snapshot(node: Node): string {
    if (node.kind === "dir") return [...node.children.keys()].sort().join("\n");
    return node.read ? node.read() : "";
  }

  // ---- the scheme's file operations ----

  /** fstat (§1.2); null where open would fail with EINVAL. */
  stat(rel: string): StatInfo | null {
    const node = this.lookup(rel);
    if (!node) return null;
    const readable = node.kind === "dir" || node.read !== undefined;
    const writable = node.kind === "file" && node.writer !== undefined;
    const mode = (readable ? 0o444 : 0) | (writable ? 0o222 : 0);
    return { kind: node.kind, mode, size: this.snapshot(node).length, uid: 0 };
  }

  /** Child names of a directory node (listing is UNCONFIRMED on Redox, §4.5). */
  children(rel: string): string[] | null {
    const node = this.lookup(rel);
    return node?.kind === "dir" ? [...node.children.keys()].sort() : null;
  }

  /** open(2): any unknown path is EINVAL; flags are ignored. `shownPath` names errors. */
  open(rel: string, uid: number, shownPath = `/scheme/netcfg/${rel}`): NetcfgFile {
    const node = this.lookup(rel);
    if (!node) throw new HostError("EINVAL", shownPath);
    const writer = node.kind === "file" && node.writer ? node.writer() : null;
    return new NetcfgFile(this, rel, this.snapshot(node), writer, uid, shownPath);
  }

  /** Read a node's whole snapshot (open + read + close). */
  read(rel: string, shownPath?: string): string {
    const f = this.open(rel, 0, shownPath);
    const text = f.content;
    f.close();
    return text;
  }

  /** The injected rejection active now for `rel`, if any. */
  activeRejection(rel: string): Errno | null {
    const norm = rel.split("/").filter((p) => p !== "").join("/");
    const t = this.now();
    for (const r of this.rejections) {
      if (r.node === norm && t >= r.from && (r.until === undefined || t < r.until)) return r.errno;
    }
    return null;
  }
}

/** One open netcfg fd (§1.3). */
export class NetcfgFile {
  private buf = "";
  private done = false;
  private closed = false;

  constructor(
    private readonly model: NetcfgModel,
    private readonly rel: string,
    /** The snapshot taken at open; reads ignore the offset. */
    readonly content: string,
    private readonly writer: Writer | null,
    private readonly uid: number,
    private readonly shownPath: string,
  ) {}

  private err(code: Errno): HostError {
    return new HostError(code, this.shownPath);
  }

  /** write(2): EBADF if dead, EACCES if not root, EMSGSIZE, then parse complete lines. */
  write(data: string): void {
    if (this.done || this.closed) throw this.err("EBADF");
    if (this.uid !== 0) throw this.err("EACCES");
    if (WRITE_BUFFER_MAX - Buffer.byteLength(this.buf) < Buffer.byteLength(data)) throw this.err("EMSGSIZE");
    this.buf += data;
    try {
      this.consumeLines();
    } catch (e) {
      this.done = true;
      if (e instanceof NetcfgErr) throw this.err(e.code);
      throw e;
    }
  }

  private consumeLines(): void {
    if (!this.writer) fail("EBADF");
    const injected = this.model.activeRejection(this.rel);
    const lines = this.buf.split("\n");
    const rest = lines.pop()!;
    if (lines.length === 0) return;
    for (const line of lines) {
      if (injected) fail(injected);
      this.writer!.writeLine(line);
    }
    this.buf = rest;
  }

  private commit(): void {
    if (!this.writer) return;
    if (this.buf !== "") {
      const injected = this.model.activeRejection(this.rel);
      if (injected) fail(injected);
      this.writer.writeLine(this.buf);
    }
    this.writer.commit();
    this.buf = "";
  }

  /** fsync(2): commit now, report its error, and the fd is dead afterwards either way. */
  sync(): void {
    if (this.done || this.closed) throw this.err("EBADF");
    this.done = true;
    try {
      this.commit();
    } catch (e) {
      if (e instanceof NetcfgErr) throw this.err(e.code);
      throw e;
    }
  }

  /** close(2): commits unless dead; a failing commit is silently dropped. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.done) return;
    try {
      this.commit();
    } catch (e) {
      if (!(e instanceof NetcfgErr)) throw e;
    }
  }
}
