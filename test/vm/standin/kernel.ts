/**
 * The stand-in guest's kernel: Debian's cloud kernel, fetched with
 * `apt-get download` and unpacked with `dpkg-deb -x` (no install, no
 * postinst, nothing changed on the machine), reduced to the kernel image and
 * the virtio-net modules, and cached outside the repository:
 *
 *   $TSION_CACHE_DIR, else $XDG_CACHE_HOME/tsion, else ~/.cache/tsion
 *     standin-kernel/<package>/{vmlinuz, modules/*.ko, modules.order}
 *
 * The cloud kernel has no e1000 and builds virtio-net as modules; they are
 * uncompressed .ko files that busybox insmod loads in dependency order. The
 * package has no modules.dep (depmod runs at install), so the order is
 * computed from each module's own `depends=` field.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";

/** The modules the guest needs for virtio-net on PCI; their dependencies are added. */
export const NEEDED_MODULES = ["virtio_pci", "virtio_net"];
const META_PACKAGE = "linux-image-cloud-amd64";

export interface StandinKernel {
  package: string;
  kernel: string;
  /** Absolute paths, in load order. */
  modules: string[];
}

export function cacheRoot(env: Record<string, string | undefined> = process.env): string {
  if (env.TSION_CACHE_DIR) return env.TSION_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(xdg, "tsion");
}

/**
 * `apt-cache depends linux-image-cloud-amd64` names the versioned kernel
 * package. Without package lists (an image that never ran apt-get update)
 * root fetches them once.
 */
export async function kernelPackage(): Promise<string> {
  const depends = async () => {
    const r = await execa("apt-cache", ["depends", META_PACKAGE], { reject: false, timeout: 30_000 });
    return { r, m: /Depends:\s*(linux-image-\S+)/.exec(r.stdout) };
  };
  let { r, m } = await depends();
  if ((r.exitCode !== 0 || !m) && process.getuid?.() === 0) {
    await execa("apt-get", ["update"], { reject: false, timeout: 300_000 });
    ({ r, m } = await depends());
  }
  if (r.exitCode !== 0 || !m) throw new Error(`apt-cache depends ${META_PACKAGE} did not name a kernel package (no package lists? apt-get update): ${r.stderr.trim() || r.stdout.trim()}`);
  return m[1]!;
}

/** The `depends=` field of a module's .modinfo section (module names, "" for none). */
export function moduleDepends(ko: Buffer): string[] {
  const key = Buffer.from("\0depends=");
  const at = ko.indexOf(key);
  if (at < 0) return [];
  const start = at + key.length;
  const end = ko.indexOf(0, start);
  return ko
    .subarray(start, end)
    .toString("utf8")
    .split(",")
    .filter((s) => s !== "");
}

/** Dependencies first (a depth-first topological order), each module once. */
export function loadOrder(needed: string[], dependsOf: (name: string) => string[]): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (order.includes(name)) return;
    if (visiting.has(name)) throw new Error(`module dependency cycle at ${name}`);
    visiting.add(name);
    for (const d of dependsOf(name)) visit(d);
    visiting.delete(name);
    order.push(name);
  };
  for (const n of needed) visit(n);
  return order;
}

function findFiles(dir: string, suffix: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(suffix)) found.set(e.name.slice(0, -suffix.length), p);
    }
  };
  walk(dir);
  return found;
}

function readCached(dir: string, pkg: string): StandinKernel | null {
  try {
    const order = fs.readFileSync(path.join(dir, "modules.order"), "utf8").split("\n").filter(Boolean);
    const kernel = path.join(dir, "vmlinuz");
    const modules = order.map((m) => path.join(dir, "modules", `${m}.ko`));
    if (![kernel, ...modules].every((f) => fs.existsSync(f))) return null;
    return { package: pkg, kernel, modules };
  } catch {
    return null;
  }
}

/** The cached kernel, fetching it first when it is not there yet (about 27 MB from the Debian mirror). */
export async function standinKernel(cache = cacheRoot()): Promise<StandinKernel> {
  const pkg = await kernelPackage();
  const dir = path.join(cache, "standin-kernel", pkg);
  const cached = readCached(dir, pkg);
  if (cached) return cached;

  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const work = fs.mkdtempSync(path.join(path.dirname(dir), ".fetch-"));
  try {
    const dl = await execa("apt-get", ["download", pkg], { cwd: work, reject: false, timeout: 300_000, all: true });
    const deb = fs.readdirSync(work).find((f) => f.endsWith(".deb"));
    if (dl.exitCode !== 0 || !deb) throw new Error(`apt-get download ${pkg} failed: ${String(dl.all).trim()}`);
    const tree = path.join(work, "tree");
    await execa("dpkg-deb", ["-x", path.join(work, deb), tree], { timeout: 120_000 });
    const vmlinuz = fs.readdirSync(path.join(tree, "boot")).find((f) => f.startsWith("vmlinuz-"));
    if (!vmlinuz) throw new Error(`${deb} has no /boot/vmlinuz-*`);
    const kos = findFiles(path.join(tree, "lib", "modules"), ".ko");
    const dependsOf = (name: string) => {
      const file = kos.get(name);
      if (!file) throw new Error(`${deb} has no module ${name}.ko (compressed modules are not supported)`);
      return moduleDepends(fs.readFileSync(file));
    };
    const order = loadOrder(NEEDED_MODULES, dependsOf);

    const stage = path.join(work, "stage");
    fs.mkdirSync(path.join(stage, "modules"), { recursive: true });
    fs.copyFileSync(path.join(tree, "boot", vmlinuz), path.join(stage, "vmlinuz"));
    for (const m of order) fs.copyFileSync(kos.get(m)!, path.join(stage, "modules", `${m}.ko`));
    fs.writeFileSync(path.join(stage, "modules.order"), `${order.join("\n")}\n`);
    // Another run may have filled the cache meanwhile: keep theirs.
    try {
      fs.renameSync(stage, dir);
    } catch (e) {
      if (!readCached(dir, pkg)) throw e;
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const fetched = readCached(dir, pkg);
  if (!fetched) throw new Error(`the kernel cache ${dir} is incomplete`);
  return fetched;
}
