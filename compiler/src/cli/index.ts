/**
 * The `tsion` command line. Every command is registered here with its
 * options; what a command does is imported only when it runs, so `--help`,
 * `--version` and `tsion compile` load neither execa nor the networking, VM
 * or packing code. Exit status: 0 success, 1 diagnostics or failed checks, 2
 * usage or I/O error. User errors are one line `tsion: error: ...`, never a
 * stack trace.
 */
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { Command, CommanderError } from "commander";
import { CliError, EXIT_OK, EXIT_USAGE } from "./errors.ts";
import { DEFAULT_OUT_DIR } from "./entries.ts";
import { packageVersion } from "./package-info.ts";
import { registerSim } from "./sim.ts";
import { registerNet } from "../../../host/net/cli.ts";
import { registerVm } from "../../../host/vm/cli.ts";
import { registerPack } from "../../../pack/cli.ts";

export { packageVersion };

/** Status set by our own command actions (sim, pack, net and vm set process.exitCode). */
let actionStatus = EXIT_OK;

export async function createProgram(): Promise<Command> {
  const program = new Command();
  // Settings made before .command() are inherited by every subcommand.
  program
    .name("tsion")
    .description("Compile Redox guest logic written in a TypeScript subset to Ion shell scripts, and test it against a mocked Redox.")
    .version(packageVersion(), "-v, --version", "print the version")
    .helpOption("-h, --help", "print this help")
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`tsion: ${str}`) })
    .showHelpAfterError("(run 'tsion --help' for usage)")
    .addHelpText("after", "\nExit status: 0 success, 1 diagnostics or failed checks, 2 usage or I/O error.\n");

  program
    .command("init")
    .description("make DIR (default .) a guest-script project: guest-scripts/ with an example, scenarios/, tsconfig.json, package scripts")
    .argument("[dir]", "project directory (created if missing)")
    .action(async (dir: string | undefined) => {
      actionStatus = await (await import("./init-command.ts")).runInit(dir);
    });

  program
    .command("compile")
    .description("compile one entry point to Ion (on stdout unless -o is given)")
    .argument("<file>", "entry point, e.g. guest-scripts/netcfg-auto.ts")
    .option("-o, --output <file>", "write the Ion script here (atomically, mode 0755)")
    .action(async (file: string, opts: { output?: string }) => {
      actionStatus = await (await import("./compile-command.ts")).runCompile(file, opts);
    });

  program
    .command("build")
    .description("compile every guest-scripts/*.ts to <out-dir>/<name>.ion and copy guest-scripts/init/ to <out-dir>/init/")
    .option("-d, --out-dir <dir>", "output directory", DEFAULT_OUT_DIR)
    .option("--clean", "remove the scripts of entry points that no longer exist (listed in <out-dir>/commands.json)")
    .option("-w, --watch", "rebuild on every change until interrupted")
    .action(async (opts: { outDir: string; clean?: boolean; watch?: boolean }) => {
      if (opts.watch) {
        actionStatus = await (await import("./watch.ts")).watchBuild({ outDir: opts.outDir, clean: opts.clean });
      } else {
        actionStatus = await (await import("./build-command.ts")).runBuild({ outDir: opts.outDir, clean: opts.clean });
      }
    });

  program
    .command("check")
    .description("type-check and subset-check without writing anything (default: every entry point)")
    .argument("[files...]", "entry points to check")
    .action(async (files: string[]) => {
      actionStatus = await (await import("./check-command.ts")).runCheck(files);
    });

  program
    .command("test")
    .description("run scenarios on Node and ion-sim (and real ion), check [expect] and that the backends agree")
    .argument("[scenarios...]", "scenario files or directories of them (default: scenarios/, else test/scenarios/)")
    .option("--script <file>", "the guest entry for every scenario (their [run] script may then be absent)")
    .option("--ion <path>", "also run on this real ion binary, compared with ion-sim (default $ION_BIN; docs/real-ion.md)")
    .option("--without-sleep", "run every scenario also on an image without sleep")
    .option("--json", "print the results as one JSON document")
    .addHelpText("after", "\nExit status: 0 every scenario passed, 1 one failed, 2 usage or I/O error.\n")
    .action(async (scenarios: string[], opts: { script?: string; ion?: string; withoutSleep?: boolean; json?: boolean }) => {
      actionStatus = await (await import("./test-command.ts")).runTest(scenarios, opts);
    });

  registerSim(program);
  registerPack(program);
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
    const otherStatus = typeof process.exitCode === "number" ? process.exitCode : 0;
    return Math.max(actionStatus, otherStatus);
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
