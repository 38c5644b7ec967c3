/**
 * The `tsion` command line: compile, build (--watch), check, and sim (from
 * ./sim.ts when present). Exit status: 0 success, 1 diagnostics, 2 usage or
 * I/O error. User errors are one line `tsion: error: ...`, never a stack trace.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Command, CommanderError } from "commander";
import { runBuild } from "./build-command.ts";
import { runCheck } from "./check-command.ts";
import { runCompile } from "./compile-command.ts";
import { CliError, EXIT_OK, EXIT_USAGE } from "./errors.ts";
import { DEFAULT_OUT_DIR } from "./entries.ts";
import { registerNet } from "../../../host/net/cli.ts";
import { registerVm } from "../../../host/vm/cli.ts";
import { registerPack } from "../../../pack/pack-command.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const PACKAGE_JSON = path.resolve(here, "../../../package.json");

export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(PACKAGE_JSON, "utf8")) as { version: string }).version;
}

/** Status set by our own command actions (sim.ts may also set process.exitCode). */
let actionStatus = EXIT_OK;

async function registerSimIfPresent(program: Command): Promise<void> {
  const simPath = path.join(here, "sim.ts");
  if (!fs.existsSync(simPath)) return;
  try {
    const sim = (await import(pathToFileURL(simPath).href)) as { registerSim?: (program: Command) => void };
    if (typeof sim.registerSim !== "function") throw new Error("sim.ts does not export registerSim");
    sim.registerSim(program);
  } catch (err) {
    // A broken sim must not take compile/build/check down with it.
    const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
    program
      .command("sim")
      .description("run compiled Ion in the simulator (unavailable)")
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new CliError(`sim is unavailable: ${reason}`);
      });
  }
}

export async function createProgram(): Promise<Command> {
  const program = new Command();
  // Settings made before .command() are inherited by every subcommand.
  program
    .name("tsion")
    .description("Compile Redox guest logic written in a TypeScript subset to Ion shell scripts.")
    .version(packageVersion(), "-v, --version", "print the version")
    .helpOption("-h, --help", "print this help")
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`tsion: ${str}`) })
    .showHelpAfterError("(run 'tsion --help' for usage)")
    .addHelpText(
      "after",
      "\nExit status: 0 success, 1 compile errors (diagnostics), 2 usage or I/O error.\n",
    );

  program
    .command("compile")
    .description("compile one entry point to Ion (on stdout unless -o is given)")
    .argument("<file>", "entry point, e.g. guest-scripts/netcfg-auto.ts")
    .option("-o, --output <file>", "write the Ion script here (atomically, mode 0755)")
    .action(async (file: string, opts: { output?: string }) => {
      actionStatus = await runCompile(file, opts);
    });

  program
    .command("build")
    .description(`compile every guest-scripts/*.ts to <out-dir>/<name>.ion and copy guest-scripts/init/ to <out-dir>/init/`)
    .option("-d, --out-dir <dir>", "output directory", DEFAULT_OUT_DIR)
    .option("-w, --watch", "rebuild on every change until interrupted")
    .action(async (opts: { outDir: string; watch?: boolean }) => {
      if (opts.watch) {
        const { watchBuild } = await import("./watch.ts");
        actionStatus = await watchBuild({ outDir: opts.outDir });
      } else {
        actionStatus = await runBuild({ outDir: opts.outDir });
      }
    });

  program
    .command("check")
    .description("type-check and subset-check without writing anything (default: every entry point)")
    .argument("[files...]", "entry points to check")
    .action(async (files: string[]) => {
      actionStatus = await runCheck(files);
    });

  registerPack(program);
  await registerSimIfPresent(program);
  registerNet(program);
  registerVm(program);
  return program;
}

function exitStatusOf(err: unknown): { status: number; message?: string } {
  if (err instanceof CommanderError) {
    // commander has already printed help, the version or its error message.
    return { status: err.exitCode === 0 ? EXIT_OK : EXIT_USAGE };
  }
  if (err instanceof CliError) return { status: err.exitCode, message: err.message };
  const code = (err as { exitCode?: unknown } | null)?.exitCode;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === "number" && code > 0) return { status: code, message };
  if (process.env.TSION_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return { status: EXIT_USAGE, message: `internal error: ${message.split("\n")[0]}` };
}

/** Runs the CLI on `argv` (without node and script) and returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  // `tsion compile x.ts | head` must not die with EPIPE.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
  });
  actionStatus = EXIT_OK;
  try {
    const program = await createProgram();
    await program.parseAsync(argv, { from: "user" });
    const simStatus = typeof process.exitCode === "number" ? process.exitCode : 0;
    return Math.max(actionStatus, simStatus);
  } catch (err) {
    const { status, message } = exitStatusOf(err);
    if (message !== undefined) process.stderr.write(`tsion: error: ${message}\n`);
    return status;
  }
}

// Run directly with `npx tsx compiler/src/cli/index.ts ...` as well as through bin/tsion.mjs.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
