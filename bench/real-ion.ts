/**
 * bench section: each guest script on a real ion binary (ION_BIN), on its
 * static path, wall-clock time of the shell process alone:
 *
 *  - parse: `ion -n SCRIPT` (ion's no-execute option: read and parse only);
 *  - run: the scenario that configures a static address, through the
 *    real-ion scenario machinery (runtime-shims/realion: the mock behind a
 *    FUSE /scheme, the mock's commands as shims), timing the shell's run only,
 *    not the sandbox set-up.
 *
 * Medians of BENCH_RUNS runs. Bench only, never a test: wall time on a shared
 * machine flakes. The mock's command shims are Python processes, so each
 * `cat` costs more than on Redox.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";

type Table = (headers: string[], rows: string[][]) => string;

/** Guest script → the scenario of its static path. */
const STATIC_PATHS: [string, string][] = [
  ["netcfg-ch", "ch-static"],
  ["netcfg-static", "static-mode"],
  ["netcfg-auto", "ch-tap-no-dhcp"],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const ms = (n: number) => `${n.toFixed(0)} ms`;

export async function benchRealIon(root: string, runs: number, table: Table): Promise<void> {
  console.log("\n8. real ion: each guest script's static path, wall time of the shell (parse, then parse + run)\n");
  const ionBin = process.env.ION_BIN;
  if (!ionBin) {
    console.log("   skipped: set ION_BIN to a real ion binary");
    return;
  }
  const { realIonMissing } = await import("../runtime-shims/realion/requirements.ts");
  const missing = realIonMissing();
  if (missing) {
    console.log(`   skipped: the real-ion sandbox is unavailable (${missing})`);
    return;
  }
  const { RealSandbox } = await import("../runtime-shims/realion/sandbox.ts");
  const { MockRedox } = await import("../runtime-shims/mock/mock-redox.ts");
  const { loadScenario } = await import("../runtime-shims/mock/scenario.ts");
  const { compileGuest } = await import("../runtime-shims/mock/scenario-runner.ts");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-bench-realion-"));
  const rows: string[][] = [];
  try {
    for (const [script, scenario] of STATIC_PATHS) {
      const sc = loadScenario(path.join(root, "test", "scenarios", `${scenario}.toml`));
      const ion = await compileGuest(sc.run.script);
      const file = path.join(tmp, `${script}.ion`);
      fs.writeFileSync(file, ion);
      const parse: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await execa(ionBin, ["-n", file], { stdin: "ignore", reject: false });
        parse.push(performance.now() - t0);
      }
      const run: number[] = [];
      const statuses = new Set<number>();
      for (let i = 0; i < runs; i++) {
        const mock = new MockRedox({ ...sc.mock });
        try {
          await RealSandbox.with(mock, ionBin, async (sb) => {
            const guest = sb.addFile(".tsion-guest.ion", ion);
            const t0 = performance.now();
            const r = await sb.run([guest, ...sc.run.args], { env: sc.run.env, uid: sc.run.uid, cwd: sc.run.cwd });
            run.push(performance.now() - t0);
            statuses.add(r.status);
          });
        } finally {
          mock.dispose();
        }
      }
      rows.push([script, scenario, ms(median(parse)), ms(median(run)), `${ms(Math.min(...run))}..${ms(Math.max(...run))}`, [...statuses].join(",")]);
    }
  } catch (e) {
    console.log(`   failed: ${(e as Error).message.split("\n")[0]}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (rows.length > 0) console.log(table(["script", "scenario", "parse (median)", "parse + run (median)", "run min..max", "status"], rows));
}
