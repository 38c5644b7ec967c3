#!/usr/bin/env node
// tsion launcher: registers tsx's ESM loader in this process (no second node
// process, no build step) and runs the TypeScript CLI.
import { readFileSync } from "node:fs";

const argv = process.argv.slice(2);
// Fast path: the version needs neither tsx nor the CLI.
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  const { main } = await import("../compiler/src/cli/index.ts");
  process.exitCode = await main(argv);
}
