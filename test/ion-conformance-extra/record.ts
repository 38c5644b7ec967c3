/**
 * Records the expected stdout and status of the project's own conformance
 * cases from a real ion binary (3 runs, which must agree):
 *
 *   ION_BIN=/path/to/ion npx tsx test/ion-conformance-extra/record.ts [NAME...]
 *
 * Only `stdout` and `status` are written; the description, tags, args, env
 * and files of NAME.json are kept. Never edit the expected values by hand.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EXTRA_DIR, listExtraCases, loadExtraCase, runExtraOnRealIon } from "./cases.ts";

const ionBin = process.env.ION_BIN;
if (!ionBin) {
  console.error("record.ts: set ION_BIN to a real ion binary (1.0.0-alpha, upstream 1440704f)");
  process.exit(2);
}
const names = process.argv.slice(2);
for (const name of names.length > 0 ? names : listExtraCases()) {
  const { spec } = loadExtraCase(name);
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await runExtraOnRealIon(ionBin, name));
  const [first] = runs;
  if (runs.some((r) => r.stdout !== first.stdout || r.status !== first.status)) {
    console.error(`${name}: the three runs disagree; not recorded`);
    process.exitCode = 1;
    continue;
  }
  const out = { ...spec, stdout: first.stdout, status: first.status };
  fs.writeFileSync(path.join(EXTRA_DIR, `${name}.json`), JSON.stringify(out, null, 1) + "\n");
  console.log(`${name}: status ${first.status}, ${first.stdout.length} chars of stdout`);
}
