/**
 * THE model of netstack's `/scheme/netcfg` (docs/mock-redox.md,
 * docs/redox-contract.md §1; upstream redox-os/base
 * netstack/src/scheme/netcfg/{mod.rs,nodes.rs}, netstack/src/router/route_table.rs).
 *
 * Every rule lives here and nowhere else: the fixed tree, snapshot reads,
 * write-time parsing, one line per open, commit on close/fsync and dead fds,
 * the per-node rules and the route table. Paths given to this module are
 * relative to `/scheme/netcfg`.
 *
 * Two naming eras of `ifaces/`:
 *   - "eth0": older netstack hard-codes one interface, `eth0`; no `lo`; the
 *     loopback rule names the device `loopback`.
 *   - "pci": newer builds list `lo` (127.0.0.1/8, no MAC) plus one interface
 *     per network adapter, named after its PCI path
 *     (`pci-0000-00-04.0_e1000`); rules name the interface (`dev lo`,
 *     `dev pci-…`). Interfaces can be added after the scheme appeared.
 * Any other path under ifaces/ is EINVAL in both eras, `eth0` in the newer one.
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

/** One route/list line (docs/redox-contract.md, Reads): `default` or `<cidr> `, ` via gw`, ` dev d src ip`. */
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

/** What changed at a commit, for the timeline ("lo": anything written to the loopback interface). */
export type NetcfgChange = "addr" | "route" | "nameserver" | "mac" | "lo";

/** How netstack names its interfaces (see the module comment). */
export type NamingEra = "eth0" | "pci";

/** The loopback interface of the "pci" era. */
export const LOOPBACK = "lo";

/** One interface under ifaces/. */
export interface Iface {
  name: string;
  addr: Cidr | null;
  mac: number[] | null;
}

export interface NetcfgOptions {
  /** default "eth0" */
  era?: NamingEra;
  /** "pci" era: the NIC interfaces present when netstack starts (more can be added). */
  nics?: string[];
  /** MAC of the first NIC interface (later ones count up from it); null = "Not configured". */
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
  readonly era: NamingEra;
  /** Every interface, by name (sorted when listed). */
  readonly ifaces = new Map<string, Iface>();
  routes: Rule[];
  nameserver: number;
  readonly rejections: InjectedRejection[];
  private readonly firstMac: number[] | null;
  private readonly now: () => number;
  private readonly onChange?: (what: NetcfgChange, model: NetcfgModel) => void;
  private readonly root: Node & { kind: "dir" };
  private readonly ifacesDir: Node & { kind: "dir" };

  constructor(opts: NetcfgOptions = {}) {
    this.era = opts.era ?? "eth0";
    this.firstMac = opts.mac === undefined ? [0x52, 0x54, 0x00, 0x12, 0x34, 0x56] : opts.mac;
    this.nameserver = parseIpv4("8.8.8.8")!;
    const loopback = { addr: parseIpv4("127.0.0.1")!, prefix: 8 };
    this.routes = [{ filter: network(loopback), via: null, dev: this.era === "eth0" ? "loopback" : LOOPBACK, src: loopback.addr }];
    this.rejections = opts.rejections ?? [];
    this.now = opts.now ?? (() => 0);
    this.onChange = opts.onChange;
    this.ifacesDir = { kind: "dir", children: new Map() };
    this.root = this.buildTree(this.ifacesDir);
    if (this.era === "eth0") this.addIface("eth0", null, this.firstMac);
    else {
      this.addIface(LOOPBACK, loopback, null);
      for (const name of opts.nics ?? []) this.addNic(name);
    }
  }

  /** "pci" era: a network adapter's interface appears (netstack picked up its driver). */
  addNic(name: string): void {
    if (this.era !== "pci") throw new Error("internal: only the pci era adds interfaces");
    if (this.ifaces.has(name)) return;
    const nth = [...this.ifaces.keys()].filter((n) => n !== LOOPBACK).length;
    const mac = this.firstMac ? [...this.firstMac.slice(0, 5), (this.firstMac[5]! + nth) % 256] : null;
    this.addIface(name, null, mac);
  }

  private addIface(name: string, addr: Cidr | null, mac: number[] | null): void {
    const iface: Iface = { name, addr, mac };
    this.ifaces.set(name, iface);
    this.ifacesDir.children.set(name, this.ifaceNode(iface));
  }

  /**
   * The interface a DHCP client or a script configures: the first one in
   * name order that is not the loopback (`eth0` in the older era); null when
   * only `lo` exists.
   */
  primary(): Iface | null {
    const names = [...this.ifaces.keys()].filter((n) => n !== LOOPBACK).sort();
    return names.length > 0 ? this.ifaces.get(names[0]!)! : null;
  }

  /** The primary interface's address (null while it has none, or there is none). */
  get addr(): Cidr | null {
    return this.primary()?.addr ?? null;
  }

  /** The primary interface's MAC. */
  get mac(): number[] | null {
    return this.primary()?.mac ?? null;
  }

  // ---- state as text ----

  /** addr/list of `iface` (default: the primary interface). */
  addrListText(iface: string | null = this.primary()?.name ?? null): string {
    const i = iface === null ? undefined : this.ifaces.get(iface);
    return i?.addr ? `${formatCidr(i.addr)}\n` : "Not configured\n";
  }
  routeListText(): string {
    return this.routes.map((r) => `${formatRule(r)}\n`).join("");
  }
  nameserverText(): string {
    return `${formatIpv4(this.nameserver)}\n`;
  }
  macText(iface: string | null = this.primary()?.name ?? null): string {
    const i = iface === null ? undefined : this.ifaces.get(iface);
    return i?.mac ? `${formatMac(i.mac)}\n` : "Not configured\n";
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
  private changeSrc(dev: string, from: number, to: number): void {
    for (const r of this.routes) if (r.dev === dev && r.src === from) r.src = to;
  }

  // ---- tree ----

  private buildTree(ifaces: Node): Node & { kind: "dir" } {
    const dir = (children: Record<string, Node>): Node & { kind: "dir" } => ({ kind: "dir", children: new Map(Object.entries(children)) });
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
      ifaces,
    });
  }

  /** The nodes of one interface: mac (rw), addr/list (ro), addr/set (wo). */
  private ifaceNode(iface: Iface): Node {
    const dir = (children: Record<string, Node>): Node => ({ kind: "dir", children: new Map(Object.entries(children)) });
    const changed = (what: NetcfgChange) => this.onChange?.(iface.name === LOOPBACK ? "lo" : what, this);
    return dir({
      mac: {
        kind: "file",
        read: () => this.macText(iface.name),
        writer: () =>
          oneLine(
            (line) => {
              const mac = parseMac(line);
              if (!mac || (mac[0]! & 1) === 1) fail("EINVAL");
              return mac!;
            },
            (mac) => {
              if (mac === undefined) return;
              iface.mac = mac;
              changed("mac");
            },
          ),
      },
      addr: dir({
        list: { kind: "file", read: () => this.addrListText(iface.name) },
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
                if (cidr !== undefined) this.setAddr(cidr, iface.name);
              },
            ),
        },
      }),
    });
  }

  /** `default via GW` or `CIDR via GW`; the gateway must be unicast and reachable (docs/redox-contract.md, Writes). */
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

  /**
   * addr/set commit on `dev` (default: the primary interface): drop the old
   * network's rule, rewrite src in the interface's rules, add the connected rule.
   */
  setAddr(cidr: Cidr, dev: string = this.primary()?.name ?? "eth0"): void {
    const iface = this.ifaces.get(dev);
    if (!iface) throw new Error(`internal: no interface ${dev}`);
    if (iface.addr) {
      this.removeRule(network(iface.addr));
      this.changeSrc(dev, iface.addr.addr, cidr.addr);
    }
    iface.addr = { ...cidr };
    this.insertRule({ filter: network(cidr), via: null, dev, src: cidr.addr });
    if (dev === LOOPBACK) {
      this.onChange?.("lo", this);
      return;
    }
    this.onChange?.("addr", this);
    this.onChange?.("route", this);
  }

  private lookup(rel: string): Node | null {
    let node: Node = this.root;
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

  /** fstat; null where open would fail with EINVAL. */
  stat(rel: string): StatInfo | null {
    const node = this.lookup(rel);
    if (!node) return null;
    const readable = node.kind === "dir" || node.read !== undefined;
    const writable = node.kind === "file" && node.writer !== undefined;
    const mode = (readable ? 0o444 : 0) | (writable ? 0o222 : 0);
    return { kind: node.kind, mode, size: this.snapshot(node).length, uid: 0 };
  }

  /** Child names of a directory node (whether Redox can list netcfg directories depends on the era; see docs/mock-redox.md). */
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

/** One open netcfg fd (docs/redox-contract.md, Writes). */
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
