/**
 * The real-process machinery (bridge + FUSE /scheme + command shims + bwrap),
 * proven with bash standing in for ion: real write(2)/close(2) on the mocked
 * netcfg, the mock's virtual clock, the mock root as /etc. Assertions are on
 * the mock's state, not just on output. Runs under CI=true; elsewhere it
 * skips visibly when root/bwrap/FUSE/python3-fusepy are missing.
 */
import * as fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { MockRedox } from "../../runtime-shims/mock/mock-redox.ts";
import { RealSandbox, isMounted } from "../../runtime-shims/realion/sandbox.ts";
import { realIonMissing } from "../../runtime-shims/realion/requirements.ts";
import { requirement } from "../support/requirements.ts";

const need = requirement("test/realion/sandbox", realIonMissing() ?? "");
const missing = need.skip ? need.missing : null;
const maybe = need.skip ? it.skip : it;
const BASH = fs.existsSync("/bin/bash") ? "/bin/bash" : "/usr/bin/bash";

const ADDR_LIST = "/scheme/netcfg/ifaces/eth0/addr/list";
const ADDR_SET = "/scheme/netcfg/ifaces/eth0/addr/set";

let mock: MockRedox | null = null;
afterEach(() => {
  mock?.dispose();
  mock = null;
});

/** Run bash -c `script` against a fresh mock. */
async function bash(script: string, m = new MockRedox({})) {
  mock = m;
  let dirs: { tmp: string; scheme: string } | null = null;
  const r = await RealSandbox.with(m, BASH, async (sb) => {
    dirs = { tmp: sb.tmp, scheme: sb.schemeDir };
    const run = await sb.run(["-c", script]);
    return { ...run, openHandles: sb.bridge.openHandles() };
  });
  return { ...r, dirs: dirs! };
}

describe(`real processes on the mocked Redox${missing ? ` (skipped: ${missing})` : ""}`, () => {
  maybe("cat reads netcfg through the command shim: Not configured", async () => {
    const r = await bash(`cat ${ADDR_LIST}`);
    expect(r.stdout).toBe("Not configured\n");
    expect(r.status).toBe(0);
    expect(mock!.commandLog.map((c) => c.argv)).toEqual([["cat", ADDR_LIST]]);
  });

  maybe("a valid addr/set write commits on close; a bad one fails write(2) and changes nothing", async () => {
    const r = await bash(
      [
        `echo 10.0.2.15/24 > ${ADDR_SET}; echo "good=$?"`,
        `cat ${ADDR_LIST}`,
        `cat /scheme/netcfg/route/list`,
        `echo 300.0.0.1/24 > ${ADDR_SET}; echo "bad=$?"`,
        `read -r line < ${ADDR_LIST}; echo "read=$line"`,
      ].join("\n"),
    );
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("good=0");
    expect(lines[1]).toBe("10.0.2.15/24");
    expect(r.stdout).toContain("10.0.2.0/24  dev eth0 src 10.0.2.15\n");
    expect(r.stdout).toMatch(/\nbad=[1-9]\d*\n/);
    expect(r.stderr).toMatch(/Invalid argument/); // the failed write(2), as on Redox
    expect(r.stdout).toContain("read=10.0.2.15/24\n"); // bash's own read(2) through FUSE
    const st = mock!.netcfgState();
    expect(st.addr).toBe("10.0.2.15/24");
    expect(st.routes).toEqual(["127.0.0.0/8  dev loopback src 127.0.0.1", "10.0.2.0/24  dev eth0 src 10.0.2.15"]);
    expect(r.openHandles).toBe(0);
  });

  maybe("sleep advances the mock's virtual clock instantly", async () => {
    const started = performance.now();
    const r = await bash("sleep 2; echo done");
    expect(r.stdout).toBe("done\n");
    expect(mock!.now()).toBe(2);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(mock!.commandLog).toEqual([{ argv: ["sleep", "2"], time: 0 }]);
  });

  maybe("opens of /scheme/null, served by the FUSE server itself, cost the mock's time in order before the next request", async () => {
    // 1000 opens, then a command: the command runs at the time of 1000 opens
    // (a reference mock charged the same way gives the same clock), and the
    // last 500 opens are charged when the sandbox closes.
    const r = await bash("for i in {1..1000}; do : > /scheme/null; done; sleep 1; for i in {1..500}; do : > /scheme/null; done; echo done");
    const reference = new MockRedox({});
    try {
      for (let i = 0; i < 1000; i++) reference.open("/scheme/null", "write").close();
      const at = reference.now();
      expect(at).toBeGreaterThan(0);
      expect(mock!.commandLog).toEqual([{ argv: ["sleep", "1"], time: at }]);
      reference.sleep(1);
      for (let i = 0; i < 500; i++) reference.open("/scheme/null", "write").close();
      expect(mock!.now()).toBe(reference.now());
    } finally {
      reference.dispose();
    }
    expect(r.stdout).toBe("done\n");
  });

  maybe("> /dev/stderr and > /dev/stdout work (the shell's stdio are real pipes)", async () => {
    const r = await bash("echo to-err > /dev/stderr; echo to-out > /dev/stdout; echo plain");
    expect(r.stdout).toBe("to-out\nplain\n");
    expect(r.stderr).toBe("to-err\n");
    expect(r.status).toBe(0);
  });

  maybe("ls /scheme lists netcfg and the NIC's network.* scheme", async () => {
    const r = await bash("ls /scheme");
    const names = r.stdout.trim().split("\n");
    expect(names).toContain("netcfg");
    expect(names).toContain("network.pci-00-00-03.0_e1000");
    expect(names).toEqual(mock!.schemeNames());
  });

  maybe("bash's own redirect to /etc/net/dns lands in the mock root; the real root stays read-only", async () => {
    const r = await bash('echo 1.1.1.1 > /etc/net/dns; echo "dns=$?"; echo x > /usr/tsion-probe; echo "usr=$?"');
    expect(r.stdout).toMatch(/^dns=0\nusr=[1-9]/);
    expect(mock!.files()["/etc/net/dns"]).toBe("1.1.1.1\n");
    expect(fs.existsSync("/usr/tsion-probe")).toBe(false);
  });

  maybe("an injected [[reject]] on an ordinary file fails bash's own write(2) once it is active", async () => {
    const m = new MockRedox({ rejections: [{ path: "/etc/net/dns", errno: "EINVAL", from: 1 }] });
    const r = await bash('echo 1.1.1.1 > /etc/net/dns; echo "early=$?"; sleep 1; echo 2.2.2.2 > /etc/net/dns; echo "late=$?"; cat /etc/net/dns', m);
    expect(r.stdout).toMatch(/^early=0\nlate=[1-9]\d*\n1\.1\.1\.1\n$/);
    expect(r.stderr).toMatch(/Invalid argument/);
    expect(mock!.files()["/etc/net/dns"]).toBe("1.1.1.1\n");
  });

  maybe("the FUSE mount and temp dirs are gone afterwards, also when the body throws", async () => {
    const r = await bash("true");
    expect(isMounted(r.dirs.scheme)).toBe(false);
    expect(fs.existsSync(r.dirs.tmp)).toBe(false);
    mock!.dispose(); // the first run's mock: afterEach disposes only the last one
    mock = new MockRedox({});
    let tmp = "";
    await expect(
      RealSandbox.with(mock, BASH, async (sb) => {
        tmp = sb.tmp;
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(tmp).not.toBe("");
    expect(fs.existsSync(tmp)).toBe(false);
  });

  maybe("a non-root shell gets EACCES from netcfg, as the mock's uid says", async () => {
    const r = await bash(`echo 10.0.2.15/24 > ${ADDR_SET}; echo "st=$?"`, new MockRedox({ uid: 1000 }));
    expect(r.stdout).toMatch(/^st=[1-9]/);
    expect(mock!.netcfgState().addr).toBe("Not configured");
  });
});
