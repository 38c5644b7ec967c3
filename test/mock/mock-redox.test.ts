// MockRedox as a Host: filesystem root, /scheme, clock events and the command shims.
import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import { MockRedox, SCHEME_OPEN_SECONDS, type MockConfig } from "../../runtime-shims/mock/mock-redox.ts";
import { HostError } from "../../runtime-shims/host/types.ts";

const mocks: MockRedox[] = [];
afterEach(() => {
  while (mocks.length) mocks.pop()!.dispose();
});
function mk(cfg: MockConfig = {}): MockRedox {
  const m = new MockRedox(cfg);
  mocks.push(m);
  return m;
}

/** Run a shim, returning status, stdout and stderr. */
function run(m: MockRedox, ...argv: string[]): { status: number | null; out: string; err: string } {
  let out = "";
  let err = "";
  const status = m.exec(argv, { stdin: "", stdout: (s) => (out += s), stderr: (s) => (err += s), env: {}, cwd: m.cwd() });
  return { status, out, err };
}

function write(m: MockRedox, p: string, data: string): string | null {
  const f = m.open(p, "write");
  try {
    f.write(data);
    return null;
  } catch (e) {
    if (e instanceof HostError) return e.code;
    throw e;
  } finally {
    f.close();
  }
}

const LEASE = { server: true, replyAfter: 2, ack: true, ip: "10.0.2.15", prefix: 24, gateway: "10.0.2.2", dns: "10.0.2.3", background: false };

describe("filesystem root", () => {
  it("resolves absolute guest paths inside the root and relative ones against the cwd", () => {
    const m = mk({ cwd: "/home/user", files: [{ path: "/home/user/a.txt", data: "A", mode: 0o644 }] });
    expect(m.readFile("a.txt")).toBe("A");
    expect(m.readFile("/home/user/a.txt")).toBe("A");
    expect(fs.readFileSync(path.join(m.fsRoot.dir, "home/user/a.txt"), "utf8")).toBe("A");
  });
  it("cannot escape the root with ..", () => {
    const m = mk();
    const f = m.open("/../../../escape.txt", "write");
    f.write("x");
    f.close();
    expect(fs.existsSync(path.join(m.fsRoot.dir, "escape.txt"))).toBe(true);
    expect(fs.existsSync(path.join(path.dirname(m.fsRoot.dir), "escape.txt"))).toBe(false);
    expect(m.readFile("../../../../escape.txt")).toBe("x");
  });
  it("ships base.toml's /etc/net files", () => {
    const m = mk();
    expect(m.readFile("/etc/net/ip_router")).toBe("10.0.2.2\n");
    expect(m.readFile("/etc/net/dns")).toBe("9.9.9.9\n");
    expect(mk({ baseFiles: false }).stat("/etc/net/dns")).toBeNull();
  });
  it("a given root keeps its existing files (base files only fill gaps)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mock-root-"));
    try {
      fs.mkdirSync(path.join(dir, "etc/net"), { recursive: true });
      fs.writeFileSync(path.join(dir, "etc/net/dns"), "1.1.1.1\n");
      const m = new MockRedox({ root: dir });
      expect(m.readFile("/etc/net/dns")).toBe("1.1.1.1\n");
      expect(m.readFile("/etc/net/ip_router")).toBe("10.0.2.2\n");
      m.dispose();
      expect(fs.existsSync(path.join(dir, "etc/net/dns"))).toBe(true); // not removed: not ours
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("non-root cannot write root's files", () => {
    const m = mk({ uid: 1000 });
    expect(() => m.open("/etc/net/dns", "write")).toThrow(/EACCES/);
    expect(run(m, "mkdir", "/etc/x")).toEqual({ status: 1, out: "", err: "mkdir: cannot create directory '/etc/x': Permission denied\n" });
    expect(run(m, "rm", "/etc/net/dns").status).toBe(1);
    const f = m.open("/tmp/mine", "write"); // /tmp is world-writable
    f.write("ok");
    f.close();
    expect(m.readFile("/tmp/mine")).toBe("ok");
  });
  it("/dev/null swallows writes and reads empty", () => {
    const m = mk();
    expect(write(m, "/dev/null", "x")).toBeNull();
    expect(m.readFile("/dev/null")).toBe("");
  });
});

describe("/scheme and netstack", () => {
  it("lists base schemes, the NIC's driver scheme, and netstack's schemes once netcfg is up", () => {
    const m = mk({ nics: [{ driver: "virtio_net", pci: "00:03.0", at: 0 }], netcfgAt: 2 });
    expect(run(m, "ls", "/scheme").out).toBe(
      ["debug", "event", "log", "network.pci-00-00-03.0_virtio_net", "null", "pipe", "proc", "pty", "sys", "time"].join("\n") + "\n",
    );
    expect(m.stat("/scheme/netcfg")).toBeNull();
    expect(() => m.readFile("/scheme/netcfg/ifaces/eth0/addr/list")).toThrow(/ENOENT/);
    m.sleep(1.9);
    expect(m.stat("/scheme/netcfg")).toBeNull();
    m.sleep(0.1);
    expect(m.stat("/scheme/netcfg")?.kind).toBe("dir");
    expect(m.listDir("/scheme")).toEqual(
      ["debug", "event", "icmp", "ip", "log", "netcfg", "network.pci-00-00-03.0_virtio_net", "null", "pipe", "proc", "pty", "sys", "tcp", "time", "udp"],
    );
    expect(m.readFile("/scheme/netcfg/ifaces/eth0/addr/list")).toBe("Not configured\n");
    expect(m.timeline.first("netcfg-up")).toBe(2);
  });
  it("netcfg EINVAL on unknown paths, stat null", () => {
    const m = mk();
    expect(m.stat("/scheme/netcfg/ifaces/eth1")).toBeNull();
    expect(() => m.readFile("/scheme/netcfg/ifaces/eth1/addr/list")).toThrow(/EINVAL/);
    expect(() => m.open("/scheme/netcfg/x", "write")).toThrow(/EINVAL/);
  });
  it("no adapter: netstack exits, netcfg never appears", () => {
    const m = mk({ nics: [] });
    m.sleep(100);
    expect(m.stat("/scheme/netcfg")).toBeNull();
    expect(m.timeline.first("netstack-exit")).toBe(0);
  });
  it("a NIC appearing after netstack started does not help", () => {
    const m = mk({ nics: [{ driver: "e1000", pci: "00:03.0", at: 5 }], netcfgAt: 1 });
    m.sleep(10);
    expect(m.stat("/scheme/netcfg")).toBeNull();
    expect(m.listDir("/scheme")).toContain("network.pci-00-00-03.0_e1000");
  });
  it("names PCI schemes as pcid does, with multiple NICs netstack uses the first", () => {
    const m = mk({ nics: [{ driver: "rtl8139", pci: "0:1f:1a.3", at: 0 }, { driver: "e1000", pci: "00:03.0", at: 0 }] });
    expect(m.listDir("/scheme")).toContain("network.pci-00-1f-1a.3_rtl8139");
    expect(m.logText).toContain("Multiple network adapters found. Only network.pci-00-00-03.0_e1000 will be used");
  });
  it("netcfg writes through the Host follow netcfg's write rules (EINVAL at write, non-root EACCES)", () => {
    const m = mk();
    expect(write(m, "/scheme/netcfg/ifaces/eth0/addr/set", "10.0.2.15/24 \n")).toBe("EINVAL");
    expect(write(m, "/scheme/netcfg/ifaces/eth0/addr/set", "10.0.2.15/24\n")).toBeNull();
    expect(m.netcfgState().addr).toBe("10.0.2.15/24");
    const u = mk({ uid: 1000 });
    expect(write(u, "/scheme/netcfg/ifaces/eth0/addr/set", "10.0.2.15/24\n")).toBe("EACCES");
  });
  it("injected rejections on netcfg nodes and ordinary files", () => {
    const m = mk({
      rejections: [
        { path: "/scheme/netcfg/ifaces/eth0/addr/set", errno: "EIO", from: 1, until: 2 },
        { path: "/etc/net/dns", errno: "EACCES", from: 0 },
      ],
    });
    expect(write(m, "/scheme/netcfg/ifaces/eth0/addr/set", "10.0.2.15/24\n")).toBeNull();
    m.sleep(1);
    expect(write(m, "/scheme/netcfg/ifaces/eth0/addr/set", "10.0.2.16/24\n")).toBe("EIO");
    m.sleep(1);
    expect(write(m, "/scheme/netcfg/ifaces/eth0/addr/set", "10.0.2.17/24\n")).toBeNull();
    expect(write(m, "/etc/net/dns", "1.1.1.1\n")).toBe("EACCES");
  });
});

describe("clock and background DHCP", () => {
  it("sleep advances virtual time instantly, with fractions", () => {
    const m = mk();
    const t0 = Date.now();
    expect(run(m, "sleep", "0.25").status).toBe(0);
    expect(run(m, "sleep", "1", "2s").status).toBe(0);
    expect(m.now()).toBeCloseTo(3.25);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(run(m, "sleep", "abc")).toEqual({ status: 1, out: "", err: "sleep: invalid time interval 'abc'\n" });
  });
  it("the init unit's dhcpd applies the lease at netcfg_at + reply_after, as dhcpd does", () => {
    const m = mk({ netcfgAt: 1, dhcp: { ...LEASE, background: true } });
    m.sleep(2.9);
    expect(m.netcfgState().addr).toBe("Not configured");
    m.sleep(0.2);
    expect(m.netcfgState()).toMatchObject({
      addr: "10.0.2.15/24",
      routes: ["default via 10.0.2.2 dev eth0 src 10.0.2.15", "127.0.0.0/8  dev loopback src 127.0.0.1", "10.0.2.0/24  dev eth0 src 10.0.2.15"],
      nameserver: "10.0.2.3",
    });
    expect(m.timeline.first("addr")).toBe(3);
    expect(m.readFile("/etc/net/dns")).toBe("9.9.9.9\n");
    expect(m.commandLog).toEqual([]);
  });
});

describe("command shims", () => {
  it("records every call with its time; unknown commands are null; which finds only shims", () => {
    const m = mk();
    run(m, "sleep", "1");
    expect(run(m, "wget", "x").status).toBeNull();
    expect(m.commandLog).toEqual([
      { argv: ["sleep", "1"], time: 0 },
      { argv: ["wget", "x"], time: 1 },
    ]);
    expect(m.which("grep")).toBe("/usr/bin/grep");
    expect(m.which("sed")).toBeNull();
    expect(run(m, "/usr/bin/cat", "/etc/net/dns").out).toBe("9.9.9.9\n");
    expect(run(m, "/bin/true").status).toBe(0);
  });
  it("cat and ls errors", () => {
    const m = mk();
    expect(run(m, "cat", "/nope")).toEqual({ status: 1, out: "", err: "cat: /nope: No such file or directory\n" });
    expect(run(m, "cat", "/scheme/netcfg/bad")).toEqual({ status: 1, out: "", err: "cat: /scheme/netcfg/bad: Invalid argument\n" });
    expect(run(m, "ls", "/nope").status).toBe(2);
    expect(run(m, "ls", "/etc/net").out).toBe("dns\nip\nip_router\nip_subnet\n");
  });
  it("dhcpd without a server gives up after 30 s with exit 1", () => {
    const m = mk();
    const r = run(m, "dhcpd", "eth0");
    expect(r).toEqual({ status: 1, out: "", err: "dhcpd: failed to receive offer: Resource temporarily unavailable (os error 11)\n" });
    // 30 s timeout, plus two scheme opens (it reads mac and addr/list first)
    expect(m.now()).toBeCloseTo(30 + 2 * SCHEME_OPEN_SECONDS, 9);
    expect(m.netcfgState().addr).toBe("Not configured");
  });
  it("dhcpd with a server applies the lease; each run adds another default route", () => {
    const m = mk({ dhcp: LEASE });
    expect(run(m, "dhcpd").status).toBe(0);
    // reply_after (2 s), plus 2 reads and 3 writes of netcfg nodes
    expect(m.now()).toBeCloseTo(2 + 5 * SCHEME_OPEN_SECONDS, 9);
    expect(run(m, "dhcpd", "-v").status).toBe(0);
    expect(m.netcfgState().routes.filter((r) => r.startsWith("default"))).toHaveLength(2);
    expect(m.netcfgState().nameserver).toBe("10.0.2.3");
  });
  it("dhcpd: 127.x DNS becomes 9.9.9.9; no mask gives /0; no ACK keeps the lease and exits 1 after 60 s", () => {
    const m = mk({ dhcp: { ...LEASE, prefix: undefined, gateway: undefined, dns: "127.0.0.53", ack: false, replyAfter: 30 } });
    const r = run(m, "dhcpd");
    expect(r.status).toBe(1);
    expect(r.err).toBe("dhcpd: failed to receive ack: Resource temporarily unavailable (os error 11)\n");
    expect(r.out).toBe("DHCP: No subnet mask\nDHCP: No router\n"); // printed even without -v
    expect(m.now()).toBeCloseTo(60 + 4 * SCHEME_OPEN_SECONDS, 9);
    expect(m.netcfgState()).toMatchObject({ addr: "10.0.2.15/0", nameserver: "9.9.9.9" });
    expect(m.netcfgState().routes[0]).toBe("default dev eth0 src 10.0.2.15");
  });
  it("dhcpd -v prints its progress lines and read-backs", () => {
    const m = mk({ dhcp: { ...LEASE, dns: "127.0.0.1" } });
    const r = run(m, "dhcpd", "-v", "eth0");
    expect(r.status).toBe(0);
    expect(r.out).toBe(
      [
        "DHCP: MAC: 52-54-00-12-34-56 Current IP: Not configured",
        "DHCP: Sent Discover",
        "DHCP: Offer IP: [10, 0, 2, 15], Server IP: [10, 0, 2, 2]",
        "DHCP: Message Type: [2]",
        "DHCP: Server ID: [10, 0, 2, 2]",
        "DHCP: Lease Time: [0, 1, 81, 128]",
        "DHCP: Subnet Mask: [255, 255, 255, 0]",
        "DHCP: Router: [10, 0, 2, 2]",
        "DHCP: Domain Name Server: [127, 0, 0, 1]",
        "DHCP: New IP: 10.0.2.15/24",
        "DHCP: New Router: default via 10.0.2.2 dev eth0 src 10.0.2.15\n127.0.0.0/8  dev loopback src 127.0.0.1\n10.0.2.0/24  dev eth0 src 10.0.2.15",
        "DHCP: Received sarcastic DNS suggestion 127.0.0.1, using 9.9.9.9 instead",
        "DHCP: New DNS: 9.9.9.9",
        "DHCP: Sent Request",
        "DHCP: Ack IP: [10, 0, 2, 15], Server IP: [10, 0, 2, 2]",
        "",
      ].join("\n"),
    );
    expect(run(m, "dhcpd").out).toBe(""); // quiet without -v
  });
  it("dhcpd without netcfg cannot open the mac node", () => {
    const m = mk({ nics: [] });
    expect(run(m, "dhcpd")).toEqual({ status: 1, out: "", err: "dhcpd: Can't open /scheme/netcfg/ifaces/eth0/mac\n" });
  });
  it("dhcpd's route/add without newline is parsed at fsync, which reports the error", () => {
    const m = mk({ dhcp: { ...LEASE, gateway: "10.0.3.1" } });
    const r = run(m, "dhcpd");
    expect(r.status).toBe(1);
    expect(r.err).toBe("dhcpd: failed to set default route: Can't commit default via 10.0.3.1 to /scheme/netcfg/route/add\n");
    expect(m.netcfgState().addr).toBe("10.0.2.15/24");
  });
  it("dhcpd as non-root fails on the first write", () => {
    const m = mk({ dhcp: LEASE, uid: 1000 });
    const r = run(m, "dhcpd");
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/^dhcpd: failed to set ip: Can't write 10.0.2.15\/24\n to \/scheme\/netcfg\/ifaces\/eth0\/addr\/set\n$/);
  });
  it("ping: real output format; exit 0 even at 100% loss; timing on the 1 s tick", () => {
    const m = mk({ dhcp: LEASE });
    const lost = run(m, "ping", "-c", "1", "10.0.2.2");
    expect(lost).toEqual({
      status: 0,
      err: "",
      out:
        "PING 10.0.2.2 (10.0.2.2) 40(68) bytes of data.\n" +
        "From 10.0.2.2 icmp_seq=0 timeout\n" +
        "--- 10.0.2.2 ping statistics ---\n" +
        "1 packets transmitted, 0 packets received, 100.00% packet loss\n",
    });
    expect(m.now()).toBe(5);
    run(m, "dhcpd");
    const ok = run(m, "ping", "-c", "2", "10.0.2.2");
    expect(ok.out).toBe(
      "PING 10.0.2.2 (10.0.2.2) 40(68) bytes of data.\n" +
        "From 10.0.2.2 icmp_seq=0 time=0.734ms\n" +
        "From 10.0.2.2 icmp_seq=1 time=0.734ms\n" +
        "--- 10.0.2.2 ping statistics ---\n" +
        "2 packets transmitted, 2 packets received, 0.00% packet loss\n" +
        "rtt min/avg/max = 0.734/0.734/0.734 ms\n",
    );
    expect(run(m, "ping", "-c", "x", "10.0.2.2")).toEqual({ status: 1, out: "", err: "Error: Invalid argument to -c option\n" });
    expect(run(m, "ping").status).toBe(2);
    expect(run(m, "ping", "example.org").status).toBe(1);
  });
  it("ping: the older default route keeps winning", () => {
    const m = mk({ reachable: ["10.0.2.2", "1.1.1.1"] });
    write(m, "/scheme/netcfg/ifaces/eth0/addr/set", "10.0.2.15/24\n");
    write(m, "/scheme/netcfg/route/add", "default via 10.0.2.9\n"); // a dead gateway, added first
    write(m, "/scheme/netcfg/route/add", "default via 10.0.2.2\n");
    expect(run(m, "ping", "-c", "1", "1.1.1.1").out).toContain("1 packets transmitted, 0 packets received");
    write(m, "/scheme/netcfg/route/rm", "0.0.0.0/0\n");
    write(m, "/scheme/netcfg/route/add", "default via 10.0.2.2\n");
    expect(run(m, "ping", "-c", "1", "1.1.1.1").out).toContain("1 packets transmitted, 1 packets received");
  });
  it("ifconfig: formats and errors, always exit 0", () => {
    const m = mk({ dhcp: LEASE });
    expect(run(m, "ifconfig", "eth0")).toEqual({ status: 0, out: "", err: "Error: Interface 'eth0' not found.\n" });
    expect(run(m, "ifconfig")).toEqual({
      status: 0,
      out: "No interfaces found.\n",
      err: "Skipping interface 'eth0': Invalid IP address: Not configured\n",
    });
    run(m, "dhcpd");
    expect(run(m, "ifconfig", "eth0").out).toBe("eth0:\n    MAC Address: 00:00:00:00:00:00\n    IP Address: 10.0.2.15\n    Netmask: 24\n\n");
    expect(run(m, "ifconfig", "-a").out).toBe("eth0:\n    MAC Address: 00:00:00:00:00:00\n    IP Address: 10.0.2.15\n    Netmask: 24\n\n\n");
    expect(run(m, "ifconfig", "eth1")).toEqual({ status: 0, out: "", err: "Error: Interface 'eth1' not found.\n" });
  });
  it("grep: fixed substring and flags", () => {
    const m = mk({ files: [{ path: "/f", data: "a.c\nabc\nA.C x\n", mode: 0o644 }] });
    expect(run(m, "grep", "a.c", "/f")).toEqual({ status: 0, out: "a.c\n", err: "" });
    expect(run(m, "grep", "-i", "-n", "a.c", "/f").out).toBe("1:a.c\n3:A.C x\n");
    expect(run(m, "grep", "-c", "-v", "a.c", "/f").out).toBe("2\n");
    expect(run(m, "grep", "-H", "-m", "1", "-i", "a.c", "/f").out).toBe("/f:a.c\n");
    expect(run(m, "grep", "-q", "zzz", "/f")).toEqual({ status: 1, out: "", err: "" });
    expect(run(m, "grep", "-q", "abc", "/f")).toEqual({ status: 0, out: "", err: "" });
    expect(run(m, "grep", "-z", "abc", "/f").status).toBe(2);
    expect(run(m, "grep", "abc", "/nope").status).toBe(2);
    expect(run(m, "grep", "c", "/f", "/f").out).toBe("/f:a.c\n/f:abc\n/f:a.c\n/f:abc\n");
    expect(run(m, "grep", "-h", "c", "/f", "/f").out).toBe("a.c\nabc\na.c\nabc\n");
    expect(run(m, "grep", "abc", "/f", "-c")).toEqual({ status: 0, out: "1\n", err: "" }); // flags anywhere
    expect(run(m, "grep", "-inm1", "A.C", "/f").out).toBe("1:a.c\n");
    expect(run(m, "grep", "--max-count=0", "a", "/f").status).toBe(1);
    expect(run(m, "grep", "-m", "x", "a", "/f")).toEqual({ status: 2, out: "", err: "Invalid max count x: invalid digit found in string\n" });
    expect(run(m, "grep")).toEqual({ status: 2, out: "", err: "You must provide a pattern\n" });
    expect(run(m, "grep", "abc", "/nope", "/f")).toEqual({
      status: 2,
      out: "/f:abc\n",
      err: "Error opening /nope: No such file or directory (os error 2)\n",
    });
    let out = "";
    m.exec(["grep", "-h", "b"], { stdin: "xbx\nyyy\n", stdout: (s) => (out += s), stderr: () => {}, env: {}, cwd: "/" });
    expect(out).toBe("xbx\n");
  });
  it("printf, echo, test, rm, mkdir", () => {
    const m = mk();
    expect(run(m, "printf", "%s=%d\\n", "a", "1", "b", "2").out).toBe("a=1\nb=2\n");
    expect(run(m, "printf", "%b|%5s|%-3s|%03d", "x\\ty", "ab", "c", "7").out).toBe("x\ty|   ab|c  |007");
    expect(run(m, "echo", "-n", "a", "b").out).toBe("a b");
    expect(run(m, "echo", "-e", "a\\nb").out).toBe("a\nb\n");
    expect(run(m, "test", "-f", "/etc/net/dns").status).toBe(0);
    expect(run(m, "test", "-d", "/etc/net/dns").status).toBe(1);
    expect(run(m, "test", "3", "-lt", "10").status).toBe(0);
    expect(run(m, "test", "a", "=", "b").status).toBe(1);
    expect(run(m, "test", "x", "-lt", "1").status).toBe(2);
    expect(run(m, "mkdir", "-p", "/a/b/c").status).toBe(0);
    expect(run(m, "mkdir", "/a")).toEqual({ status: 1, out: "", err: "mkdir: cannot create directory '/a': File exists\n" });
    expect(run(m, "rm", "/a").status).toBe(1);
    expect(run(m, "rm", "-r", "/a").status).toBe(0);
    expect(m.stat("/a")).toBeNull();
    expect(run(m, "rm", "/etc/net/dns").status).toBe(0);
    expect(run(m, "rm", "/etc/net/dns")).toEqual({ status: 1, out: "", err: "rm: cannot remove '/etc/net/dns': No such file or directory\n" });
  });
});

describe("newer interface naming (naming = pci)", () => {
  const E1000 = { driver: "e1000", pci: "00:04.0", at: 0 };
  const DEV = "pci-0000-00-04.0_e1000";
  it("lists lo plus one interface per adapter, named after the PCI path; eth0 is EINVAL", () => {
    const m = mk({ naming: "pci", nics: [E1000] });
    expect(m.listDir("/scheme")).toContain(`network.${DEV}`);
    expect(run(m, "ls", "/scheme/netcfg/ifaces").out).toBe(`lo\n${DEV}\n`);
    expect(m.readFile("/scheme/netcfg/ifaces/lo/addr/list")).toBe("127.0.0.1/8\n");
    expect(m.readFile("/scheme/netcfg/ifaces/lo/mac")).toBe("Not configured\n");
    expect(m.readFile(`/scheme/netcfg/ifaces/${DEV}/addr/list`)).toBe("Not configured\n");
    expect(m.readFile(`/scheme/netcfg/ifaces/${DEV}/mac`)).toBe("52-54-00-12-34-56\n");
    expect(m.readFile("/scheme/netcfg/route/list")).toBe("127.0.0.0/8  dev lo src 127.0.0.1\n");
    expect(m.stat("/scheme/netcfg/ifaces/eth0")).toBeNull();
    expect(m.stat("/scheme/netcfg/ifaces/eth0/addr/set")).toBeNull();
    expect(() => m.open("/scheme/netcfg/ifaces/eth0/addr/set", "write")).toThrow(/EINVAL/);
    expect(() => m.readFile("/scheme/netcfg/ifaces/eth0/addr/list")).toThrow(/EINVAL/);
  });
  it("routes name the interface; the observation reports the NIC interface and every address", () => {
    const m = mk({ naming: "pci", nics: [E1000] });
    expect(write(m, `/scheme/netcfg/ifaces/${DEV}/addr/set`, "10.0.2.15/24\n")).toBeNull();
    expect(write(m, "/scheme/netcfg/route/add", "default via 10.0.2.2\n")).toBeNull();
    expect(m.netcfgState()).toMatchObject({
      device: DEV,
      addr: "10.0.2.15/24",
      routes: [`default via 10.0.2.2 dev ${DEV} src 10.0.2.15`, "127.0.0.0/8  dev lo src 127.0.0.1", `10.0.2.0/24  dev ${DEV} src 10.0.2.15`],
      ifaces: { lo: "127.0.0.1/8", [DEV]: "10.0.2.15/24" },
    });
    expect(m.timeline.first("lo-write")).toBeNull();
    expect(m.timeline.first("usable")).not.toBeNull();
  });
  it("a write to lo is applied to lo (breaking loopback) and recorded as lo-write; the NIC stays unconfigured", () => {
    const m = mk({ naming: "pci", nics: [E1000] });
    expect(write(m, "/scheme/netcfg/ifaces/lo/addr/set", "10.0.2.15/24\n")).toBeNull();
    expect(m.timeline.first("lo-write")).not.toBeNull();
    expect(m.timeline.first("addr")).toBeNull();
    expect(m.netcfgState()).toMatchObject({ addr: "Not configured", ifaces: { lo: "10.0.2.15/24" } });
    expect(m.netcfgState().routes).toEqual(["10.0.2.0/24  dev lo src 10.0.2.15"]);
  });
  it("netstack runs with lo alone; an adapter registering later becomes an interface then", () => {
    const m = mk({ naming: "pci", nics: [{ ...E1000, at: 3 }], netcfgAt: 0 });
    expect(m.listDir("/scheme/netcfg/ifaces")).toEqual(["lo"]);
    expect(m.netcfgState()).toMatchObject({ up: true, device: "", addr: "Not configured" });
    m.sleep(3);
    expect(m.listDir("/scheme/netcfg/ifaces")).toEqual(["lo", DEV]);
    expect(m.timeline.first("iface")).toBe(3);
  });
  it("no adapter at all: netcfg with lo only, forever", () => {
    const m = mk({ naming: "pci", nics: [] });
    m.sleep(60);
    expect(m.listDir("/scheme/netcfg/ifaces")).toEqual(["lo"]);
    expect(m.timeline.first("netstack-exit")).toBeNull();
  });
  it("two adapters: two interfaces with their own MACs; dhcpd configures the first in name order", () => {
    const m = mk({ naming: "pci", nics: [{ driver: "virtio_net", pci: "00:05.0", at: 0 }, E1000], dhcp: LEASE });
    const second = "pci-0000-00-05.0_virtio_net";
    expect(m.listDir("/scheme/netcfg/ifaces")).toEqual(["lo", DEV, second]);
    expect(m.readFile(`/scheme/netcfg/ifaces/${second}/mac`)).toBe("52-54-00-12-34-57\n");
    expect(run(m, "dhcpd").status).toBe(0);
    expect(m.netcfgState().ifaces).toEqual({ lo: "127.0.0.1/8", [DEV]: "10.0.2.15/24", [second]: "Not configured" });
  });
  it("the init unit's dhcpd leases onto the PCI-named interface, once that interface exists", () => {
    const m = mk({ naming: "pci", nics: [{ ...E1000, at: 2 }], netcfgAt: 0.5, dhcp: { ...LEASE, replyAfter: 1, background: true } });
    m.sleep(10);
    expect(m.timeline.first("dhcp-lease")).toBe(3);
    expect(m.netcfgState().routes).toContain(`default via 10.0.2.2 dev ${DEV} src 10.0.2.15`);
  });
  it("ping goes out through the NIC interface", () => {
    const m = mk({ naming: "pci", nics: [E1000], dhcp: { ...LEASE, background: true } });
    m.sleep(3);
    expect(run(m, "ping", "-c", "1", "10.0.2.2").out).toContain("1 packets received");
  });
});

describe("images without some commands", () => {
  it("a missing command is command-not-found, unknown to which and absent from /usr/bin", () => {
    const m = mk({ missingCommands: ["sleep"] });
    expect(run(m, "sleep", "1").status).toBeNull();
    expect(m.which("sleep")).toBeNull();
    expect(m.which("cat")).toBe("/usr/bin/cat");
    expect(m.stat("/usr/bin/sleep")).toBeNull();
    expect(m.listDir("/usr/bin")).not.toContain("sleep");
    expect(m.commandNames()).not.toContain("sleep");
    expect(m.timeline.first("command-not-found")).toBe(0);
  });
});

describe("time cost of scheme access", () => {
  it("every open of a /scheme resource costs SCHEME_OPEN_SECONDS; stats and ordinary files are free", () => {
    const m = mk();
    m.stat("/scheme/netcfg/ifaces/eth0/addr/list");
    m.readFile("/etc/net/dns");
    write(m, "/tmp/x", "x");
    expect(m.now()).toBe(0);
    m.readFile("/scheme/netcfg/ifaces/eth0/addr/list");
    expect(m.now()).toBeCloseTo(SCHEME_OPEN_SECONDS, 12);
    write(m, "/scheme/null", "");
    m.listDir("/scheme");
    expect(m.now()).toBeCloseTo(3 * SCHEME_OPEN_SECONDS, 12);
    run(m, "cat", "/scheme/netcfg/route/list"); // a command's open counts too
    expect(m.now()).toBeCloseTo(4 * SCHEME_OPEN_SECONDS, 12);
  });
  it("a failed open still costs the round trip", () => {
    const m = mk({ nics: [] });
    expect(() => m.readFile("/scheme/netcfg/ifaces/eth0/addr/list")).toThrow();
    expect(m.now()).toBeCloseTo(SCHEME_OPEN_SECONDS, 12);
  });
  it("init's own services cost the guest nothing: the background lease lands exactly at netcfg_at + reply_after", () => {
    const m = mk({ netcfgAt: 1, dhcp: { ...LEASE, replyAfter: 2, background: true } });
    m.sleep(5);
    expect(m.timeline.first("dhcp-lease")).toBe(3);
    expect(m.now()).toBe(5);
  });
});
