/**
 * `tsion build --watch`: build, then rebuild whenever a guest script, a lib
 * module, an init unit or the runtime declarations change. Changes are
 * debounced (editors write several events per save), a rebuild never runs
 * twice at once, and errors are reported without stopping the watcher.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runBuild, type BuildOptions } from "./build-command.ts";
import { CliError } from "./errors.ts";
import { GUEST_DIR } from "./entries.ts";

const DEBOUNCE_MS = 150;

function timestamp(): string {
  return new Date().toTimeString().slice(0, 8);
}

async function buildOnce(options: BuildOptions, cwd: string): Promise<void> {
  try {
    const status = await runBuild(options, cwd);
    process.stdout.write(`[${timestamp()}] ${status === 0 ? "Build succeeded" : "Build finished with errors"}. Watching for file changes.\n`);
  } catch (err) {
    const message = err instanceof CliError ? err.message : err instanceof Error ? `internal error: ${err.message}` : String(err);
    process.stderr.write(`tsion: error: ${message}\n`);
    process.stdout.write(`[${timestamp()}] Build failed. Watching for file changes.\n`);
  }
}

/** Runs until SIGINT/SIGTERM; resolves with the exit status then. */
export async function watchBuild(options: BuildOptions, cwd = process.cwd()): Promise<number> {
  const outDir = path.resolve(cwd, options.outDir ?? path.join("dist", "ion"));
  const watched = [path.join(cwd, GUEST_DIR), path.join(cwd, "runtime-shims", "runtime")].filter((d) => fs.existsSync(d));
  if (!watched.includes(path.join(cwd, GUEST_DIR))) throw new CliError(`cannot watch ${GUEST_DIR}: no such directory`);

  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;

  const rebuild = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    do {
      again = false;
      process.stdout.write(`[${timestamp()}] File change detected. Building...\n`);
      await buildOnce(options, cwd);
    } while (again);
    running = false;
  };

  const onEvent = (dir: string) => (_event: string, name: string | Buffer | null) => {
    // Our own writes into an out dir placed inside a watched tree must not loop.
    if (name !== null && path.resolve(dir, String(name)).startsWith(outDir + path.sep)) return;
    if (name !== null && String(name).includes(".tsion-tmp-")) return;
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), DEBOUNCE_MS);
  };

  process.stdout.write(`[${timestamp()}] Starting compilation in watch mode...\n`);
  await buildOnce(options, cwd);
  const watchers = watched.map((dir) => fs.watch(dir, { recursive: true }, onEvent(dir)));

  return new Promise((resolve) => {
    const stop = (): void => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      resolve(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
