/**
 * A bubblewrap sandbox where a real shell (ion, or bash for the self-tests)
 * sees the mocked Redox of a MockRedox:
 *   /scheme      FUSE mount (scheme_fuse.py) forwarding to the bridge
 *   /usr/bin     command shims (command_shim.py) forwarding to the bridge's exec,
 *                the bridge socket, the shell itself and the shims' python
 *   /etc, /tmp, /root, /home, ...  the mock root's own top-level directories (writable)
 *   everything else  the real root, read-only; fresh /dev and /proc; no network
 * Only the temporary directories made here and the mock root can change.
 *
 * Node must never touch the FUSE mount itself: the FUSE server waits on this
 * process's event loop for every answer, so a synchronous fs call on the
 * mount would deadlock. Everything that may reach it (bwrap, fusermount) is
 * spawned asynchronously.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { MockRedox } from "../mock/mock-redox.ts";
import { SHIMS } from "../mock/commands/index.ts";
import { Bridge } from "./bridge.ts";
import { stdioFifo, type Fifo } from "./fifo.ts";
import { realIonTools, type RealIonTools } from "./requirements.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Where things sit inside the sandbox. */
export const SANDBOX = {
  bin: "/usr/bin",
  shell: "/usr/bin/.tsion-shell",
  python: "/usr/bin/.tsion-python3",
  setpriv: "/usr/bin/.tsion-setpriv",
} as const;

/** Top-level names never taken from the mock root or the real root. */
const SPECIAL = new Set(["dev", "proc", "sys", "scheme", "usr"]);

export interface SandboxRun {
  /** exit status; 128+N when killed by signal N */
  status: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Environment of the shell (default PATH=/usr/bin only). */
  env?: Record<string, string>;
  /** Run as this uid (and gid); default 0. */
  uid?: number;
  /** Working directory inside the sandbox; default "/". */
  cwd?: string;
  /** Kill the sandbox after this long (default 25 s). */
  timeoutMs?: number;
}

export class RealSandbox {
  private constructor(
    readonly mock: MockRedox,
    readonly shell: string,
    readonly tools: RealIonTools,
    readonly tmp: string,
    readonly shimsDir: string,
    readonly schemeDir: string,
    readonly bridge: Bridge,
    /** Where the /scheme FUSE server counts the /scheme/null opens it serves itself. */
    readonly nullOpenCounter: string,
  ) {}

  /** FUSE servers started so far (teardown unmounts and stops each). */
  private readonly fuses: { dir: string; child: ChildProcess; mounted: boolean }[] = [];
  /** Ordinary files with injected write failures, served through FUSE: guest path -> source. */
  private readonly rejectedFiles = new Map<string, string>();

  /**
   * Start the bridge and the FUSE server for `mock`; run `body`; always tear
   * down (unmount, kill the FUSE server, close the socket, remove temp dirs).
   */
  static async with<T>(mock: MockRedox, shell: string, body: (sb: RealSandbox) => Promise<T>): Promise<T> {
    const tools = realIonTools();
    const shellReal = fs.realpathSync(shell);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-realion-"));
    const shimsDir = path.join(tmp, "bin");
    const schemeDir = path.join(tmp, "scheme");
    fs.mkdirSync(shimsDir, { mode: 0o755 });
    fs.mkdirSync(schemeDir, { mode: 0o755 });
    const counter = path.join(tmp, "null-opens");
    fs.writeFileSync(counter, Buffer.alloc(8));
    const bridge = new Bridge(mock, path.join(shimsDir, ".bridge.sock"), counter);
    const sb = new RealSandbox(mock, shellReal, tools, tmp, shimsDir, schemeDir, bridge, counter);
    try {
      installShims(shimsDir, mock.commandNames()); // an image may lack some (e.g. sleep)
      await bridge.listen();
      await sb.mountFuse(schemeDir, "/scheme");
      await sb.mountRejectedFiles();
      return await body(sb);
    } finally {
      await sb.teardown();
    }
  }

  /**
   * A [[reject]] on an ordinary file must fail the shell's own write(2), so
   * such files are served by a second FUSE mount of the whole mock tree and
   * bound over their place. (Files that do not exist yet are left alone.)
   */
  private async mountRejectedFiles(): Promise<void> {
    const paths = [...new Set((this.mock.config.rejections ?? []).map((r) => path.posix.normalize(r.path)))].filter(
      (p) => !p.startsWith("/scheme/") && fs.existsSync(this.mock.fsRoot.hostPath(p)),
    );
    if (paths.length === 0) return;
    const dir = path.join(this.tmp, "files");
    fs.mkdirSync(dir, { mode: 0o755 });
    await this.mountFuse(dir, "");
    for (const p of paths) this.rejectedFiles.set(p, path.join(dir, p));
  }

  /** Start scheme_fuse.py on `dir` for guest paths under `prefix`; wait for its "ready" (sent once mounted). */
  private async mountFuse(dir: string, prefix: string): Promise<void> {
    const counter = prefix === "/scheme" ? [this.nullOpenCounter] : [];
    const child = spawn(this.tools.python, [path.join(HERE, "scheme_fuse.py"), dir, this.bridge.socketPath, prefix, ...counter], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const entry = { dir, child, mounted: false };
    this.fuses.push(entry);
    let err = "";
    child.stderr!.setEncoding("utf8").on("data", (s: string) => (err += s));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`FUSE /scheme did not mount within 10 s: ${err}`)), 10_000);
      let out = "";
      child.stdout!.setEncoding("utf8").on("data", (s: string) => {
        out += s;
        if (out.includes("ready\n")) {
          clearTimeout(timer);
          entry.mounted = true;
          resolve();
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`FUSE /scheme server exited (${code}) before mounting: ${err}`));
      });
    });
  }

  /** Put a file beside the shims (visible as /usr/bin/<name> inside). */
  addFile(name: string, content: string, mode = 0o644): string {
    if (name.includes("/") || SHIMS[name]) throw new Error(`bad sandbox file name '${name}'`);
    fs.writeFileSync(path.join(this.shimsDir, name), content, { mode });
    return `${SANDBOX.bin}/${name}`;
  }

  /** bwrap's arguments for one run of `args` (after the shell). */
  bwrapArgs(args: string[], opts: RunOptions = {}): string[] {
    const a = ["--die-with-parent", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-pid", "--new-session"];
    const mockRoot = this.mock.fsRoot.hostPath("/");
    const mocked = new Set(fs.readdirSync(mockRoot).filter((n) => !SPECIAL.has(n)));
    // The real root, entry by entry and read-only, so bwrap's own tmpfs root
    // (not the real one) receives any new mount points.
    for (const name of fs.readdirSync("/")) {
      if (SPECIAL.has(name) || mocked.has(name) || name === "tmp") continue;
      const p = `/${name}`;
      const st = fs.lstatSync(p);
      if (st.isSymbolicLink()) a.push("--symlink", fs.readlinkSync(p), p);
      else if (st.isDirectory()) a.push("--ro-bind", p, p);
    }
    a.push("--ro-bind", "/usr", "/usr", "--dev", "/dev", "--proc", "/proc");
    if (!mocked.has("tmp")) a.push("--tmpfs", "/tmp");
    for (const name of [...mocked].sort()) {
      const src = path.join(mockRoot, name);
      if (fs.lstatSync(src).isDirectory()) a.push("--bind", src, `/${name}`);
    }
    for (const [guest, src] of this.rejectedFiles) a.push("--bind", src, guest);
    a.push("--bind", this.schemeDir, "/scheme");
    a.push("--ro-bind", this.shimsDir, SANDBOX.bin);
    a.push("--ro-bind", this.shell, SANDBOX.shell);
    a.push("--ro-bind", this.tools.python, SANDBOX.python);
    const uid = opts.uid ?? 0;
    const cmd = [SANDBOX.shell, ...args];
    if (uid !== 0) {
      if (!this.tools.setpriv) throw new Error("non-root run needs setpriv (util-linux)");
      a.push("--ro-bind", this.tools.setpriv, SANDBOX.setpriv);
      cmd.unshift(SANDBOX.setpriv, `--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--");
    }
    a.push("--chdir", opts.cwd ?? "/", "--cap-drop", "ALL");
    if (uid !== 0) a.splice(a.indexOf("--cap-drop"), 2); // setpriv needs CAP_SETUID; it drops root itself
    a.push("--", ...cmd);
    return a;
  }

  /** Run the shell with `args` inside the sandbox; stdin is /dev/null. */
  async run(args: string[], opts: RunOptions = {}): Promise<SandboxRun> {
    // mount points for the bound binaries
    for (const f of [SANDBOX.shell, SANDBOX.python, SANDBOX.setpriv]) {
      const p = path.join(this.shimsDir, path.basename(f));
      if (!fs.existsSync(p)) fs.writeFileSync(p, "", { mode: 0o755 });
    }
    const env = opts.env ?? { PATH: SANDBOX.bin };
    // Real pipes (FIFOs), not Node's socketpairs: scripts write `> /dev/stderr`,
    // and open(2) of a socket through /proc/self/fd fails with ENXIO.
    const out = this.fifo("stdout");
    const err = this.fifo("stderr");
    // ...owned by the user the shell runs as, or reopening them is EACCES.
    if (opts.uid) for (const fd of [out.w, err.w]) fs.fchownSync(fd, opts.uid, opts.uid);
    let child: ChildProcess;
    try {
      child = spawn(this.tools.bwrap, this.bwrapArgs(args, opts), { env, stdio: ["ignore", out.w, err.w] });
    } finally {
      fs.closeSync(out.w);
      fs.closeSync(err.w);
    }
    let stdout = "";
    let stderr = "";
    const drained = Promise.all([
      out.read((s) => (stdout += s)),
      err.read((s) => (stderr += s)),
    ]);
    const timeoutMs = opts.timeoutMs ?? 25_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    const status = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code, signal) => resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0)));
    }).finally(() => clearTimeout(timer));
    await drained;
    if (timedOut) throw new Error(`sandbox run timed out after ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`);
    return { status, stdout, stderr };
  }

  /** A FIFO in the temp dir for one stream of one run. */
  private fifo(name: string): Fifo {
    return stdioFifo(this.tmp, `${name}.${this.fifos++}`);
  }
  private fifos = 0;

  private async teardown(): Promise<void> {
    for (const f of this.fuses.reverse()) await stopFuse(f, this.tools.fusermount);
    await this.bridge.close();
    if (!this.fuses.some((f) => isMounted(f.dir))) fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** Unmount (fusermount -u, else umount -l) and stop the server (SIGTERM, then SIGKILL). */
async function stopFuse(f: { dir: string; child: ChildProcess; mounted: boolean }, fusermount: string): Promise<void> {
  if (f.mounted || isMounted(f.dir)) {
    await runQuiet(fusermount, ["-u", f.dir]);
    if (isMounted(f.dir)) await runQuiet("umount", ["-l", f.dir]);
    f.mounted = false;
  }
  const child = f.child;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 2_000);
    child.kill("SIGTERM");
    await exited;
    clearTimeout(timer);
    // a killed server can leave a dead mount behind
    if (isMounted(f.dir)) await runQuiet("umount", ["-l", f.dir]);
  }
}

/** One executable per command the mocked image has: `#!` our python, then command_shim.py. */
function installShims(dir: string, names: string[]): void {
  const body = fs.readFileSync(path.join(HERE, "command_shim.py"), "utf8");
  const text = `#!${SANDBOX.python} -IS\n${body}`;
  for (const name of names) fs.writeFileSync(path.join(dir, name), text, { mode: 0o755 });
}

/** Whether `dir` is a mount point, from /proc/self/mountinfo (never stats the mount). */
export function isMounted(dir: string): boolean {
  const want = path.resolve(dir);
  try {
    return fs
      .readFileSync("/proc/self/mountinfo", "utf8")
      .split("\n")
      .some((l) => l.split(" ")[4]?.replace(/\\040/g, " ") === want);
  } catch {
    return false;
  }
}

function runQuiet(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { stdio: "ignore" });
    c.once("error", () => resolve(-1));
    c.once("close", (code) => resolve(code ?? -1));
  });
}
