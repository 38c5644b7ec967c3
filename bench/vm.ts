/**
 * bench section 5, `tsion vm`:
 *
 *  a. Following the serial console: bytes read per byte the guest printed,
 *     tsion's incremental read (every 25 ms) against the earlier boot test's
 *     full re-read of the log (every 100 ms), over a recorded Redox boot.
 *     A count, no clock involved.
 *  b. The stand-in guest (test/vm/standin) under QEMU/TCG with user-mode
 *     networking: `tsion vm test` against QEMU run alone with the same argv,
 *     alternated, medians and the ratio (tsion's cost around the hypervisor).
 *     Skipped with a note when QEMU, busybox or cpio is missing.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";

type Table = (headers: string[], rows: string[][]) => string;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function serialReads(root: string, table: Table): Promise<void> {
  const { FileTail } = await import("../host/vm/file-tail.ts");
  const fixture = path.join(root, "test", "vm", "fixtures", "redox-ch-tap.serial");
  const lines = fs
    .readFileSync(fixture, "utf8")
    .split("\n")
    .filter((l) => l.startsWith("+"))
    .map((l) => {
      const m = /^\+(\S+) (.*)$/.exec(l)!;
      return { t: Number(m[1]), bytes: Buffer.from(`${m[2]}\r\n`) };
    });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-bench-vm-"));
  try {
    const file = path.join(dir, "serial");
    fs.writeFileSync(file, "");
    const tail = new FileTail(file);
    const end = lines.at(-1)!.t + 0.1;
    let next = 0;
    let size = 0;
    let fullReread = 0;
    // Simulated time in 5 ms steps: the guest appends, tsion polls every 25 ms, the old test re-read every 100 ms.
    for (let step = 0; step * 0.005 <= end; step++) {
      const t = step * 0.005;
      while (next < lines.length && lines[next]!.t <= t) {
        fs.appendFileSync(file, lines[next]!.bytes);
        size += lines[next]!.bytes.length;
        next++;
      }
      if (step % 5 === 0) tail.read();
      if (step % 20 === 0) fullReread += fs.readFileSync(file).length;
    }
    tail.read();
    tail.close();
    console.log(
      table(
        ["reader", "polls", "bytes read", "per console byte"],
        [
          ["tsion (incremental, 25 ms)", String(Math.ceil(end / 0.025)), String(tail.bytesRead), (tail.bytesRead / size).toFixed(2)],
          ["earlier boot test (whole log, 100 ms)", String(Math.ceil(end / 0.1)), String(fullReread), (fullReread / size).toFixed(2)],
        ],
      ),
    );
    console.log(`\n   console: ${size} bytes over ${end.toFixed(1)} s (test/vm/fixtures/redox-ch-tap.serial)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function standinBoot(root: string, runs: number, table: Table): Promise<void> {
  const { findExecutable } = await import("../host/executables.ts");
  const missing = ["qemu-system-x86_64", "busybox", "cpio", "apt-get", "dpkg-deb"].filter((t) => !findExecutable(t));
  if (missing.length > 0) {
    console.log(`   b. skipped: ${missing.join(", ")} not found`);
    return;
  }
  const { standinKernel } = await import("../test/vm/standin/kernel.ts");
  const { buildInitramfs, STANDIN_PROFILE } = await import("../test/vm/standin/initramfs.ts");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-bench-vm-"));
  try {
    const kernel = await standinKernel();
    const initrd = await buildInitramfs(kernel, dir);
    const args = [
      path.join(root, "bin", "tsion.mjs"), "vm", "test",
      "--hypervisor", "qemu", "--accel", "tcg", "--net", "user", "--ssh-port", "0", "--http-port", "0", "--nic", "virtio",
      "--kernel", kernel.kernel, "--initrd", initrd, "--append", "console=ttyS0 panic=-1",
      "--cpus", "1", "--memory", "256M", "--profile", STANDIN_PROFILE, "--timeout", "120",
      "--log", path.join(dir, "serial.log"), "--json", "--quiet",
    ];
    const env = { ...process.env, TSION_VM_DIR: dir, NO_COLOR: "1" };
    const tsionMs: number[] = [];
    const qemuMs: number[] = [];
    let doneAt: number[] = [];
    for (let i = 0; i < runs; i++) {
      let start = process.hrtime.bigint();
      const r = await execa(process.execPath, args, { env, reject: false });
      tsionMs.push(Number(process.hrtime.bigint() - start) / 1e6);
      const report = JSON.parse(String(r.stdout)) as { ok: boolean; checksDoneAt: number | null; hypervisor: { argv: string[] } };
      if (!report.ok) throw new Error(`the stand-in's checks failed: ${String(r.stderr).trim()}`);
      doneAt.push(report.checksDoneAt!);
      // The same QEMU alone; the guest powers off after its checks.
      const [qemu, ...qargs] = report.hypervisor.argv;
      start = process.hrtime.bigint();
      await execa(qemu!, qargs, { reject: false, timeout: 120_000, stdin: "ignore" });
      qemuMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const t = median(tsionMs);
    const q = median(qemuMs);
    console.log(
      table(
        ["stand-in guest, QEMU TCG, user network", "median", "min", "max"],
        [
          ["tsion vm test (to TSION_CHECKS_DONE)", `${t.toFixed(0)} ms`, `${Math.min(...tsionMs).toFixed(0)} ms`, `${Math.max(...tsionMs).toFixed(0)} ms`],
          ["qemu-system-x86_64 alone (to power-off)", `${q.toFixed(0)} ms`, `${Math.min(...qemuMs).toFixed(0)} ms`, `${Math.max(...qemuMs).toFixed(0)} ms`],
        ],
      ),
    );
    doneAt = doneAt.sort((a, b) => a - b);
    console.log(`\n   ratio tsion/QEMU alone: ${(t / q).toFixed(2)}x; checks done ${median(doneAt).toFixed(2)} s after QEMU started (median)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchVm(root: string, runs: number, table: Table): Promise<void> {
  console.log("\n5. vm: reading the serial console; the stand-in guest under QEMU\n");
  await serialReads(root, table);
  console.log("");
  await standinBoot(root, Math.min(runs, 3), table);
}
