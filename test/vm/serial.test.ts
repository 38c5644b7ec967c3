/**
 * Serial console handling without a hypervisor: lines from bytes (CRLF,
 * split writes, UTF-8 split across writes, unterminated prompts), markers
 * after escape codes, profiles, the check protocol, the saved log format,
 * and following a growing file without reading anything twice.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isDoneLine, parseCheckLine, summarize } from "../../host/vm/checks.ts";
import { FileTail } from "../../host/vm/file-tail.ts";
import { builtinProfiles, loadProfile, parseProfile, ProfileError } from "../../host/vm/profile.ts";
import { parseSerialLog, SerialLogError, SerialLogWriter } from "../../host/vm/serial-log.ts";
import { IDLE_COMMIT_SECONDS, LineAssembler, visibleText, type SerialLine } from "../../host/vm/serial-lines.ts";
import { BootTimeline, renderTimeline } from "../../host/vm/timeline.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsion-vm-serial-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function assemble(chunks: [string | Buffer, number][], ticks: number[] = []): SerialLine[] {
  const out: SerialLine[] = [];
  const a = new LineAssembler((l) => out.push(l));
  const events = [...chunks.map(([c, t]) => ({ t, c })), ...ticks.map((t) => ({ t, c: null }))].sort((x, y) => x.t - y.t);
  for (const e of events) {
    if (e.c === null) a.tick(e.t);
    else a.push(typeof e.c === "string" ? Buffer.from(e.c) : e.c, e.t);
  }
  a.end();
  return out;
}

describe("LineAssembler", () => {
  it("CRLF lines, each timed by its first byte, a line split over writes kept whole", () => {
    expect(assemble([["Redox OS Boot", 1], ["loader 1.0\r\nkernel: 1/1 MiB\r\n", 1.5], ["\r\n", 2]])).toEqual([
      { t: 1, text: "Redox OS Bootloader 1.0" },
      { t: 1.5, text: "kernel: 1/1 MiB" },
      { t: 2, text: "" },
    ]);
  });

  it("a UTF-8 character split between two writes", () => {
    const bytes = Buffer.from("café ✓\r\n");
    expect(assemble([[bytes.subarray(0, 4), 0], [bytes.subarray(4, 8), 0.1], [bytes.subarray(8), 0.2]])).toEqual([{ t: 0, text: "café ✓" }]);
  });

  it("an unterminated prompt is committed after the console has been quiet, and what follows is a new line", () => {
    const lines = assemble(
      [
        ["redox login: ", 3],
        ["TSION_CHECK:address:PASS:x\r\n", 4],
      ],
      [3 + IDLE_COMMIT_SECONDS / 2, 3 + IDLE_COMMIT_SECONDS],
    );
    expect(lines).toEqual([
      { t: 3, text: "redox login: " },
      { t: 4, text: "TSION_CHECK:address:PASS:x" },
    ]);
  });

  it("output that continues without a pause stays on one line (firmware text then the bootloader)", () => {
    expect(assemble([["BdsDxe: starting Boot0001 ", 0.06], ["\x1b[2JRedox OS Bootloader\r\n", 0.061]], [0.1])).toEqual([{ t: 0.06, text: "BdsDxe: starting Boot0001 \x1b[2JRedox OS Bootloader" }]);
  });

  it("the end of the stream commits the rest", () => {
    expect(assemble([["TSION_CHECKS_DONE", 5]])).toEqual([{ t: 5, text: "TSION_CHECKS_DONE" }]);
  });
});

describe("visibleText", () => {
  it("drops CSI, OSC and other escape sequences and control characters", () => {
    expect(visibleText("\x1b[2J\x1b[01;01H\x1b[=3hRedox OS Bootloader")).toBe("Redox OS Bootloader");
    expect(visibleText("\x1b]0;title\x07a\x1b(Bb\rc\td")).toBe("abc\td");
  });
});

describe("profiles", () => {
  it("the built-in redox profile, in boot order", () => {
    expect(builtinProfiles()).toContain("redox");
    const p = loadProfile("redox");
    expect(p.milestones.map((m) => m.name)).toEqual(["bootloader", "kernel", "init", "network", "prompt"]);
  });

  it("the network milestone matches each way netcfg reports a configured network, whatever the device is called", () => {
    const net = loadProfile("redox").milestones.find((m) => m.name === "network")!;
    for (const line of [
      "netcfg-auto: DHCP lease 172.16.0.2/24 via 172.16.0.1; keeping it",
      "netcfg-auto: DHCP lease 10.0.2.15/24; keeping it",
      "netcfg-ch: eth0 configured: 192.168.249.2/24 via 192.168.249.1",
      "netcfg-static: pci-0000-00-04.0_virtio_net configured: 192.168.249.2/24 via 192.168.249.1",
      "netcfg-auto: eth0 configured by DHCP: 172.16.0.2/24 via 172.16.0.1",
      "2026-01-12T09-14-03.517Z [log] netcfg-auto: DHCP lease 172.16.0.2/24 via 172.16.0.1; keeping it",
    ])
      expect(net.matches(line), line).toBe(true);
    for (const line of ["netcfg-auto: waiting up to 8 s for a DHCP lease", "netcfg-auto: no DHCP lease within 8 s; applying the static fallback from /etc/net/cloud-hypervisor"])
      expect(net.matches(line), line).toBe(false);
  });

  it("a profile file: text or regex per milestone; mistakes are named", () => {
    const p = parseProfile('name = "x"\n[[milestone]]\nname = "a"\ntext = "A("\n[[milestone]]\nname = "b"\nregex = "^b[0-9]"\n', "x.toml");
    expect(p.milestones[0]!.matches("xA(y")).toBe(true);
    expect(p.milestones[1]!.matches("b1")).toBe(true);
    expect(p.milestones[1]!.label).toBe("b");
    const bad = (text: string) => () => parseProfile(text, "p.toml");
    expect(bad('name = "x"')).toThrow(new ProfileError("p.toml: needs at least one [[milestone]]"));
    expect(bad('name = "x"\n[[milestone]]\nname = "a"\ntext = "t"\nregex = "r"')).toThrow('p.toml: milestone 1 (a): give exactly one of "text" or "regex"');
    expect(bad('name = "x"\n[[milestone]]\nname = "a"\nregex = "("')).toThrow(/p\.toml: milestone 1 \(a\): bad regex: /);
    expect(bad('name = "x"\n[[milestone]]\nname = "a"\ntext = "t"\npatern = "r"')).toThrow('p.toml: milestone 1: unknown key "patern" (known: name, label, text, regex)');
    expect(bad('name = "x"\n[[milestone]]\nname = "a"\ntext = "t"\n[[milestone]]\nname = "a"\ntext = "u"')).toThrow('p.toml: milestone 2: duplicate name "a"');
    expect(bad("name = ")).toThrow(/^p\.toml:1: /);
    expect(() => loadProfile(path.join(tmp, "none.toml"))).toThrow(/cannot read profile .*none\.toml: no such file or directory \(built-in profiles: .*redox/);
  });
});

describe("the check protocol", () => {
  it("parses check lines anywhere in a console line", () => {
    expect(parseCheckLine("TSION_CHECK:dns:PASS:/etc/net/dns is 9.9.9.9", 1)).toEqual({ name: "dns", status: "PASS", reason: "/etc/net/dns is 9.9.9.9", at: 1 });
    expect(parseCheckLine("redox login: TSION_CHECK:gateway-ping:FAIL:a: b", 2)).toEqual({ name: "gateway-ping", status: "FAIL", reason: "a: b", at: 2 });
    expect(parseCheckLine("TSION_CHECK:x:MAYBE:y", 0)).toBeNull();
    expect(parseCheckLine("TSION_CHECKS_DONE", 0)).toBeNull();
    expect(isDoneLine("[init] TSION_CHECKS_DONE")).toBe(true);
  });

  it("ok only with every check passed, at least one, and the done line", () => {
    const pass = { name: "a", status: "PASS" as const, reason: "", at: 0 };
    expect(summarize([pass], true).ok).toBe(true);
    expect(summarize([pass], false).ok).toBe(false);
    expect(summarize([], true).ok).toBe(false);
    expect(summarize([pass, { ...pass, status: "FAIL" }], true)).toEqual({ passed: 1, failed: 1, ok: false });
  });
});

describe("the saved serial log", () => {
  it("round trip: what is written is what vm timeline reads back", () => {
    const file = path.join(tmp, "rt.log");
    const w = new SerialLogWriter(file, "started now; x; profile redox");
    const lines = [
      { t: 0.0614, text: "\x1b[2JRedox OS Bootloader" },
      { t: 1.5, text: "" },
      { t: 12.25, text: "# not a note: a serial line starting with #" },
    ];
    for (const l of lines) w.line(l);
    w.note("hypervisor exited (status 0)");
    w.close();
    expect(parseSerialLog(fs.readFileSync(file, "utf8"), file)).toEqual([
      { t: 0.061, text: "\x1b[2JRedox OS Bootloader" },
      { t: 1.5, text: "" },
      { t: 12.25, text: "# not a note: a serial line starting with #" },
    ]);
  });

  it("a raw console capture, or a damaged line, is an error naming file and line", () => {
    expect(() => parseSerialLog("Redox OS Bootloader\n", "raw.txt")).toThrow(new SerialLogError("raw.txt:1: not a tsion serial log (it starts with '# tsion serial log'); a raw console capture has no timestamps to build a timeline from"));
    expect(() => parseSerialLog("# tsion serial log: x\n+1.0 a\nb\n", "l.log")).toThrow("l.log:3: expected '+SECONDS TEXT' or a '#' note, found 'b'");
  });

  it("the timeline of a saved log (read as it is: the fixture's \\c continuations only mean something to the fake hypervisor)", () => {
    const t = new BootTimeline(loadProfile("redox"));
    for (const l of parseSerialLog(fs.readFileSync(path.join(import.meta.dirname, "fixtures", "redox-ch-no-dhcp.serial"), "utf8"), "f")) t.add(l);
    const r = t.report();
    expect(r.milestones.map((m) => [m.name, m.at])).toEqual([
      ["bootloader", 0.064],
      ["kernel", 0.531],
      ["init", 1.934],
      ["network", 10.121],
      ["prompt", 2.299], // "Welcome to Redox OS!" comes just before the login prompt
    ]);
    expect(r.checks.map((c) => c.status)).toEqual(["PASS", "PASS", "PASS", "FAIL"]);
    expect(renderTimeline(r)).toContain("  FAIL  gateway-ping   gateway 192.168.249.1 did not answer (3 packets transmitted, 0 packets received)\n  3 passed, 1 failed; done at 18.205 s\n");
  });
});

describe("FileTail", () => {
  it("follows a file replaced under its name, or truncated (shorter than what was read), from its start", () => {
    const file = path.join(tmp, "replaced");
    fs.writeFileSync(file, "old content\n");
    const tail = new FileTail(file);
    expect(tail.read().toString()).toBe("old content\n");
    fs.rmSync(file);
    fs.writeFileSync(file, "new\n");
    expect(tail.read().toString()).toBe("new\n");
    fs.truncateSync(file, 0);
    fs.appendFileSync(file, "ab\n"); // shorter than what was read: seen as a truncation
    expect(tail.read().toString()).toBe("ab\n");
    tail.close();
  });

  it("reads what was appended since the last read, each byte once, and waits for a file that does not exist yet", () => {
    const file = path.join(tmp, "serial");
    const tail = new FileTail(file);
    expect(tail.read().length).toBe(0);
    fs.writeFileSync(file, "Redox OS ");
    expect(tail.read().toString()).toBe("Redox OS ");
    expect(tail.read().length).toBe(0);
    let total = "Redox OS ";
    for (let i = 0; i < 300; i++) {
      const piece = `line ${i} ${"x".repeat(i)}\r\n`;
      fs.appendFileSync(file, piece);
      total += piece;
      if (i % 7 === 0) tail.read();
    }
    fs.appendFileSync(file, Buffer.alloc(200 * 1024, 0x41));
    tail.read();
    const size = fs.statSync(file).size;
    expect(tail.bytesRead).toBe(size);
    tail.close();
    expect(total.length + 200 * 1024).toBe(size);
  });
});
