/**
 * Who may change the host's network, and who owns the TAPs. Setup and
 * teardown need CAP_NET_ADMIN (and CAP_SYS_ADMIN to enter a namespace with
 * --netns); they check it first, before the state directory or any command,
 * so running without root fails at once and changes nothing.
 */
import * as fs from "node:fs";

const CAP_NET_ADMIN = 12n;
const CAP_SYS_ADMIN = 21n;

/** The effective capability set of this process (0 when unreadable). */
export function effectiveCapabilities(): bigint {
  try {
    const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
    return m ? BigInt(`0x${m[1]}`) : 0n;
  } catch {
    return 0n;
  }
}

/** Why this process cannot change the network ("" when it can). */
export function privilegeProblem(command: string, netns?: string): string {
  const caps = effectiveCapabilities();
  const missing: string[] = [];
  if ((caps & (1n << CAP_NET_ADMIN)) === 0n) missing.push("CAP_NET_ADMIN");
  if (netns !== undefined && (caps & (1n << CAP_SYS_ADMIN)) === 0n) missing.push("CAP_SYS_ADMIN (to enter the namespace)");
  if (missing.length === 0) return "";
  const who = process.geteuid?.() === 0 ? "root without" : `uid ${process.geteuid?.()} without`;
  return `tsion net ${command} changes the host's network and needs root (${missing.join(", ")}); this process is ${who} them. Run it with sudo; nothing was changed`;
}

/** A TAP owner: a user name or uid, optionally `:group`. */
export interface Owner {
  user: string;
  group?: string;
}

const OWNER = /^([a-z_][a-z0-9_-]{0,31}\$?|\d{1,10})(?::([a-z_][a-z0-9_-]{0,31}|\d{1,10}))?$/;

/** Why `--owner` text is unusable ("" when fine). */
export function ownerProblem(text: string): string {
  const m = OWNER.exec(text);
  if (!m) return "is not a user (a name or uid, optionally :group)";
  for (const part of [m[1], m[2]]) if (part !== undefined && /^\d+$/.test(part) && Number(part) > 0xfffffffe) return "is not a valid uid or gid";
  return "";
}

/**
 * The TAP owner: --owner, else the user who ran sudo (SUDO_UID), else this
 * process's user. The VMM, running as that user, can then open the TAP
 * without CAP_NET_ADMIN.
 */
export function resolveOwner(text: string | undefined, env: NodeJS.ProcessEnv = process.env): Owner {
  if (text !== undefined) {
    const m = OWNER.exec(text)!;
    return m[2] === undefined ? { user: m[1]! } : { user: m[1]!, group: m[2] };
  }
  if (env.SUDO_UID && /^\d+$/.test(env.SUDO_UID)) return { user: env.SUDO_UID };
  return { user: String(process.getuid?.() ?? 0) };
}
