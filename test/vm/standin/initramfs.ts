/**
 * The stand-in guest's initramfs, built at test time into a directory the
 * test owns: the host's busybox with the shared libraries it needs (Debian's
 * busybox is dynamically linked), the virtio-net modules in load order, the
 * /init script and udhcpc's hook from this directory. Packed as a newc cpio
 * archive (uncompressed: the kernel takes it as it is).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { findExecutable } from "../../../host/executables.ts";
import type { StandinKernel } from "./kernel.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const STANDIN_PROFILE = path.join(HERE, "standin.toml");

/** The shared objects `ldd` lists for a binary (absolute paths; the vDSO has none). */
export async function sharedLibraries(binary: string): Promise<string[]> {
  const r = await execa("ldd", [binary], { reject: false });
  if (/not a dynamic executable|statically linked/.test(`${r.stdout}${r.stderr}`)) return [];
  if (r.exitCode !== 0) throw new Error(`ldd ${binary} failed: ${r.stderr.trim()}`);
  const libs: string[] = [];
  for (const line of r.stdout.split("\n")) {
    const m = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (m) libs.push(m[1]!);
  }
  return libs;
}

function copyInto(stage: string, from: string, to: string, mode = 0o755): void {
  const dest = path.join(stage, to);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(from, dest);
  fs.chmodSync(dest, mode);
}

/** Every path under `dir`, relative, parents before children (what cpio -o wants on stdin). */
function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel === "" ? e.name : `${rel}/${e.name}`;
      out.push(r);
      if (e.isDirectory()) walk(r);
    }
  };
  walk("");
  return out;
}

/** Builds `<dir>/initramfs.cpio` (the staging tree is removed again). */
export async function buildInitramfs(kernel: StandinKernel, dir: string): Promise<string> {
  const busybox = findExecutable("busybox");
  if (!busybox) throw new Error("busybox not found (Debian package busybox)");
  const stage = path.join(dir, "initramfs-root");
  fs.mkdirSync(stage);
  try {
    for (const d of ["bin", "dev", "proc", "sys", "tmp", "etc/net", "lib/modules"]) fs.mkdirSync(path.join(stage, d), { recursive: true });
    copyInto(stage, busybox, "bin/busybox");
    for (const lib of await sharedLibraries(busybox)) copyInto(stage, fs.realpathSync(lib), lib.slice(1));
    const names: string[] = [];
    for (const ko of kernel.modules) {
      const name = path.basename(ko, ".ko");
      names.push(name);
      copyInto(stage, ko, `lib/modules/${name}.ko`, 0o644);
    }
    fs.writeFileSync(path.join(stage, "etc/modules.order"), `${names.join("\n")}\n`);
    // As Redox's base.toml ships it; a lease with a DNS server replaces it (as netcfg does).
    fs.writeFileSync(path.join(stage, "etc/net/dns"), "9.9.9.9\n");
    copyInto(stage, path.join(HERE, "init.sh"), "init");
    copyInto(stage, path.join(HERE, "udhcpc.script"), "etc/udhcpc.script");

    const archive = path.join(dir, "initramfs.cpio");
    const r = await execa("cpio", ["--create", "--format=newc", "--quiet", "--owner=0:0"], {
      cwd: stage,
      input: `${listTree(stage).join("\n")}\n`,
      stdout: { file: archive },
      reject: false,
    });
    if (r.exitCode !== 0) throw new Error(`cpio failed: ${r.stderr.trim()}`);
    return archive;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}
