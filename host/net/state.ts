/**
 * The state directory: what tsion changed on the host and what it allocated,
 * in one JSON file (`state.json`), replaced atomically after every recorded
 * change and read and written only under the directory's lock
 * (proper-lockfile: an atomic mkdir of `lock`, refreshed while held, taken
 * over 10 s after its holder died).
 *
 * Default: $TSION_NET_STATE_DIR, else /run/tsion as root, else
 * $XDG_RUNTIME_DIR/tsion (or $TMPDIR/tsion-UID); with --netns NAME the
 * default is <that>/netns/NAME, since each namespace has its own links,
 * rules and sysctls. /run is a tmpfs: it empties on reboot, as do the
 * TAPs, rules and sysctls it describes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import lockfile from "proper-lockfile";
import type { AllocationBook } from "./allocate.ts";
import type { Change } from "./changes.ts";
import type { NetworkSpec } from "./model.ts";
import type { Owner } from "./privileges.ts";

export const STATE_VERSION = 1;

export interface ChangeRecord {
  /** The plan step that made it (plan.ts). */
  step: string;
  change: Change;
  /** False from just before the step runs until it has succeeded. */
  done: boolean;
}

export type FirewallKind = "nft" | "iptables";

export interface NetworkState {
  spec: NetworkSpec;
  /** Which tool holds the NAT rules; absent for networks without NAT. */
  firewall?: FirewallKind;
  changes: ChangeRecord[];
  /** False while an operation is setting it up or tearing it down (a crash leaves it false: the next operation undoes it). */
  complete: boolean;
}

export interface VmState {
  network: string;
  owner: Owner;
  queues: number;
  changes: ChangeRecord[];
  complete: boolean;
}

export interface State extends AllocationBook {
  version: number;
  networks: Record<string, NetworkState>;
  vms: Record<string, VmState>;
  /** net.ipv4.ip_forward as found before the first network needed it, and the networks that need it. */
  forwarding?: { previous: string; holders: string[] };
}

export function emptyState(): State {
  return { version: STATE_VERSION, networks: {}, vms: {}, allocations: {}, remembered: {} };
}

export class StateError extends Error {}

export function defaultStateDir(netns?: string, env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.TSION_NET_STATE_DIR ||
    (process.geteuid?.() === 0 ? "/run/tsion" : env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, "tsion") : path.join(os.tmpdir(), `tsion-${process.getuid?.() ?? "user"}`));
  return netns && !env.TSION_NET_STATE_DIR ? path.join(base, "netns", netns) : base;
}

export class StateDir {
  readonly file: string;
  private compromised: Error | undefined;

  constructor(readonly dir: string) {
    this.file = path.join(dir, "state.json");
  }

  /** The recorded state; empty when there is none yet. */
  read(): State {
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return emptyState();
      throw new StateError(`cannot read the network state ${this.file}: ${(e as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new StateError(`the network state ${this.file} is not valid JSON (${(e as Error).message}); it lists what tsion changed on this host: repair it, or remove it after undoing those changes by hand`);
    }
    const s = parsed as State;
    if (typeof s !== "object" || s === null || s.version !== STATE_VERSION) {
      throw new StateError(`the network state ${this.file} has version ${JSON.stringify((s as { version?: unknown } | null)?.version)}; this tsion reads version ${STATE_VERSION}`);
    }
    return s;
  }

  /** Atomically replaces the state file (temporary file in the same directory, then rename). */
  write(state: State): void {
    if (this.compromised) throw new StateError(`lost the lock on ${this.dir}: ${this.compromised.message}`);
    const tmp = `${this.file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, `${JSON.stringify(state, null, 1)}\n`, { mode: 0o644 });
    fs.renameSync(tmp, this.file);
  }

  /** Creates the directory (0755: dnsmasq, running as nobody, reads its files in it). */
  ensure(): void {
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    } catch (e) {
      throw new StateError(`cannot create the state directory ${this.dir}: ${(e as Error).message}`);
    }
  }

  /**
   * What root would trust: the records name links to delete and directories
   * to remove, so nobody but root (or this user) may be able to change them.
   * The directory and state.json must be owned by root or this user and not
   * writable by others; every directory above must be too, unless sticky
   * (like /tmp). "" when safe.
   */
  unsafe(): string {
    const me = process.geteuid?.() ?? 0;
    let d = path.resolve(this.dir);
    const check = (p: string, own: boolean): string => {
      let st: fs.Stats;
      try {
        st = fs.statSync(p);
      } catch {
        return "";
      }
      if (st.uid !== 0 && st.uid !== me) return `${p} belongs to uid ${st.uid}`;
      if ((st.mode & 0o022) !== 0 && (own || (st.mode & 0o1000) === 0)) return `${p} is writable by other users (mode ${(st.mode & 0o7777).toString(8)})`;
      return "";
    };
    const own = check(this.file, true) || check(d, true);
    if (own) return own;
    for (;;) {
      const up = path.dirname(d);
      if (up === d) return "";
      d = up;
      const why = check(d, false);
      if (why) return why;
    }
  }

  /** Runs `fn` holding the directory's lock; concurrent invocations wait their turn (up to about a minute). */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const unsafe = this.unsafe();
    if (unsafe) throw new StateError(`refusing the state directory ${this.dir}: ${unsafe}; its records tell tsion what to delete, so only root may be able to change them`);
    this.ensure();
    this.compromised = undefined;
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(this.dir, {
        lockfilePath: path.join(this.dir, "lock"),
        realpath: false,
        stale: 10_000,
        update: 2_000,
        retries: { retries: 600, factor: 1.2, minTimeout: 10, maxTimeout: 100 },
        onCompromised: (e) => {
          this.compromised = e;
        },
      });
    } catch (e) {
      throw new StateError(`cannot lock the state directory ${this.dir}: ${(e as Error).message}`);
    }
    try {
      return await fn();
    } finally {
      await release().catch(() => undefined);
    }
  }

  /** A directory inside the state directory for one dnsmasq instance. */
  dnsmasqDir(instance: string): string {
    return path.join(this.dir, "dnsmasq", instance);
  }
}

/** Link names recorded as ours (TAPs and bridges), for the clash checks. */
export function managedLinks(state: State): Set<string> {
  const names = new Set<string>();
  const add = (recs: ChangeRecord[]) => recs.forEach((r) => r.change.kind === "link" && names.add(r.change.name));
  Object.values(state.networks).forEach((n) => add(n.changes));
  Object.values(state.vms).forEach((v) => add(v.changes));
  return names;
}
