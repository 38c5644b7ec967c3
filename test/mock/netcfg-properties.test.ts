// Property tests for the netcfg model (fast-check): parsing strictness and route-table invariants.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NetcfgModel } from "../../runtime-shims/mock/netcfg.ts";
import { HostError } from "../../runtime-shims/host/types.ts";

function put(m: NetcfgModel, node: string, value: string): string | null {
  const f = m.open(node, 0);
  try {
    f.write(value);
    return null;
  } catch (e) {
    if (e instanceof HostError) return e.code;
    throw e;
  } finally {
    f.close();
  }
}

const octet = fc.integer({ min: 0, max: 255 });
const unicastIp = fc
  .tuple(octet, octet, octet, octet)
  .filter(([a, b, c, d]) => !(a === 0 && b === 0 && c === 0 && d === 0) && !(a >= 224 && a <= 239) && !(a === 255 && b === 255 && c === 255 && d === 255))
  .map((o) => o.join("."));
const prefix = fc.integer({ min: 0, max: 32 });

describe("netcfg properties", () => {
  it("addr/set accepts every unicast A.B.C.D/N and reads it back exactly", () => {
    fc.assert(
      fc.property(unicastIp, prefix, (ip, n) => {
        const m = new NetcfgModel();
        expect(put(m, "ifaces/eth0/addr/set", `${ip}/${n}\n`)).toBeNull();
        expect(m.read("ifaces/eth0/addr/list")).toBe(`${ip}/${n}\n`);
      }),
    );
  });
  it("addr/set rejects any value with surrounding whitespace (not trimmed)", () => {
    fc.assert(
      fc.property(unicastIp, prefix, fc.constantFrom(" ", "\t", "\r"), fc.boolean(), (ip, n, ws, before) => {
        const m = new NetcfgModel();
        const v = before ? `${ws}${ip}/${n}` : `${ip}/${n}${ws}`;
        expect(put(m, "ifaces/eth0/addr/set", `${v}\n`)).toBe("EINVAL");
        expect(m.read("ifaces/eth0/addr/list")).toBe("Not configured\n");
      }),
    );
  });
  it("route/list stays sorted by prefix length and every eth0 rule carries the current src", () => {
    const op = fc.oneof(
      fc.tuple(fc.constant("ifaces/eth0/addr/set"), fc.tuple(fc.constantFrom("10.0.2.15", "10.0.3.7", "192.168.1.2"), fc.constantFrom(8, 16, 24)).map(([ip, n]) => `${ip}/${n}`)),
      fc.tuple(fc.constant("route/add"), fc.tuple(fc.constantFrom("default", "172.16.0.0/12", "10.9.0.0/16"), fc.constantFrom("10.0.2.2", "10.0.3.1", "192.168.1.1")).map(([d, g]) => `${d} via ${g}`)),
      fc.tuple(fc.constant("route/rm"), fc.constantFrom("0.0.0.0/0", "10.0.0.0/8", "10.0.2.0/24", "172.16.0.0/12")),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        const m = new NetcfgModel();
        for (const [node, value] of ops) put(m, node, `${value}\n`);
        const prefixes = m.routes.map((r) => r.filter.prefix);
        expect([...prefixes].sort((a, b) => a - b)).toEqual(prefixes);
        for (const r of m.routes) if (r.dev === "eth0") expect(r.src).toBe(m.addr!.addr);
        expect(m.routes.some((r) => r.dev === "loopback")).toBe(true);
      }),
    );
  });
});
