// `tsion pack` through the real CLI: every format describes the same files,
// same input gives the same bytes, bad input is refused before anything is
// written, and the directory output is atomic.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import type { GuestFileSet } from "../../pack/file-set.ts";
import { writeDir } from "../../pack/write-dir.ts";
import { cleanupProjects, expectNoStack, listTree, makeProject, modeOf, tsion as runTsion, type CliResult } from "../cli/helpers.ts";
import { INVALID } from "./configs.ts";

afterAll(cleanupProjects);

/**
 * The CLI with Node's own "NO_COLOR is ignored due to FORCE_COLOR" warning
 * dropped from stderr (test/cli/helpers.ts sets both; Node 20.20 warns).
 */
async function tsion(args: string[], options: { cwd?: string } = {}): Promise<CliResult> {
  const r = await runTsion(args, options);
  return { ...r, stderr: r.stderr.replace(/^\(node:\d+\) Warning: The 'NO_COLOR' env is ignored.*\n\(Use `node --trace-warnings.*\n/m, "") };
}

type JsonSet = Record<string, { mode: string; content: string }>;

/** A directory tree as the JSON format describes it. */
export function readTree(root: string): JsonSet {
  const out: JsonSet = {};
  for (const rel of listTree(root)) {
    const p = path.join(root, rel);
    if (fs.statSync(p).isFile()) out[rel] = { mode: `0${modeOf(p).toString(8)}`, content: fs.readFileSync(p, "utf8") };
  }
  return out;
}

function fromToml(text: string): JsonSet {
  const doc = parse(text) as { files: { path: string; mode: number; data: string }[] };
  return Object.fromEntries(doc.files.map((f) => [f.path.replace(/^\//, ""), { mode: `0${f.mode.toString(8)}`, content: f.data }]));
}

const MODES_AND_ERAS: string[][] = [];
for (const init of ["current", "legacy"]) {
  for (const mode of ["auto", "static", "dhcp", "none"]) MODES_AND_ERAS.push(["--mode", mode, "--init", init]);
  for (const mode of ["auto", "static", "dhcp"]) MODES_AND_ERAS.push(["--mode", mode, "--init", init, "--netcheck"]);
}

describe("every format describes the same file set", () => {
  for (const flags of MODES_AND_ERAS) {
    it(flags.join(" "), async () => {
      const json = await tsion(["pack", ...flags, "--format", "json"]);
      expect(json.stderr).toBe("");
      expect(json.exitCode).toBe(0);
      const files = JSON.parse(json.stdout) as JsonSet;
      expect(Object.keys(files).length).toBeGreaterThan(0);

      const toml = await tsion(["pack", ...flags, "--format", "redox-toml"]);
      expect(toml.exitCode).toBe(0);
      expect(fromToml(toml.stdout)).toEqual(files);

      const out = path.join(makeProject(), "overlay");
      const dir = await tsion(["pack", ...flags, "--format", "dir", "--out", out]);
      expect(dir.exitCode).toBe(0);
      const n = Object.keys(files).length;
      expect(dir.stdout).toContain(`${n} ${n === 1 ? "file" : "files"} written to ${out}`);
      expect(readTree(out)).toEqual(files);
      expect(modeOf(out)).toBe(0o755);
    });
  }
});

describe("same input, same bytes", () => {
  it("whatever the working directory, for the same flags or the same config file", async () => {
    const project = makeProject();
    fs.writeFileSync(path.join(project, "net.json"), JSON.stringify({ mode: "static", label: "lab", static: { ip: "10.0.0.5", netmask: "24", gateway: "10.0.0.1", dns: ["10.0.0.53"] } }));
    const flags = ["--mode", "static", "--label", "lab", "--ip", "10.0.0.5", "--netmask", "24", "--gateway", "10.0.0.1", "--dns", "10.0.0.53"];
    for (const format of ["json", "redox-toml", "nix"]) {
      const a = await tsion(["pack", ...flags, "--format", format]);
      const b = await tsion(["pack", "--config", "net.json", "--format", format], { cwd: project });
      expect(a.exitCode).toBe(0);
      expect(b.stdout).toBe(a.stdout);
    }
  });
});

describe("configuration input", () => {
  it("flags override the config file; static flags edit its static values", async () => {
    const project = makeProject();
    fs.writeFileSync(path.join(project, "net.json"), JSON.stringify({ mode: "auto", static: { ip: "10.0.0.5", netmask: "24", gateway: "10.0.0.1" } }));
    const r = await tsion(["pack", "--config", "net.json", "--mode", "static", "--ip", "10.0.0.6", "--format", "json"], { cwd: project });
    expect(r.exitCode).toBe(0);
    const files = JSON.parse(r.stdout) as JsonSet;
    expect(files["etc/net/cloud-hypervisor/ip"]!.content).toBe("10.0.0.6\n");
    expect(files["etc/net/cloud-hypervisor/gateway"]!.content).toBe("10.0.0.1\n");
    expect(files["usr/bin/netcfg-ch"]).toBeDefined();
  });

  it("--netcheck adds the self-test; --no-netcheck drops it although the file asks for it", async () => {
    const project = makeProject();
    fs.writeFileSync(path.join(project, "net.json"), JSON.stringify({ mode: "dhcp", netcheck: true }));
    const fromFile = JSON.parse((await tsion(["pack", "--config", "net.json", "--format", "json"], { cwd: project })).stdout) as JsonSet;
    expect(Object.keys(fromFile)).toEqual(["etc/init.d/16_netcfg.service", "etc/init.d/17_netcheck.service", "etc/net/netcfg/mode", "usr/bin/netcfg-static", "usr/bin/netcheck"]);
    expect(fromFile["usr/bin/netcheck"]!.mode).toBe("0755");
    const dropped = JSON.parse((await tsion(["pack", "--config", "net.json", "--no-netcheck", "--format", "json"], { cwd: project })).stdout) as JsonSet;
    expect(Object.keys(dropped)).toEqual(["etc/init.d/16_netcfg.service", "etc/net/netcfg/mode", "usr/bin/netcfg-static"]);
    const flag = JSON.parse((await tsion(["pack", "--mode", "dhcp", "--netcheck", "--format", "json"])).stdout) as JsonSet;
    expect(flag).toEqual(fromFile);
  });

  it("--netcheck with mode none is refused before anything is compiled or written", async () => {
    const project = makeProject();
    const r = await tsion(["pack", "--mode", "none", "--netcheck", "--format", "dir", "--out", "overlay"], { cwd: project });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      "tsion: error: netcheck: true has nothing to check in mode none (no script configures the network)\n" +
        "tsion: error: invalid network configuration (1 problem); nothing was written\n",
    );
    expect(listTree(project)).toEqual([]);
  });

  it("static flags without a config file start from nothing, not from the defaults", async () => {
    const r = await tsion(["pack", "--mode", "static", "--ip", "10.0.0.5", "--format", "json"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("tsion: error: static.netmask: missing\n");
    expect(r.stderr).toContain("tsion: error: static.gateway: missing\n");
  });

  it("a missing or malformed config file is an I/O or usage error (exit 2)", async () => {
    const project = makeProject();
    const missing = await tsion(["pack", "--config", "nope.json", "--format", "json"], { cwd: project });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe("tsion: error: cannot read nope.json: no such file or directory\n");
    fs.writeFileSync(path.join(project, "bad.json"), "{ mode: auto");
    const bad = await tsion(["pack", "--config", "bad.json", "--format", "json"], { cwd: project });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^tsion: error: cannot parse bad\.json: /);
  });
});

describe("invalid configurations: every problem on stderr, exit 1, nothing written", () => {
  for (const c of INVALID) {
    it(c.name, async () => {
      const project = makeProject();
      fs.writeFileSync(path.join(project, "net.json"), JSON.stringify(c.config));
      for (const [format, out] of [["dir", "overlay"], ["redox-toml", "net.toml"]]) {
        const r = await tsion(["pack", "--config", "net.json", "--format", format!, "--out", out!], { cwd: project });
        expect(r.exitCode).toBe(1);
        const n = c.messages.length;
        expect(r.stderr).toBe(
          c.messages.map((m) => `tsion: error: ${m}\n`).join("") +
            `tsion: error: invalid network configuration (${n} ${n === 1 ? "problem" : "problems"}); nothing was written\n`,
        );
        expect(r.stdout).toBe("");
        expect(listTree(project)).toEqual(["net.json"]);
      }
    });
  }

  it("an unknown mode given as a flag is refused by the same validator", async () => {
    const r = await tsion(["pack", "--mode", "dhcpv6", "--format", "json"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("tsion: error: mode: 'dhcpv6' is not a network mode (expected auto, dhcp, static or none)\n");
    expectNoStack(r.stderr);
  });
});

describe("commands the files run", () => {
  it("--list-commands: the compiler's commands of the mode's script, plus ion for the units", async () => {
    const { compileScripts } = await import("../../pack/compile-scripts.ts");
    const compiled = await compileScripts(["netcfg-ch"]);
    const fromCompiler = compiled.scripts.get("netcfg-ch")!.commands!;
    expect(fromCompiler.length).toBeGreaterThan(0);
    const r = await tsion(["pack", "--mode", "static", "--format", "json", "--list-commands"]);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split("\n").map((l) => l.split("\t"));
    for (const c of fromCompiler) {
      expect(lines).toContainEqual([c.name, c.optional ? "optional" : "required", "/usr/bin/netcfg-ch"]);
    }
    expect(lines).toContainEqual(["ion", "required", "/etc/init.d/10_dhcpd.service /etc/init.d/16_netcfg.service"]);
    expect(lines).toHaveLength(fromCompiler.length + 1);
    expect(lines.map((l) => l[0])).toEqual([...lines.map((l) => l[0]!)].sort());
  });

  it("--netcheck: netcheck's commands as the compiler reports them, and ion for its unit, join the list", async () => {
    const { compileScripts } = await import("../../pack/compile-scripts.ts");
    const compiled = await compileScripts(["netcfg-auto", "netcheck"]);
    const r = await tsion(["pack", "--mode", "auto", "--netcheck", "--format", "json", "--list-commands"]);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split("\n").map((l) => l.split("\t"));
    const netcheck = compiled.scripts.get("netcheck")!.commands!;
    expect(netcheck.map((c) => c.name)).toContain("ping");
    const auto = compiled.scripts.get("netcfg-auto")!.commands!;
    for (const name of new Set([...auto, ...netcheck].map((c) => c.name))) {
      const users = [...(auto.some((c) => c.name === name) ? ["/usr/bin/netcfg-auto"] : []), ...(netcheck.some((c) => c.name === name) ? ["/usr/bin/netcheck"] : [])];
      const optional = [...auto, ...netcheck].filter((c) => c.name === name).every((c) => c.optional);
      expect(lines).toContainEqual([name, optional ? "optional" : "required", users.join(" ")]);
    }
    expect(lines).toContainEqual(["ion", "required", "/etc/init.d/16_netcfg.service /etc/init.d/17_netcheck.service"]);
    expect(lines).toHaveLength(new Set([...auto, ...netcheck].map((c) => c.name)).size + 1);
    const nix = await tsion(["pack", "--mode", "auto", "--netcheck", "--format", "nix"]);
    expect(nix.stdout).toMatch(/^# Generated by tsion pack \S+: network mode auto, init current, label cloud-hypervisor, with netcheck\.$/m);
  });

  it("the TOML and Nix headers list them too; the dir summary names them", async () => {
    const toml = await tsion(["pack", "--mode", "none", "--init", "legacy", "--format", "redox-toml"]);
    expect(toml.stdout).toContain("# Commands the files run (the image must provide them): smolnetd.\n");
    const nix = await tsion(["pack", "--mode", "none", "--format", "nix"]);
    expect(nix.stdout).toContain("# Commands the files run (the image must provide them): ion.\n");
    const out = path.join(makeProject(), "overlay");
    const dir = await tsion(["pack", "--mode", "none", "--format", "dir", "--out", out]);
    expect(dir.stdout).toContain("commands the image must provide: ion\n");
  });
});

describe("usage errors (exit 2)", () => {
  const cases: [string, string[], RegExp][] = [
    ["no format", ["pack"], /^tsion: error: required option '-f, --format <format>' not specified/m],
    ["unknown format", ["pack", "--format", "yaml"], /^tsion: error: option '-f, --format <format>' argument 'yaml' is invalid/m],
    ["dir without --out", ["pack", "--format", "dir"], /^tsion: error: --format dir needs --out DIR$/m],
    ["--force without dir", ["pack", "--format", "json", "--force"], /^tsion: error: --force applies only to --format dir$/m],
  ];
  for (const [name, args, pattern] of cases) {
    it(name, async () => {
      const r = await tsion(args);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expectNoStack(r.stderr);
    });
  }
  it("pack is listed in tsion --help", async () => {
    expect((await tsion(["--help"])).stdout).toMatch(/^  pack\b/m);
  });
});

describe("--out and --format dir", () => {
  it("writes a file atomically with mode 0644 and says what it wrote", async () => {
    const project = makeProject();
    const r = await tsion(["pack", "--mode", "dhcp", "--format", "redox-toml", "--out", "net.toml"], { cwd: project });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^3 files written to net\.toml \(network mode dhcp, init current, label cloud-hypervisor\)\n/);
    expect(modeOf(path.join(project, "net.toml"))).toBe(0o644);
    expect(listTree(project)).toEqual(["net.toml"]);
  });

  it("refuses a non-empty directory, and leaves it as it was", async () => {
    const project = makeProject();
    fs.mkdirSync(path.join(project, "overlay"));
    fs.writeFileSync(path.join(project, "overlay", "keep"), "mine\n");
    const r = await tsion(["pack", "--mode", "none", "--format", "dir", "--out", "overlay"], { cwd: project });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe("tsion: error: cannot write overlay: directory is not empty (use --force to replace it)\n");
    expect(listTree(project)).toEqual(["overlay", "overlay/keep"]);
  });

  it("--force replaces it entirely; an empty directory needs no --force; no temporary directory stays", async () => {
    const project = makeProject();
    fs.mkdirSync(path.join(project, "overlay"));
    fs.writeFileSync(path.join(project, "overlay", "old"), "old\n");
    const r = await tsion(["pack", "--mode", "none", "--format", "dir", "--out", "overlay", "--force"], { cwd: project });
    expect(r.exitCode).toBe(0);
    expect(listTree(project)).toEqual(["overlay", "overlay/etc", "overlay/etc/init.d", "overlay/etc/init.d/10_dhcpd.service"]);
    fs.mkdirSync(path.join(project, "empty"));
    const e = await tsion(["pack", "--mode", "none", "--format", "dir", "--out", "empty"], { cwd: project });
    expect(e.exitCode).toBe(0);
    expect(listTree(path.join(project, "empty"))).toEqual(["etc", "etc/init.d", "etc/init.d/10_dhcpd.service"]);
  });

  it("refuses a target that is a file", async () => {
    const project = makeProject();
    fs.writeFileSync(path.join(project, "overlay"), "x");
    const r = await tsion(["pack", "--mode", "none", "--format", "dir", "--out", "overlay"], { cwd: project });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe("tsion: error: cannot write overlay: exists and is not a directory\n");
  });

  it("a write that fails half-way leaves the old tree in place and no temporary files", () => {
    const project = makeProject();
    const target = path.join(project, "overlay");
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, "old"), "old\n");
    // "a" is a file, so "a/b" cannot be created: the second file fails.
    const set: GuestFileSet = {
      config: { mode: "none", label: "cloud-hypervisor", init: "current" },
      files: [
        { path: "a", mode: 0o644, content: "a\n" },
        { path: "a/b", mode: 0o644, content: "b\n" },
      ],
    };
    expect(() => writeDir(target, set, true)).toThrow(/^cannot write .*overlay: EEXIST: file already exists$/);
    expect(listTree(project)).toEqual(["overlay", "overlay/old"]);
    expect(() => writeDir(path.join(project, "new"), set, false)).toThrow(/^cannot write .*new: EEXIST/);
    expect(listTree(project)).toEqual(["overlay", "overlay/old"]);
  });
});
