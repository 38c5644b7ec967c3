/**
 * Records the Node result of every corpus program (or of the names given):
 *   npx tsx test/corpus/record.ts [NAME...]
 * Writes `{ "stdout": ..., "stderr": ..., "status": N }` next to each entry. Never edit those by hand.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import { listCorpus } from "./corpus.ts";
import { mapLimit, runOnNode } from "./node-runner.ts";

const wanted = new Set(process.argv.slice(2));
const programs = listCorpus().filter((p) => wanted.size === 0 || wanted.has(p.name));
for (const w of wanted) {
  if (!programs.some((p) => p.name === w)) {
    console.error(`record: no corpus program named ${w}`);
    process.exit(2);
  }
}
await mapLimit(programs, Math.max(2, os.availableParallelism()), async (p) => {
  const r = await runOnNode(p.entry, p.args);
  fs.writeFileSync(p.expectedPath, JSON.stringify({ stdout: r.stdout, stderr: r.stderr, status: r.status }, null, 2) + "\n");
  console.log(`${p.name}: status ${r.status}, ${r.stdout.length} chars`);
});
