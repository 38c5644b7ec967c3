// Unit tests for the netcfg model: one block per rule of docs/redox-contract.md §1
// (Tree, Reads, Writes and its per-node table).
import { describe, expect, it } from "vitest";
import { NetcfgModel, WRITE_BUFFER_MAX } from "../../runtime-shims/mock/netcfg.ts";
import { HostError } from "../../runtime-shims/host/types.ts";

function errnoOf(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof HostError) return e.code;
    throw e;
  }
}

/** echo VALUE > node as root: open, one write, close. Returns the write's errno or null. */
function put(m: NetcfgModel, node: string, value: string, uid = 0): string | null {
  const f = m.open(node, uid);
  const r = errnoOf(() => f.write(value));
  f.close();
  return r;
}

function configured(): NetcfgModel {
  const m = new NetcfgModel();
  expect(put(m, "ifaces/eth0/addr/set", "10.0.2.15/24\n")).toBeNull();
  return m;
}

describe("tree", () => {
  it("has the fixed tree and directories list sorted children without trailing newline", () => {
    const m = new NetcfgModel();
    expect(m.read("")).toBe("ifaces\nresolv\nroute");
    expect(m.read("ifaces")).toBe("eth0");
    expect(m.read("ifaces/eth0")).toBe("addr\nmac");
    expect(m.read("ifaces/eth0/addr")).toBe("list\nset");
    expect(m.read("route")).toBe("add\nlist\nrm");
    expect(m.read("resolv")).toBe("nameserver");
  });
  it("gives EINVAL (not ENOENT) for any other path, eth1 and lo included; stat is null", () => {
    const m = new NetcfgModel();
    for (const p of ["ifaces/eth1/addr/list", "ifaces/lo", "nope", "route/list/x", "ifaces/eth0/addr/get"]) {
      expect(errnoOf(() => m.open(p, 0))).toBe("EINVAL");
      expect(m.stat(p)).toBeNull();
    }
  });
  it("skips empty path segments", () => {
    const m = new NetcfgModel();
    expect(m.read("//ifaces///eth0/addr//list")).toBe("Not configured\n");
  });
});

describe("reads", () => {
  it("has netstack's initial values", () => {
    const m = new NetcfgModel();
    expect(m.read("ifaces/eth0/addr/list")).toBe("Not configured\n");
    expect(m.read("route/list")).toBe("127.0.0.0/8  dev loopback src 127.0.0.1\n");
    expect(m.read("resolv/nameserver")).toBe("8.8.8.8\n");
    expect(m.read("ifaces/eth0/mac")).toBe("52-54-00-12-34-56\n");
  });
  it("mac can be Not configured", () => {
    expect(new NetcfgModel({ mac: null }).read("ifaces/eth0/mac")).toBe("Not configured\n");
  });
  it("write-only nodes read empty", () => {
    const m = new NetcfgModel();
    expect(m.read("ifaces/eth0/addr/set")).toBe("");
    expect(m.read("route/add")).toBe("");
    expect(m.read("route/rm")).toBe("");
  });
  it("takes a snapshot at open", () => {
    const m = new NetcfgModel();
    const f = m.open("ifaces/eth0/addr/list", 0);
    expect(put(m, "ifaces/eth0/addr/set", "10.0.2.15/24\n")).toBeNull();
    expect(f.content).toBe("Not configured\n");
    expect(m.read("ifaces/eth0/addr/list")).toBe("10.0.2.15/24\n");
  });
  it("fstat: file/dir, 0o444 readable, 0o222 writable, uid 0, size = snapshot length", () => {
    const m = new NetcfgModel();
    expect(m.stat("ifaces/eth0/addr/list")).toEqual({ kind: "file", mode: 0o444, size: 15, uid: 0 });
    expect(m.stat("ifaces/eth0/addr/set")).toEqual({ kind: "file", mode: 0o222, size: 0, uid: 0 });
    expect(m.stat("resolv/nameserver")).toEqual({ kind: "file", mode: 0o666, size: 8, uid: 0 });
    expect(m.stat("")).toEqual({ kind: "dir", mode: 0o444, size: "ifaces\nresolv\nroute".length, uid: 0 });
  });
  it("route/list has two spaces after a non-default CIDR and default lines without them", () => {
    const m = configured();
    expect(put(m, "route/add", "default via 10.0.2.2\n")).toBeNull();
    expect(m.read("route/list")).toBe(
      "default via 10.0.2.2 dev eth0 src 10.0.2.15\n" +
        "127.0.0.0/8  dev loopback src 127.0.0.1\n" +
        "10.0.2.0/24  dev eth0 src 10.0.2.15\n",
    );
  });
});

describe("writes", () => {
  it("parses at write time: a bad value fails the write with EINVAL and the fd is dead", () => {
    const m = new NetcfgModel();
    const f = m.open("ifaces/eth0/addr/set", 0);
    expect(errnoOf(() => f.write("bogus\n"))).toBe("EINVAL");
    expect(errnoOf(() => f.write("10.0.2.15/24\n"))).toBe("EBADF");
    f.close();
    expect(m.read("ifaces/eth0/addr/list")).toBe("Not configured\n");
  });
  it("a value without newline is parsed only at commit; close swallows its error", () => {
    const m = new NetcfgModel();
    const f = m.open("ifaces/eth0/addr/set", 0);
    expect(errnoOf(() => f.write("bogus"))).toBeNull();
    expect(errnoOf(() => f.close())).toBeNull();
    expect(m.read("ifaces/eth0/addr/list")).toBe("Not configured\n");
    // and a good fragment commits on close (echo -n works)
    expect(put(m, "ifaces/eth0/addr/set", "10.0.2.15/24")).toBeNull();
    expect(m.read("ifaces/eth0/addr/list")).toBe("10.0.2.15/24\n");
  });
  it("nothing is applied before commit", () => {
    const m = new NetcfgModel();
    const f = m.open("ifaces/eth0/addr/set", 0);
    f.write("10.0.2.15/24\n");
    expect(m.read("ifaces/eth0/addr/list")).toBe("Not configured\n");
    f.close();
    expect(m.read("ifaces/eth0/addr/list")).toBe("10.0.2.15/24\n");
  });
  it("fsync commits and reports commit errors, then the fd is dead", () => {
    const m = new NetcfgModel();
    const f = m.open("ifaces/eth0/addr/set", 0);
    f.write("10.0.2.15/24\n");
    expect(errnoOf(() => f.sync())).toBeNull();
    expect(m.read("ifaces/eth0/addr/list")).toBe("10.0.2.15/24\n");
    expect(errnoOf(() => f.write("10.0.2.16/24\n"))).toBe("EBADF");
    expect(errnoOf(() => f.sync())).toBe("EBADF");
    f.close();
    const g = m.open("ifaces/eth0/addr/set", 0);
    g.write("bad");
    expect(errnoOf(() => g.sync())).toBe("EINVAL");
  });
  it("fsync of route/add with nothing written reports EINVAL; plain open+close is harmless", () => {
    const m = configured();
    const before = m.read("route/list");
    const f = m.open("route/add", 0);
    expect(errnoOf(() => f.sync())).toBe("EINVAL");
    m.open("route/add", 0).close();
    m.open("ifaces/eth0/addr/set", 0).close();
    expect(m.read("route/list")).toBe(before);
  });
  it("takes one line per open: a second line is EINVAL", () => {
    const m = new NetcfgModel();
    expect(put(m, "ifaces/eth0/addr/set", "10.0.2.15/24\n10.0.2.16/24\n")).toBe("EINVAL");
    expect(m.read("ifaces/eth0/addr/list")).toBe("Not configured\n");
    const f = m.open("ifaces/eth0/addr/set", 0);
    f.write("10.0.2.15/24\n");
    expect(errnoOf(() => f.write("\n"))).toBe("EINVAL");
    f.close();
    expect(m.read("ifaces/eth0/addr/list")).toBe("Not configured\n");
  });
  it("a second line as trailing fragment fails the commit", () => {
    const m = new NetcfgModel();
    const f = m.open("ifaces/eth0/addr/set", 0);
    f.write("10.0.2.15/24\nx");
    expect(errnoOf(() => f.sync())).toBe("EINVAL");
  });
  it("lines may arrive split over several writes", () => {
    const m = new NetcfgModel();
    const f = m.open("ifaces/eth0/addr/set", 0);
    f.write("10.0.2");
    f.write(".15/24\n");
    f.close();
    expect(m.read("ifaces/eth0/addr/list")).toBe("10.0.2.15/24\n");
  });
  it("non-root: open succeeds, write is EACCES (before any parsing)", () => {
    const m = new NetcfgModel();
    const f = m.open("ifaces/eth0/addr/set", 1000);
    expect(errnoOf(() => f.write("10.0.2.15/24\n"))).toBe("EACCES");
    expect(errnoOf(() => f.write("garbage\n"))).toBe("EACCES");
    f.close();
    expect(m.read("ifaces/eth0/addr/list")).toBe("Not configured\n");
    // non-root write to a read-only node is EACCES too (uid check first)
    expect(put(m, "route/list", "x\n", 1000)).toBe("EACCES");
  });
  it("read-only nodes and directories give EBADF on write", () => {
    const m = new NetcfgModel();
    expect(put(m, "route/list", "x\n")).toBe("EBADF");
    expect(put(m, "ifaces/eth0/addr/list", "10.0.2.15/24\n")).toBe("EBADF");
    expect(put(m, "route", "x\n")).toBe("EBADF");
  });
  it("EMSGSIZE over 0xffff buffered bytes", () => {
    const m = new NetcfgModel();
    const f = m.open("ifaces/eth0/addr/set", 0);
    expect(errnoOf(() => f.write("1".repeat(WRITE_BUFFER_MAX)))).toBeNull();
    expect(errnoOf(() => f.write("1"))).toBe("EMSGSIZE");
    const g = m.open("ifaces/eth0/addr/set", 0);
    expect(errnoOf(() => g.write("1".repeat(WRITE_BUFFER_MAX + 1)))).toBe("EMSGSIZE");
  });
  it("injected rejections apply from their start time", () => {
    let t = 0;
    const m = new NetcfgModel({ now: () => t, rejections: [{ node: "route/add", errno: "EINVAL", from: 5 }] });
    expect(put(m, "ifaces/eth0/addr/set", "10.0.2.15/24\n")).toBeNull();
    expect(put(m, "route/add", "default via 10.0.2.2\n")).toBeNull();
    t = 5;
    expect(put(m, "route/add", "10.0.3.0/24 via 10.0.2.2\n")).toBe("EINVAL");
    expect(m.routes.length).toBe(3);
  });
});

describe("addr/set", () => {
  it("rejects anything but a strict unicast A.B.C.D/N, without trimming", () => {
    const m = new NetcfgModel();
    for (const bad of [
      "10.0.2.15/24 ",
      " 10.0.2.15/24",
      "10.0.2.15/24\r",
      "10.0.2.15",
      "10.0.2.15/33",
      "10.0.2.256/24",
      "fe80::1/64",
      "0.0.0.0/0",
      "255.255.255.255/32",
      "224.0.0.1/4",
      "10.0.2/24",
      "10.0.2.15/",
      "",
    ]) {
      expect(put(m, "ifaces/eth0/addr/set", `${bad}\n`), JSON.stringify(bad)).toBe("EINVAL");
    }
    expect(m.read("ifaces/eth0/addr/list")).toBe("Not configured\n");
  });
  it("adds the connected rule; /0 shows as default dev eth0", () => {
    const m = configured();
    expect(m.read("route/list")).toBe("127.0.0.0/8  dev loopback src 127.0.0.1\n10.0.2.0/24  dev eth0 src 10.0.2.15\n");
    const z = new NetcfgModel();
    expect(put(z, "ifaces/eth0/addr/set", "10.0.2.15/0\n")).toBeNull();
    expect(z.read("route/list")).toBe("default dev eth0 src 10.0.2.15\n127.0.0.0/8  dev loopback src 127.0.0.1\n");
  });
  it("on change: removes the old network rule and rewrites src everywhere, defaults included", () => {
    const m = configured();
    expect(put(m, "route/add", "default via 10.0.2.2\n")).toBeNull();
    expect(put(m, "ifaces/eth0/addr/set", "192.168.1.5/16\n")).toBeNull();
    expect(m.read("ifaces/eth0/addr/list")).toBe("192.168.1.5/16\n");
    expect(m.read("route/list")).toBe(
      "default via 10.0.2.2 dev eth0 src 192.168.1.5\n" +
        "127.0.0.0/8  dev loopback src 127.0.0.1\n" +
        "192.168.0.0/16  dev eth0 src 192.168.1.5\n",
    );
  });
  it("re-setting the same address keeps a single connected rule", () => {
    const m = configured();
    expect(put(m, "ifaces/eth0/addr/set", "10.0.2.15/24\n")).toBeNull();
    expect(m.routes.filter((r) => r.dev === "eth0").length).toBe(1);
  });
});

describe("route/add", () => {
  it("needs via and a reachable unicast gateway; takes dev/src from the rule reaching it", () => {
    const m = new NetcfgModel();
    expect(put(m, "route/add", "default via 10.0.2.2\n")).toBe("EINVAL"); // nothing reaches it yet
    expect(put(m, "ifaces/eth0/addr/set", "10.0.2.15/24\n")).toBeNull();
    expect(put(m, "route/add", "default 10.0.2.2\n")).toBe("EINVAL");
    expect(put(m, "route/add", "default\n")).toBe("EINVAL");
    expect(put(m, "route/add", "default via\n")).toBe("EINVAL");
    expect(put(m, "route/add", "default via 10.0.3.1\n")).toBe("EINVAL"); // outside the /24
    expect(put(m, "route/add", "default via 255.255.255.255\n")).toBe("EINVAL");
    expect(put(m, "route/add", "default via 0.0.0.0\n")).toBe("EINVAL");
    expect(put(m, "route/add", "10.9.0.0 via 10.0.2.2\n")).toBe("EINVAL"); // bare IP is not a CIDR
    expect(put(m, "route/add", "  default   via 10.0.2.2 extra words\r\n")).toBeNull(); // split on whitespace
    expect(put(m, "route/add", "172.16.0.0/12 via 10.0.2.2\n")).toBeNull();
    expect(m.read("route/list")).toBe(
      "default via 10.0.2.2 dev eth0 src 10.0.2.15\n" +
        "127.0.0.0/8  dev loopback src 127.0.0.1\n" +
        "172.16.0.0/12  via 10.0.2.2 dev eth0 src 10.0.2.15\n" +
        "10.0.2.0/24  dev eth0 src 10.0.2.15\n",
    );
  });
  it("accepts duplicates; a new default lands before the older one, which keeps winning", () => {
    const m = new NetcfgModel();
    put(m, "ifaces/eth0/addr/set", "10.0.0.15/16\n");
    expect(put(m, "route/add", "default via 10.0.2.2\n")).toBeNull();
    expect(put(m, "route/add", "default via 10.0.9.9\n")).toBeNull();
    expect(put(m, "route/add", "default via 10.0.9.9\n")).toBeNull();
    const lines = m.read("route/list").split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "default via 10.0.9.9 dev eth0 src 10.0.0.15",
      "default via 10.0.9.9 dev eth0 src 10.0.0.15",
      "default via 10.0.2.2 dev eth0 src 10.0.0.15",
    ]);
    expect(m.lookupRule(0x08080808)?.via).toBe(0x0a000202);
  });
  it("prints the CIDR as given (host bits kept)", () => {
    const m = configured();
    expect(put(m, "route/add", "10.9.8.7/16 via 10.0.2.2\n")).toBeNull();
    expect(m.read("route/list")).toContain("10.9.8.7/16  via 10.0.2.2 dev eth0 src 10.0.2.15\n");
  });
});

describe("route/rm", () => {
  it("strict CIDR, not trimmed, `default` rejected; removes exact matches only; no match succeeds", () => {
    const m = configured();
    put(m, "route/add", "default via 10.0.2.2\n");
    expect(put(m, "route/rm", "default\n")).toBe("EINVAL");
    expect(put(m, "route/rm", "0.0.0.0/0 \n")).toBe("EINVAL");
    expect(put(m, "route/rm", "10.0.2.15/24\n")).toBeNull(); // not the 10.0.2.0/24 rule
    expect(m.routes.length).toBe(3);
    expect(put(m, "route/rm", "0.0.0.0/0\n")).toBeNull();
    expect(m.read("route/list")).toBe("127.0.0.0/8  dev loopback src 127.0.0.1\n10.0.2.0/24  dev eth0 src 10.0.2.15\n");
  });
  it("removes every duplicate", () => {
    const m = configured();
    put(m, "route/add", "default via 10.0.2.2\n");
    put(m, "route/add", "default via 10.0.2.3\n");
    expect(put(m, "route/rm", "0.0.0.0/0\n")).toBeNull();
    expect(m.routes.some((r) => r.filter.prefix === 0)).toBe(false);
  });
});

describe("nameserver and mac", () => {
  it("nameserver is trimmed, rejects broadcast/multicast/0.0.0.0, is read back", () => {
    const m = new NetcfgModel();
    expect(put(m, "resolv/nameserver", "  1.1.1.1 \r\n")).toBeNull();
    expect(m.read("resolv/nameserver")).toBe("1.1.1.1\n");
    for (const bad of ["0.0.0.0", "255.255.255.255", "224.0.0.251", "dns.example", "1.1.1.1 8.8.8.8"]) {
      expect(put(m, "resolv/nameserver", `${bad}\n`), bad).toBe("EINVAL");
    }
    expect(m.read("resolv/nameserver")).toBe("1.1.1.1\n");
  });
  it("mac is not trimmed, must be unicast, accepts - or :, reads back hyphenated lowercase", () => {
    const m = new NetcfgModel();
    expect(put(m, "ifaces/eth0/mac", "02:AB:cd:00:00:01\n")).toBeNull();
    expect(m.read("ifaces/eth0/mac")).toBe("02-ab-cd-00-00-01\n");
    expect(put(m, "ifaces/eth0/mac", "02-ab-cd-00-00-01 \n")).toBe("EINVAL");
    expect(put(m, "ifaces/eth0/mac", "01-00-5e-00-00-01\n")).toBe("EINVAL");
    expect(put(m, "ifaces/eth0/mac", "02-ab-cd:00-00-01\n")).toBe("EINVAL");
  });
});
