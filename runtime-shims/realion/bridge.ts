/**
 * Bridge: one Host (normally a MockRedox) served over a Unix socket as
 * JSON lines, so real processes (the FUSE /scheme server, the command shims)
 * see the same mocked Redox that ion-sim uses.
 *
 * Request:  {"id":1,"op":"stat","path":"/scheme/netcfg"}
 * Response: {"id":1,"ok":true,"result":...} or {"id":1,"ok":false,"code":"EINVAL","message":"..."}
 *
 * Every Host call is synchronous, so each request is answered completely as
 * soon as its line arrives: requests are handled strictly in arrival order.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import { HostError, type FileHandle, type Host } from "../host/types.ts";

/** The resource the FUSE server serves itself when it counts opens. */
export const NULL_RESOURCE = "/scheme/null";

export interface BridgeRequest {
  id: number;
  op: string;
  [k: string]: unknown;
}

export class Bridge {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly handles = new Map<number, FileHandle>();
  private nextHandle = 1;
  /** Every request served, for debugging and tests. */
  readonly requests: { op: string; path?: string }[] = [];

  /** How many counted opens of /scheme/null the host has been charged for. */
  private nullOpensCharged = 0;
  private readonly counterFd: number | null;

  /**
   * `openCounter`: a file in which the FUSE server counts the opens of
   * /scheme/null it serves itself (scheme_fuse.py). Before every request the
   * host is given the opens counted since the last one, in order, so what a
   * request observes (the virtual clock above all) is what it would be had
   * each open come through here.
   */
  constructor(
    private readonly host: Host,
    readonly socketPath: string,
    openCounter?: string,
  ) {
    this.counterFd = openCounter === undefined ? null : fs.openSync(openCounter, "r");
  }

  /** Charge the host for the /scheme/null opens counted since the last call. */
  chargeCountedOpens(): void {
    if (this.counterFd === null) return;
    const buf = Buffer.alloc(8);
    fs.readSync(this.counterFd, buf, 0, 8, 0);
    const counted = Number(buf.readBigUInt64LE(0));
    for (; this.nullOpensCharged < counted; this.nullOpensCharged++) this.host.open(NULL_RESOURCE, "write").close();
  }

  async listen(): Promise<void> {
    if (fs.existsSync(this.socketPath)) fs.unlinkSync(this.socketPath);
    const server = net.createServer((sock) => this.serve(sock));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.socketPath, () => resolve());
    });
    // Sandboxed processes may run as another uid.
    fs.chmodSync(this.socketPath, 0o666);
  }

  private serve(sock: net.Socket): void {
    this.sockets.add(sock);
    let buf = "";
    sock.setEncoding("utf8");
    sock.on("data", (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim() === "") continue;
        sock.write(JSON.stringify(this.handle(line)) + "\n");
      }
    });
    sock.on("error", () => sock.destroy());
    sock.on("close", () => this.sockets.delete(sock));
  }

  /** Answer one request line. */
  handle(line: string): Record<string, unknown> {
    let req: BridgeRequest;
    try {
      req = JSON.parse(line) as BridgeRequest;
    } catch {
      return { id: null, ok: false, code: "EINVAL", message: "bad JSON" };
    }
    this.requests.push({ op: req.op, path: typeof req.path === "string" ? req.path : undefined });
    try {
      this.chargeCountedOpens();
      return { id: req.id, ok: true, result: this.dispatch(req) ?? null };
    } catch (e) {
      if (e instanceof HostError) return { id: req.id, ok: false, code: e.code, message: e.message };
      return { id: req.id, ok: false, code: "EIO", message: (e as Error)?.message ?? String(e) };
    }
  }

  private dispatch(req: BridgeRequest): unknown {
    const h = this.host;
    const str = (k: string): string => {
      const v = req[k];
      if (typeof v !== "string") throw new HostError("EINVAL", String(k), `missing string '${k}'`);
      return v;
    };
    const handle = (): { id: number; fh: FileHandle } => {
      const id = Number(req.h);
      const fh = this.handles.get(id);
      if (!fh) throw new HostError("EBADF", `handle ${String(req.h)}`);
      return { id, fh };
    };
    switch (req.op) {
      case "stat":
        return h.stat(str("path"));
      case "readFile":
        return h.readFile(str("path"));
      case "open": {
        const mode = req.mode === "append" ? "append" : "write";
        const fh = h.open(str("path"), mode);
        const id = this.nextHandle++;
        this.handles.set(id, fh);
        return id;
      }
      case "write":
        handle().fh.write(str("data"));
        return null;
      case "sync":
        handle().fh.sync();
        return null;
      case "close": {
        const { id, fh } = handle();
        this.handles.delete(id);
        fh.close();
        return null;
      }
      case "listDir":
        return h.listDir(str("path"));
      case "remove":
        h.remove(str("path"));
        return null;
      case "exec": {
        const argv = Array.isArray(req.argv) ? req.argv.map(String) : [];
        let stdout = "";
        let stderr = "";
        const env: Record<string, string> = {};
        if (req.env && typeof req.env === "object")
          for (const [k, v] of Object.entries(req.env as Record<string, unknown>)) env[k] = String(v);
        const status = h.exec(argv, {
          stdin: typeof req.stdin === "string" ? req.stdin : "",
          stdout: (s) => (stdout += s),
          stderr: (s) => (stderr += s),
          env,
          cwd: typeof req.cwd === "string" ? req.cwd : h.cwd(),
        });
        return { status, stdout, stderr };
      }
      case "now":
        return h.now();
      default:
        throw new HostError("EINVAL", req.op, `unknown op '${req.op}'`);
    }
  }

  /** Open handles (a leak check for tests). */
  openHandles(): number {
    return this.handles.size;
  }

  async close(): Promise<void> {
    this.chargeCountedOpens();
    if (this.counterFd !== null) fs.closeSync(this.counterFd);
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    for (const fh of this.handles.values()) {
      try {
        fh.close();
      } catch {
        /* commit errors are swallowed on close, as on Redox */
      }
    }
    this.handles.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    try {
      fs.unlinkSync(this.socketPath);
    } catch {
      /* already gone */
    }
  }
}
