/**
 * Every external command of host networking goes through a Runner: argument
 * arrays (never a shell string), one timeout, the namespace prefix of
 * --netns, the verbose log, and the text `--dry-run` prints. The printed
 * form is the exact argv, quoted for a POSIX shell so it can be pasted.
 */
import { execa } from "execa";
import { findExecutable } from "../executables.ts";

export interface Command {
  argv: string[];
  /** Fed on stdin (nft -f -). */
  input?: string;
  /** stderr that means "already so" (e.g. deleting what is gone): not a failure. */
  tolerate?: RegExp;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Failed with a tolerated message. */
  tolerated: boolean;
}

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly result: { exitCode?: number; stderr: string; timedOut?: boolean },
  ) {
    super(`${command} failed (${result.timedOut ? "timed out" : `exit ${result.exitCode}`})${result.stderr.trim() ? `: ${result.stderr.trim()}` : ""}`);
  }
}

export interface RunnerOptions {
  /** Run everything inside this network namespace (`ip -n NAME`, `ip netns exec NAME`). */
  netns?: string;
  /** Called with `+ <command>` before each command runs. */
  log?: (line: string) => void;
  timeoutMs?: number;
}

/** Words a POSIX shell reads literally; anything else is single-quoted. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellWord(word: string): string {
  return PLAIN.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export class Runner {
  readonly netns: string | undefined;
  private readonly log: ((line: string) => void) | undefined;
  private readonly timeoutMs: number;
  /** Commands run so far (tests and the bench count them). */
  count = 0;

  constructor(opts: RunnerOptions = {}) {
    this.netns = opts.netns;
    this.log = opts.log;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** The argv actually executed: `ip` gains `-n NS`, anything else runs under `ip netns exec NS`. */
  wrap(argv: string[]): string[] {
    if (this.netns === undefined) return argv;
    if (argv[0] === "ip") return ["ip", "-n", this.netns, ...argv.slice(1)];
    return ["ip", "netns", "exec", this.netns, ...argv];
  }

  /** How a command is shown (dry run, verbose log, errors). */
  display(cmd: Command): string {
    const line = this.wrap(cmd.argv).map(shellWord).join(" ");
    return cmd.input === undefined ? line : `${line} <<'EOF'\n${cmd.input.replace(/\n$/, "")}\nEOF`;
  }

  async run(cmd: Command): Promise<RunResult> {
    const argv = this.wrap(cmd.argv);
    const shown = this.display(cmd);
    this.log?.(`+ ${shown}`);
    this.count++;
    const exe = findExecutable(argv[0]!) ?? argv[0]!;
    const r = await execa(exe, argv.slice(1), {
      input: cmd.input,
      reject: false,
      timeout: this.timeoutMs,
      forceKillAfterDelay: 2_000,
      stdin: cmd.input === undefined ? "ignore" : "pipe",
      // Tools print messages in English for the `tolerate` patterns.
      env: { LC_ALL: "C" },
    });
    const stderr = String(r.stderr ?? "");
    const stdout = String(r.stdout ?? "");
    if (r.exitCode === 0 && !r.timedOut) return { stdout, stderr, exitCode: 0, tolerated: false };
    if (!r.timedOut && cmd.tolerate?.test(stderr)) return { stdout, stderr, exitCode: r.exitCode ?? 1, tolerated: true };
    if (r.failed && r.exitCode === undefined && !r.timedOut) {
      throw new CommandError(shown.split("\n")[0]!, { stderr: `${stderr}${r.message ? ` (${r.message.split("\n")[0]})` : ""}` });
    }
    throw new CommandError(shown.split("\n")[0]!, { exitCode: r.exitCode, stderr, timedOut: r.timedOut });
  }

  /** Runs a read-only command and returns its stdout. */
  async read(argv: string[]): Promise<string> {
    return (await this.run({ argv })).stdout;
  }
}
