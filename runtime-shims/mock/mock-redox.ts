/**
 * MockRedox: a Host that looks like a Redox guest (docs/mock-redox.md).
 *
 * - Everything outside /scheme lives in a real directory (FsRoot).
 * - /scheme lists the kernel and driver schemes; netstack's schemes (ip, tcp,
 *   udp, icmp, netcfg) appear when netstack registers them.
 * - /scheme/netcfg is the NetcfgModel, in one of two interface naming eras;
 *   /dev/null and /scheme/null are sinks.
 * - Commands are TypeScript shims (commands/); an image may lack some of
 *   them; every call is logged.
 * - Time is a Clock; scenario events (NICs, netstack, background DHCP lease)
 *   are scheduled on it. Every open of a /scheme resource by the guest (or a
 *   command it runs) costs SCHEME_OPEN_SECONDS of virtual time.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { HostError, type Errno, type ExecIO, type FileHandle, type Host, type StatInfo } from "../host/types.ts";
import { RealClock, Timeline, VirtualClock, type Clock } from "./clock.ts";
import { FsRoot, guestPath } from "./fs-root.ts";
import { LOOPBACK, NetcfgModel, type InjectedRejection, type NamingEra } from "./netcfg.ts";
import { parseIpv4, parseMac } from "./ipv4.ts";
import { SHIMS } from "./commands/index.ts";
import { applyOffer, type DhcpServer } from "./dhcp-client.ts";
import { SLEEP_FALLBACK } from "../runtime/sleep-fallback.ts";

export interface MockNic {
  driver: string;
  /** `[seg-]bus:dev.fn`, e.g. `00:03.0` */
  pci: string;
  /** when its driver registers the scheme */
  at: number;
}

export interface MockFile {
  path: string;
  data: string;
  mode: number;
}

export interface MockRejection {
  path: string;
  errno: Errno;
  from: number;
  until?: number;
}

export interface MockConfig {
  /** Directory backing the guest filesystem; a temporary one when omitted. */
  root?: string;
  /** How netstack names its interfaces: "eth0" (older, default) or "pci" (newer: lo + one per adapter). */
  naming?: NamingEra;
  /** Commands this image lacks (e.g. ["sleep"] for Nix-built images with a minimal uutils). */
  missingCommands?: string[];
  files?: MockFile[];
  /** Create base.toml's /etc/net files (default true). */
  baseFiles?: boolean;
  /** Default: one e1000 at 00:03.0 present from t = 0. */
  nics?: MockNic[];
  /** When netstack registers its schemes; default: when the last NIC appeared. */
  netcfgAt?: number;
  /** MAC of the (first) NIC interface; null = "Not configured". */
  mac?: string | null;
  dhcp?: DhcpServer | null;
  rejections?: MockRejection[];
  /** Hosts answering ping besides the DHCP gateway. */
  reachable?: string[];
  rttMs?: number;
  uid?: number;
  cwd?: string;
  clock?: "virtual" | "real";
  /** Passthrough of the guest's stdout/stderr (besides the captured copies). */
  out?: (s: string) => void;
  err?: (s: string) => void;
}

export interface CommandLogEntry {
  argv: string[];
  time: number;
}

/**
 * Virtual time one open of a /scheme resource costs (open, read or listing by
 * the guest or by a command it runs; a stat is free). Redox answers every
 * scheme call through a round trip to the scheme's owner; the estimate is the
 * one the runtime's sleep fallback is calibrated with
 * (runtime-shims/runtime/sleep-fallback.ts), so that a fallback delay of s
 * seconds advances the mock's clock by s (up to one tick more).
 */
export const SCHEME_OPEN_SECONDS: number = SLEEP_FALLBACK.SECONDS_PER_OPEN;

/** Kernel and base daemons' schemes, present from boot. */
const BASE_SCHEMES = ["debug", "event", "pipe", "proc", "sys", "time", "null", "log", "pty"];
/** netstack's schemes. */
const NETSTACK_SCHEMES = ["ip", "tcp", "udp", "icmp", "netcfg"];

export const BASE_ETC_NET: MockFile[] = [
  { path: "/etc/net/ip_router", data: "10.0.2.2\n", mode: 0o644 },
  { path: "/etc/net/dns", data: "9.9.9.9\n", mode: 0o644 },
  { path: "/etc/net/ip", data: "10.0.2.15\n", mode: 0o644 },
  { path: "/etc/net/ip_subnet", data: "255.255.255.0\n", mode: 0o644 },
];

/**
 * The driver scheme of a NIC: `network.pci-SS-BB-DD.F_driver` in the older
 * era (pcid printing the segment with two digits), `network.pci-SSSS-BB-DD.F_driver`
 * in the newer one (the PCI address as `{seg:04x}:{bus:02x}:{dev:02x}.{fn}`,
 * every `:` replaced by `-`; redox-os/drivers pcid/src/driver_interface/mod.rs).
 */
export function nicSchemeName(nic: Pick<MockNic, "driver" | "pci">, era: NamingEra = "eth0"): string {
  const m = /^(?:([0-9a-fA-F]{1,4})[-:])?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])$/.exec(nic.pci);
  if (!m) throw new Error(`bad PCI address '${nic.pci}' (want [seg:]bus:dev.fn)`);
  const hex = (s: string | undefined, n: number) => parseInt(s ?? "0", 16).toString(16).padStart(n, "0");
  return `network.pci-${hex(m[1], era === "eth0" ? 2 : 4)}-${hex(m[2], 2)}-${hex(m[3], 2)}.${m[4]}_${nic.driver}`;
}

/** The netcfg interface of a NIC in the newer era: its driver scheme without `network.`. */
export function nicInterfaceName(nic: Pick<MockNic, "driver" | "pci">): string {
  return nicSchemeName(nic, "pci").slice("network.".length);
}

export class MockRedox implements Host {
  readonly clock: Clock;
  readonly timeline: Timeline;
  readonly fsRoot: FsRoot;
  readonly commandLog: CommandLogEntry[] = [];
  /** null until netstack registers netcfg (and forever without a NIC). */
  netcfg: NetcfgModel | null = null;
  readonly dhcp: DhcpServer | null;
  readonly rttMs: number;
  readonly naming: NamingEra;
  stdoutText = "";
  stderrText = "";
  /** Lines written to /scheme/log (init units' output, background dhcpd). */
  logText = "";

  private readonly schemes = new Set<string>(BASE_SCHEMES);
  private readonly reachable: Set<number>;
  private readonly rejections: MockRejection[];
  private readonly guestUid: number;
  private readonly guestCwd: string;
  private readonly macBytes: number[] | null;
  private readonly missing: Set<string>;
  private readonly out?: (s: string) => void;
  private readonly err?: (s: string) => void;

  constructor(readonly config: MockConfig = {}) {
    this.clock = config.clock === "real" ? new RealClock() : new VirtualClock();
    this.timeline = new Timeline(this.clock);
    this.fsRoot = new FsRoot(config.root);
    this.guestUid = config.uid ?? 0;
    this.guestCwd = guestPath(config.cwd ?? "/", "/");
    this.dhcp = config.dhcp ?? null;
    this.rttMs = config.rttMs ?? 0.734;
    this.rejections = config.rejections ?? [];
    this.naming = config.naming ?? "eth0";
    this.missing = new Set(config.missingCommands ?? []);
    this.out = config.out;
    this.err = config.err;
    this.macBytes = config.mac === null ? null : parseMac(config.mac ?? "52-54-00-12-34-56");
    if (config.mac && !this.macBytes) throw new Error(`bad MAC '${config.mac}'`);

    const hosts = [...(config.reachable ?? [])];
    if (this.dhcp?.server && this.dhcp.gateway) hosts.push(this.dhcp.gateway);
    this.reachable = new Set(
      hosts.map((h) => {
        const v = parseIpv4(h);
        if (v === null) throw new Error(`bad reachable address '${h}'`);
        return v;
      }),
    );

    for (const d of ["/dev", "/etc/net", "/usr/bin", "/usr/lib", "/tmp", "/root", "/home"]) this.fsRoot.mkdirs(d);
    fs.chmodSync(this.fsRoot.hostPath("/tmp"), 0o1777); // anyone may create files in /tmp
    // base files never overwrite what a persistent --root already holds
    if (config.baseFiles !== false)
      for (const f of BASE_ETC_NET) if (!fs.existsSync(this.fsRoot.hostPath(f.path))) this.fsRoot.put(f.path, f.data, f.mode);
    for (const f of config.files ?? []) this.fsRoot.put(guestPath(f.path, "/"), f.data, f.mode);
    this.fsRoot.mkdirs(this.guestCwd);

    this.scheduleBoot(config.nics ?? [{ driver: "e1000", pci: "00:03.0", at: 0 }], config.netcfgAt);
    this.clock.pump();
  }

  /** Boot events: driver schemes, netstack registering its schemes, init's dhcpd unit. */
  private scheduleBoot(nics: MockNic[], netcfgAt: number | undefined): void {
    for (const nic of nics) {
      const name = nicSchemeName(nic, this.naming);
      this.clock.schedule(nic.at, `nic ${name}`, () => {
        this.schemes.add(name);
        this.timeline.record("nic", name);
        // A newer netstack already running picks up the adapter as a new interface.
        if (this.naming === "pci" && this.netcfg) this.nicInterfaceUp(nicInterfaceName(nic));
      });
    }
    const startAt = netcfgAt ?? Math.max(0, ...nics.map((n) => n.at));
    this.clock.schedule(startAt, "netstack", () => {
      const adapters = [...this.schemes].filter((s) => s.startsWith("network")).sort();
      const model = {
        era: this.naming,
        mac: this.macBytes,
        now: () => this.clock.now(),
        rejections: this.netcfgRejections(),
        onChange: (what: Parameters<MockRedox["recordChange"]>[0], m: NetcfgModel) => this.recordChange(what, m),
      };
      if (this.naming === "pci") {
        // Newer builds: lo plus one interface per adapter; netstack runs with lo alone.
        this.netcfg = new NetcfgModel({ ...model, nics: adapters.map((a) => a.slice("network.".length)) });
        for (const s of NETSTACK_SCHEMES) this.schemes.add(s);
        this.timeline.record("netcfg-up", adapters.join(" ") || LOOPBACK);
        if (adapters.length > 0) this.primaryInterfaceUp();
        return;
      }
      // Older netstack uses the first network.* entry as eth0 and exits when there is none.
      if (adapters.length === 0) {
        this.log("netstack: no network adapter found\n");
        this.timeline.record("netstack-exit", "no adapter");
        return;
      }
      if (adapters.length > 1) this.log(`netstack: Multiple network adapters found. Only ${adapters[0]} will be used\n`);
      this.netcfg = new NetcfgModel(model);
      for (const s of NETSTACK_SCHEMES) this.schemes.add(s);
      this.timeline.record("netcfg-up", adapters[0]!);
      this.primaryInterfaceUp();
    });
  }

  /** A NIC interface appears in a running newer netstack. */
  private nicInterfaceUp(name: string): void {
    const hadPrimary = this.netcfg!.primary() !== null;
    this.netcfg!.addNic(name);
    this.timeline.record("iface", name);
    if (!hadPrimary) this.primaryInterfaceUp();
  }

  /** The interface dhcpd configures exists: init's dhcpd unit can start. */
  private primaryInterfaceUp(): void {
    if (this.dhcp?.background) this.startBackgroundDhcp(this.clock.now());
  }

  private netcfgRejections(): InjectedRejection[] {
    return this.rejections
      .filter((r) => guestPath(r.path, "/").startsWith("/scheme/netcfg/"))
      .map((r) => ({ node: guestPath(r.path, "/").slice("/scheme/netcfg/".length), errno: r.errno, from: r.from, until: r.until }));
  }

  private recordChange(what: string, model: NetcfgModel): void {
    // A script must never configure the loopback interface.
    if (what === "lo") {
      this.timeline.record("lo-write", model.addrListText(LOOPBACK).trim());
      return;
    }
    // "usable": an address and a default route, the first time both hold
    if (model.addr && model.routes.some((r) => r.filter.prefix === 0 && r.via !== null) && this.timeline.first("usable") === null)
      this.timeline.record("usable", model.addrListText().trim());
    if (what === "addr") this.timeline.record("addr", model.addrListText().trim());
    else if (what === "route") this.timeline.record("route", model.routeListText());
    else if (what === "nameserver") this.timeline.record("nameserver", model.nameserverText().trim());
    else this.timeline.record(what, model.macText().trim());
  }

  /** init's 10_dhcpd.service: dhcpd runs as root on its own, output to /scheme/log. */
  private startBackgroundDhcp(start: number): void {
    const server = this.dhcp!;
    this.timeline.record("dhcpd-unit", "start");
    if (!server.server) {
      this.clock.schedule(start + 30, "background dhcpd gives up", () => {
        this.log("dhcpd: failed to receive offer: Resource temporarily unavailable (os error 11)\n");
        this.timeline.record("dhcpd-unit", "exit 1");
      });
      return;
    }
    this.clock.schedule(start + server.replyAfter, "background dhcp lease", () => {
      const err = applyOffer(this.dhcpDevice(), (p) => this.openAs(p, "write", 0), server, {
        verbose: false,
        print: (line) => this.log(`${line}\n`),
        read: (p) => this.readAs(p),
      });
      if (err) {
        this.log(`dhcpd: ${err}\n`);
        this.timeline.record("dhcpd-unit", "exit 1");
      } else {
        this.timeline.record("dhcp-lease", `${server.ip}`);
        if (!server.ack)
          this.clock.schedule(this.clock.now() + 30, "background dhcpd ack timeout", () =>
            this.log("dhcpd: failed to receive ack: Resource temporarily unavailable (os error 11)\n"),
          );
      }
    });
  }

  log(s: string): void {
    this.logText += s;
  }

  // ---- queries used by the command shims ----

  schemeNames(): string[] {
    return [...this.schemes].sort();
  }

  /**
   * The interface dhcpd configures: `eth0` in the older era (hard-coded in
   * dhcpd); in the newer one the first interface that is not `lo`, which is
   * what the Nix images' dhcpd wrapper discovers and passes on. null while
   * netcfg has no such interface.
   */
  dhcpDevice(): string {
    return this.netcfg?.primary()?.name ?? (this.naming === "eth0" ? "eth0" : "");
  }

  /** True when a ping from the guest to `dest` gets an answer (see docs/mock-redox.md). */
  pingAnswers(dest: number): boolean {
    const nc = this.netcfg;
    if (!nc) return false;
    if (dest >>> 24 === 127) return true;
    if (!nc.addr) return false;
    if (dest === nc.addr.addr) return true;
    const rule = nc.lookupRule(dest);
    if (!rule || rule.dev !== nc.primary()!.name || rule.src !== nc.addr.addr) return false;
    if (rule.via !== null && !this.reachable.has(rule.via)) return false;
    return this.reachable.has(dest);
  }

  /** Whether this image has the command `name` (a shim exists and the image does not lack it). */
  hasCommand(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(SHIMS, name) && !this.missing.has(name);
  }

  /** Every command this image provides. */
  commandNames(): string[] {
    return Object.keys(SHIMS).filter((n) => !this.missing.has(n)).sort();
  }

  /** A guest (or one of its commands) opens a /scheme resource: that costs time (SCHEME_OPEN_SECONDS). */
  private chargeSchemeOpen(g: string): void {
    if ((g === "/scheme" || g.startsWith("/scheme/")) && this.clock instanceof VirtualClock) this.clock.sleep(SCHEME_OPEN_SECONDS);
  }

  // ---- Host ----

  cwd(): string {
    return this.guestCwd;
  }
  uid(): number {
    return this.guestUid;
  }

  private abs(p: string): string {
    return guestPath(p, this.guestCwd);
  }

  /** Where a normalised guest path lives. */
  private classify(
    g: string,
  ):
    | { kind: "null" }
    | { kind: "scheme-root" }
    | { kind: "netcfg"; rel: string }
    | { kind: "scheme"; name: string; rest: string }
    | { kind: "shim"; name: string }
    | { kind: "file"; host: string } {
    if (g === "/dev/null" || g === "/scheme/null") return { kind: "null" };
    // The guest's own stdio (ion-sim opens these itself). Modelled as present,
    // as in the real-ion sandbox; the compiled code also copes without them.
    if (g === "/dev/stderr" || g === "/dev/stdout") return { kind: "null" };
    if (g === "/scheme") return { kind: "scheme-root" };
    if (g.startsWith("/scheme/")) {
      const rest = g.slice("/scheme/".length);
      const slash = rest.indexOf("/");
      const name = slash < 0 ? rest : rest.slice(0, slash);
      const sub = slash < 0 ? "" : rest.slice(slash + 1);
      if (name === "netcfg" && this.netcfg) return { kind: "netcfg", rel: sub };
      return { kind: "scheme", name, rest: sub };
    }
    const bin = /^\/(?:usr\/)?bin\/([^/]+)$/.exec(g);
    if (bin && this.hasCommand(bin[1]!) && !fs.existsSync(this.fsRoot.hostPath(g))) return { kind: "shim", name: bin[1]! };
    return { kind: "file", host: this.fsRoot.hostPath(g) };
  }

  stat(p: string): StatInfo | null {
    this.clock.pump();
    if (p === "") return null;
    const c = this.classify(this.abs(p));
    switch (c.kind) {
      case "null":
        return { kind: "file", mode: 0o666, size: 0, uid: 0 };
      case "scheme-root":
        return { kind: "dir", mode: 0o755, size: 0, uid: 0 };
      case "netcfg":
        return this.netcfg!.stat(c.rel);
      case "scheme":
        return this.schemes.has(c.name) && c.rest === "" ? { kind: "dir", mode: 0o755, size: 0, uid: 0 } : null;
      case "shim":
        return { kind: "file", mode: 0o755, size: 0, uid: 0 };
      case "file":
        try {
          const st = fs.statSync(c.host);
          return { kind: st.isDirectory() ? "dir" : "file", mode: st.mode & 0o7777, size: st.size, uid: 0 };
        } catch {
          return null;
        }
    }
  }

  readFile(p: string): string {
    this.clock.pump();
    this.chargeSchemeOpen(this.abs(p));
    return this.readAs(p);
  }

  /** readFile without the time cost: init's services reading on their own. */
  readAs(p: string): string {
    this.clock.pump();
    const g = this.abs(p);
    const c = this.classify(g);
    switch (c.kind) {
      case "null":
        return "";
      case "netcfg":
        return this.netcfg!.read(c.rel, g);
      case "scheme-root":
        throw new HostError("EISDIR", p);
      case "scheme":
        throw new HostError(this.schemes.has(c.name) ? "EISDIR" : "ENOENT", p);
      case "shim":
        throw new HostError("EACCES", p, "binary shim");
      case "file":
        try {
          return fs.readFileSync(c.host, "utf8");
        } catch (e) {
          throw hostErr(e, p);
        }
    }
  }

  open(p: string, mode: "write" | "append"): FileHandle {
    this.clock.pump();
    this.chargeSchemeOpen(this.abs(p));
    return this.openAs(p, mode, this.guestUid);
  }

  /** open(2) for writing as `uid`, without the time cost (background services run as root on their own). */
  openAs(p: string, mode: "write" | "append", uid: number): FileHandle {
    this.clock.pump();
    const g = this.abs(p);
    const c = this.classify(g);
    switch (c.kind) {
      case "null":
        return { write() {}, sync() {}, close() {} };
      case "netcfg":
        return this.netcfg!.open(c.rel, uid, g);
      case "scheme-root":
        throw new HostError("EISDIR", p);
      case "scheme":
        if (c.name === "log" && c.rest === "") return { write: (d) => this.log(d), sync() {}, close() {} };
        throw new HostError(this.schemes.has(c.name) ? "EACCES" : "ENOENT", p);
      case "shim":
        throw new HostError("EACCES", p);
      case "file":
        return this.openFile(c.host, g, p, mode, uid);
    }
  }

  private openFile(host: string, g: string, shown: string, mode: "write" | "append", uid: number): FileHandle {
    let st: fs.Stats | null = null;
    try {
      st = fs.statSync(host);
    } catch {
      /* created below */
    }
    if (st?.isDirectory()) throw new HostError("EISDIR", shown);
    if (uid !== 0) {
      // Guest files are root's: others need the o+w bit (on the file, or on the parent to create).
      const target = st ? st.mode : (() => {
        try {
          return fs.statSync(path.dirname(host)).mode;
        } catch {
          return 0o777;
        }
      })();
      if ((target & 0o002) === 0) throw new HostError("EACCES", shown);
    }
    let fd: number;
    try {
      // A file with an injected rejection is left untouched (no truncation at open).
      const flags = this.fileRejection(g) && st ? "r+" : mode === "write" ? "w" : "a";
      fd = fs.openSync(host, flags);
    } catch (e) {
      throw hostErr(e, shown);
    }
    const rejection = () => this.fileRejection(g);
    let dead = false;
    let closed = false;
    return {
      write(data: string) {
        if (dead || closed) throw new HostError("EBADF", shown);
        const r = rejection();
        if (r) {
          dead = true;
          throw new HostError(r, shown);
        }
        fs.writeSync(fd, data);
      },
      sync() {
        if (closed) throw new HostError("EBADF", shown);
        const r = rejection();
        if (r) throw new HostError(r, shown);
      },
      close() {
        if (closed) return;
        closed = true;
        fs.closeSync(fd);
      },
    };
  }

  private fileRejection(g: string): Errno | null {
    const t = this.clock.now();
    for (const r of this.rejections) {
      if (guestPath(r.path, "/") === g && t >= r.from && (r.until === undefined || t < r.until)) return r.errno;
    }
    return null;
  }

  listDir(p: string): string[] {
    this.clock.pump();
    const g = this.abs(p);
    this.chargeSchemeOpen(g);
    const c = this.classify(g);
    switch (c.kind) {
      case "scheme-root":
        return this.schemeNames();
      case "netcfg": {
        const names = this.netcfg!.children(c.rel);
        if (names) return names;
        throw new HostError(this.netcfg!.stat(c.rel) ? "ENOTDIR" : "EINVAL", p);
      }
      case "scheme":
        throw new HostError(this.schemes.has(c.name) ? "EINVAL" : "ENOENT", p);
      case "null":
      case "shim":
        throw new HostError("ENOTDIR", p);
      case "file": {
        let names: string[];
        try {
          names = fs.readdirSync(c.host);
        } catch (e) {
          throw hostErr(e, p);
        }
        if (g === "/usr/bin" || g === "/bin") names = [...new Set([...names, ...this.commandNames()])];
        return names.sort();
      }
    }
  }

  remove(p: string): void {
    this.clock.pump();
    const c = this.classify(this.abs(p));
    if (c.kind !== "file") throw new HostError(c.kind === "netcfg" ? "EINVAL" : "EPERM", p);
    if (this.guestUid !== 0) {
      let parentMode = 0;
      try {
        parentMode = fs.statSync(path.dirname(c.host)).mode;
      } catch {
        /* ENOENT below */
      }
      if ((parentMode & 0o002) === 0 && fs.existsSync(c.host)) throw new HostError("EACCES", p);
    }
    try {
      const st = fs.lstatSync(c.host);
      if (st.isDirectory()) fs.rmdirSync(c.host);
      else fs.unlinkSync(c.host);
    } catch (e) {
      throw hostErr(e, p);
    }
  }

  /** mkdir(2) (not part of Host; used by the mkdir shim). */
  mkdir(p: string): void {
    const c = this.classify(this.abs(p));
    if (c.kind !== "file") throw new HostError("EEXIST", p);
    if (this.guestUid !== 0) {
      let parentMode = 0o777;
      try {
        parentMode = fs.statSync(path.dirname(c.host)).mode;
      } catch {
        /* ENOENT below */
      }
      if ((parentMode & 0o002) === 0) throw new HostError("EACCES", p);
    }
    try {
      fs.mkdirSync(c.host);
    } catch (e) {
      throw hostErr(e, p);
    }
  }

  which(cmd: string): string | null {
    if (cmd.includes("/")) {
      const c = this.classify(this.abs(cmd));
      return c.kind === "shim" ? this.abs(cmd) : null;
    }
    return this.hasCommand(cmd) ? `/usr/bin/${cmd}` : null;
  }

  exec(argv: string[], io: ExecIO): number | null {
    this.clock.pump();
    this.commandLog.push({ argv: [...argv], time: this.clock.now() });
    const first = argv[0] ?? "";
    let name: string | null = null;
    if (first.includes("/")) {
      const c = this.classify(guestPath(first, io.cwd));
      if (c.kind === "shim") name = c.name;
    } else if (this.hasCommand(first)) {
      name = first;
    }
    if (name === null) {
      this.timeline.record("command-not-found", first);
      return null;
    }
    const status = SHIMS[name]!({ mock: this, argv, io, abs: (p) => guestPath(p, io.cwd) });
    this.clock.pump();
    return status;
  }

  stdout(chunk: string): void {
    this.stdoutText += chunk;
    this.out?.(chunk);
  }
  stderr(chunk: string): void {
    this.stderrText += chunk;
    this.err?.(chunk);
  }

  now(): number {
    return this.clock.now();
  }
  sleep(seconds: number): void {
    this.clock.sleep(seconds);
  }

  // ---- observation ----

  /**
   * The final netcfg state: `addr` and `mac` are the primary interface's
   * (the one a script should configure: eth0, or the first non-lo one);
   * `ifaces` holds every interface's addr/list.
   */
  netcfgState(): { up: boolean; device: string; addr: string; routes: string[]; nameserver: string; mac: string; ifaces: Record<string, string> } {
    const nc = this.netcfg;
    if (!nc) return { up: false, device: "", addr: "", routes: [], nameserver: "", mac: "", ifaces: {} };
    const ifaces: Record<string, string> = {};
    for (const name of [...nc.ifaces.keys()].sort()) ifaces[name] = nc.addrListText(name).trim();
    return {
      up: true,
      device: nc.primary()?.name ?? "",
      addr: nc.addrListText().replace(/\n$/, ""),
      routes: nc.routeListText().split("\n").filter((l) => l !== ""),
      nameserver: nc.nameserverText().trim(),
      mac: nc.macText().trim(),
      ifaces,
    };
  }

  files(): Record<string, string> {
    return this.fsRoot.snapshot();
  }

  dispose(): void {
    this.fsRoot.dispose();
  }
}

function hostErr(e: unknown, p: string): HostError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const known: Errno[] = ["ENOENT", "EACCES", "EPERM", "EISDIR", "ENOTDIR", "EEXIST", "ENOTEMPTY", "EINVAL"];
  return new HostError(known.includes(code as Errno) ? (code as Errno) : "EIO", p);
}
