/**
 * The host-networking section of `npm run bench` (bench/run.ts):
 *
 *  a. Setup and teardown for 100 VMs, one invocation per VM (as `vm run`
 *     does), inside a throwaway network namespace: time and commands per VM,
 *     against a baseline of the bare `ip` commands for 100 TAPs in the same
 *     run, and the residue (what differs in the namespace afterwards: must be
 *     zero). Needs root, ip, nft and namespaces; skipped with the reason.
 *  b. Allocation of 1,000 VMs on one /16: uniqueness, and stability when 10%
 *     are removed and re-added (in another order). No root needed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";
import { allocateVm, recordAllocation, releaseAllocation, type AllocationBook } from "../host/net/allocate.ts";
import { configLayer } from "../host/net/config.ts";
import { findExecutable } from "../host/executables.ts";
import { buildModel, builtinLayer } from "../host/net/model.ts";
import { setupNetworking, teardownNetworking, type NetOptions } from "../host/net/setup.ts";
import { addNetns, deleteNetns, netnsName } from "../runtime-shims/netns/namespaces.ts";
import { missingForDhcpLab } from "../runtime-shims/netns/requirements.ts";

const VMS = 100;
const names = (n: number) => Array.from({ length: n }, (_, i) => `vm-${String(i).padStart(4, "0")}`);

async function sh(argv: string[]): Promise<string> {
  const r = await execa(findExecutable(argv[0]!) ?? argv[0]!, argv.slice(1), { reject: false, env: { LC_ALL: "C" } });
  if (r.exitCode !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** The namespace's network state as comparable sections. */
async function snapshot(ns: string): Promise<Record<string, string>> {
  const ip = (...a: string[]) => sh(["ip", "-n", ns, "-j", ...a]);
  const inNs = (...a: string[]) => sh(["ip", "netns", "exec", ns, ...a]);
  return {
    links: await ip("link", "show"),
    addresses: await ip("addr", "show"),
    routes: await ip("route", "show", "table", "all"),
    rules: await ip("rule", "show"),
    nftables: await inNs("nft", "list", "ruleset"),
    sysctls: (await inNs("sysctl", "-a", "--pattern", "^net\\.ipv4\\.(ip_forward|conf\\.)")).split("\n").sort().join("\n"),
  };
}

function residue(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys(a).filter((k) => a[k] !== b[k]);
}

async function timedMs<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const v = await fn();
  return [v, Number(process.hrtime.bigint() - t) / 1e6];
}

async function setupTeardownRows(): Promise<string[][]> {
  const rows: string[][] = [];
  const topologies: [string, Record<string, unknown>][] = [
    ["tap-nat shared (default)", { defaults: { network: "default" } }],
    ["bridge + DHCP", { defaults: { network: "lab" }, networks: { lab: { topology: "bridge", subnet: "10.200.0.0/16", dhcp: true } } }],
  ];
  for (const [label, doc] of topologies) {
    const ns = netnsName("bench");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-bench-net-"));
    fs.chmodSync(dir, 0o755);
    try {
      await addNetns(ns);
      const vms = names(VMS);
      const model = buildModel([configLayer("bench", doc), builtinLayer()], vms);
      const opts: NetOptions = { netns: ns, stateDir: path.join(dir, "state") };
      const before = await snapshot(ns);
      let commands = 0;
      const [, setupMs] = await timedMs(async () => {
        for (const vm of vms) commands += (await setupNetworking(model, [vm], opts)).commands;
      });
      const [, downMs] = await timedMs(async () => {
        for (const vm of vms) commands += (await teardownNetworking({ vms: [vm] }, opts)).commands;
      });
      const left = residue(before, await snapshot(ns));
      const state = JSON.parse(fs.readFileSync(path.join(dir, "state", "state.json"), "utf8"));
      const records = Object.keys(state.networks).length + Object.keys(state.vms).length + Object.keys(state.allocations).length;

      // Baseline: the bare ip commands for the same number of TAPs (create, up, delete).
      const [, rawMs] = await timedMs(async () => {
        for (let i = 0; i < VMS; i++) await sh(["ip", "-n", ns, "tuntap", "add", "dev", `raw${i}`, "mode", "tap"]);
        for (let i = 0; i < VMS; i++) await sh(["ip", "-n", ns, "link", "set", "dev", `raw${i}`, "up"]);
        for (let i = 0; i < VMS; i++) await sh(["ip", "-n", ns, "link", "del", "dev", `raw${i}`]);
      });
      const perVm = (setupMs + downMs) / VMS;
      rows.push([
        label,
        `${(setupMs / VMS).toFixed(1)} ms`,
        `${(downMs / VMS).toFixed(1)} ms`,
        (commands / VMS).toFixed(1),
        `${(rawMs / VMS).toFixed(1)} ms`,
        `${(perVm / (rawMs / VMS)).toFixed(1)}x`,
        left.length === 0 && records === 0 ? "0" : `${left.join(", ") || ""}${records ? ` ${records} state record(s)` : ""}`.trim(),
      ]);
    } finally {
      await deleteNetns(ns);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

function allocationReport(): string[] {
  const vms = names(1000);
  const model = buildModel([configLayer("bench", { defaults: { network: "big" }, networks: { big: { topology: "bridge", subnet: "10.100.0.0/16" } } }), builtinLayer()], vms);
  const book: AllocationBook = { allocations: {}, remembered: {} };
  const t = process.hrtime.bigint();
  for (const vm of vms) recordAllocation(book, vm, allocateVm(model, vm, book));
  const allocMs = Number(process.hrtime.bigint() - t) / 1e6;
  const first = structuredClone(book.allocations);
  const uniqueIps = new Set(Object.values(first).map((a) => a.ip)).size;
  const uniqueMacs = new Set(Object.values(first).map((a) => a.mac)).size;
  const leaving = vms.filter((_, i) => i % 10 === 7);
  for (const vm of leaving) releaseAllocation(book, vm);
  const kept = vms.filter((vm) => !leaving.includes(vm)).filter((vm) => JSON.stringify(book.allocations[vm]) === JSON.stringify(first[vm])).length;
  for (const vm of [...leaving].reverse()) recordAllocation(book, vm, allocateVm(model, vm, book));
  const back = leaving.filter((vm) => JSON.stringify(book.allocations[vm]) === JSON.stringify(first[vm])).length;
  const uniqueAfter = new Set(Object.values(book.allocations).map((a) => a.ip)).size;
  return [
    `   allocation, 1,000 VMs on 10.100.0.0/16: ${(allocMs / 1000).toFixed(2)} ms per VM`,
    `     unique: ${uniqueIps}/1000 addresses, ${uniqueMacs}/1000 MACs`,
    `     10% removed (${leaving.length}), then re-added in reverse order: ${kept}/${vms.length - leaving.length} others unchanged meanwhile, ${back}/${leaving.length} got their old address and MAC back, ${uniqueAfter}/1000 addresses unique after`,
  ];
}

export async function benchHostNetworking(table: (headers: string[], rows: string[][]) => string): Promise<void> {
  console.log("\n6. host networking (tsion net): setup and teardown per VM, allocation\n");
  const missing = await missingForDhcpLab();
  if (!findExecutable("nft")) missing.push("`nft` not found (Debian package nftables)");
  if (missing.length > 0) {
    console.log(`   setup/teardown of ${VMS} VMs skipped: ${missing.join("; ")}`);
  } else {
    console.log(`   ${VMS} VMs, one setup and one teardown invocation per VM, in a throwaway namespace;`);
    console.log("   raw ip/VM: the bare ip commands for one TAP (tuntap add, link up, link del), the baseline of the ratio\n");
    const rows = await setupTeardownRows();
    console.log(
      table(["topology", "setup/VM", "teardown/VM", "commands/VM", "raw ip/VM", "ratio", "residue"], rows)
        .split("\n")
        .map((l) => `   ${l}`)
        .join("\n"),
    );
    if (rows.some((r) => r[6] !== "0")) process.exitCode = 1;
    console.log();
  }
  for (const l of allocationReport()) console.log(l);
}
