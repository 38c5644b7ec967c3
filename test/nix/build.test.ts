// nix-build of the overlay directory with only what nix-bin provides (a private
// store, /bin/sh as the builder), compared with `tsion pack --format dir`; the
// parts that need nixpkgs (flake outputs, package, images) evaluated against stubs.
import * as fs from "node:fs";
import * as path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { listTree, repoRoot, tsion } from "../cli/helpers.ts";
import { nixEval } from "./nix-env.ts";
import { mkArgs, NIX_LIB, nixRequirement, useNixFixture } from "./support.ts";

const need = await nixRequirement("test/nix");

/** Every file of a tree: its content and whether it is executable (all the store keeps of a mode). */
function snapshot(root: string): Record<string, { content: string; mode: number }> {
  const out: Record<string, { content: string; mode: number }> = {};
  for (const rel of listTree(root)) {
    const p = path.join(root, rel);
    const st = fs.statSync(p);
    if (st.isFile()) out[rel] = { content: fs.readFileSync(p, "latin1"), mode: st.mode & 0o777 };
  }
  return out;
}

describe.skipIf(need.skip)("nix-build and the nixpkgs-facing parts", () => {
  const fx = useNixFixture(need);

  const variants: [string, string, boolean][] = [];
  for (const init of ["current", "legacy"]) {
    for (const mode of ["auto", "static", "dhcp", "none"]) variants.push([mode, init, false]);
  }
  variants.push(["auto", "current", true], ["static", "legacy", true]);
  for (const [mode, init, netcheck] of variants) {
    const config = { mode, init, netcheck, label: "lab", static: { ip: "10.9.8.7", netmask: "/24", gateway: "10.9.8.1", dns: ["10.9.8.53"] } };
    it(`nix-build of mkOverlay equals tsion pack --format dir: ${mode}, ${init}${netcheck ? ", netcheck" : ""}`, async () => {
      const work = fs.mkdtempSync(path.join(fx.nix.dir, "build-"));
      fs.writeFileSync(path.join(work, "net.json"), JSON.stringify(config));
      const packed = path.join(work, "packed");
      const r = await tsion(["pack", "--config", path.join(work, "net.json"), "--format", "dir", "--out", packed]);
      expect(r.exitCode).toBe(0);

      // The script as this very CLI run compiled it, in a directory as the flake's guest-scripts package has it.
      const scripts = path.join(work, "scripts");
      fs.mkdirSync(scripts);
      for (const name of fs.existsSync(path.join(packed, "usr/bin")) ? fs.readdirSync(path.join(packed, "usr/bin")) : []) {
        fs.copyFileSync(path.join(packed, "usr/bin", name), path.join(scripts, `${name}.ion`));
      }
      const expr = path.join(work, "overlay.nix");
      fs.writeFileSync(
        expr,
        `let lib = import ${NIX_LIB}; in lib.mkOverlay {
          files = lib.mkNetworkFiles ((${mkArgs(scripts)}) ${fx.json(`overlay-${mode}-${init}-${netcheck}`, config)});
          system = builtins.currentSystem;
          shell = "/bin/sh";
          path = "/usr/bin:/bin";
        }`,
      );
      const result = path.join(work, "result");
      const built = await execa("nix-build", [expr, "-o", result], { env: fx.nix.env, extendEnv: true, reject: false });
      expect(built.stderr).not.toMatch(/error/);
      expect(built.exitCode).toBe(0);

      const fromPack = snapshot(packed);
      const fromNix = snapshot(fs.realpathSync(result));
      expect(Object.keys(fromNix)).toEqual(Object.keys(fromPack));
      for (const [rel, f] of Object.entries(fromPack)) {
        expect(fromNix[rel]!.content, rel).toBe(f.content);
        // The store keeps only the execute bit: 0644 becomes 0444, 0755 becomes 0555.
        expect(fromNix[rel]!.mode, rel).toBe(f.mode & ~0o222);
      }
      expect(listTree(fs.realpathSync(result))).toEqual(listTree(packed));
    });
  }

  it("the flake outputs with a stub nixpkgs: what they pass to buildNpmPackage, importNpmLock, runCommand and mkOverlay", async () => {
    // The stub guest-scripts package holds the scripts as the CLI runs below compile them.
    const cliFiles: Record<string, Record<string, { mode: string; content: string }>> = {};
    const scriptsDir = fs.mkdtempSync(path.join(fx.nix.dir, "stub-scripts-"));
    for (const mode of ["auto", "dhcp", "static", "none"]) {
      const cli = await tsion(["pack", "--mode", mode, "--format", "json"]);
      expect(cli.exitCode).toBe(0);
      cliFiles[mode] = JSON.parse(cli.stdout) as Record<string, { mode: string; content: string }>;
      for (const [p, f] of Object.entries(cliFiles[mode]!)) {
        if (p.startsWith("usr/bin/")) fs.writeFileSync(path.join(scriptsDir, `${p.slice("usr/bin/".length)}.ion`), f.content);
      }
    }
    const out = (await nixEval(
      fx.nix,
      `let
        o = import ${repoRoot}/nix/outputs.nix { nixpkgs = import ${repoRoot}/test/nix/stub-nixpkgs.nix { scriptsDir = "${scriptsDir}"; }; };
        p = o.packages.x86_64-linux;
        npm = p.tsion.args;
        lock = npm.npmDeps.args.packageLock;
        overlay = p.overlay-static;
        check = o.checks.x86_64-linux.file-sets-agree;
      in {
        systems = builtins.attrNames o.packages;
        packages = builtins.attrNames p;
        defaultIsTsion = p.default == p.tsion;
        npm = {
          inherit (npm) pname version dontNpmBuild;
          stub = p.tsion.stub;
          nodejs = npm.nodejs.outPath;
          hook = npm.npmConfigHook.outPath;
          depsFromSource = npm.npmDeps.args.npmRoot == npm.src;
          lockName = lock.name;
          withoutResolved = builtins.filter (k: k != "" && !(lock.packages.\${k} ? resolved)) (builtins.attrNames lock.packages);
          sourceHas = builtins.attrNames (builtins.readDir npm.src);
          # The init files the packer and nix/lib read (guest-scripts/init/<era>/<role>/).
          initEras = builtins.attrNames (builtins.readDir (npm.src + "/guest-scripts/init"));
        };
        guestScripts = { inherit (p.guest-scripts) name script; inputs = map (i: i.outPath) p.guest-scripts.env.nativeBuildInputs; };
        overlay = { inherit (overlay) name builder system; script = builtins.elemAt overlay.args 1; };
        apps = builtins.mapAttrs (_: a: a) o.apps.x86_64-linux;
        checks = builtins.attrNames o.checks.x86_64-linux;
        check = { inherit (check) script; inputs = map (i: i.outPath) check.env.nativeBuildInputs; inherit (check.env) passAsFile;
                  files = builtins.listToAttrs (map (m: { name = m; value = builtins.fromJSON check.env.\${m}; }) check.env.passAsFile); };
        module = builtins.baseNameOf o.nixosModules.default;
        lib = builtins.attrNames o.lib;
      }`,
      { readWrite: true },
    )) as Record<string, any>;
    const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version;

    expect(out.systems).toEqual(["aarch64-linux", "x86_64-linux"]);
    expect(out.packages).toEqual(["default", "guest-scripts", "overlay-auto", "overlay-dhcp", "overlay-none", "overlay-static", "tsion"]);
    expect(out.defaultIsTsion).toBe(true);
    expect(out.npm).toMatchObject({ pname: "tsion", version, dontNpmBuild: true, stub: "buildNpmPackage", nodejs: "/stub/nodejs_20", hook: "/stub/npm-config-hook", depsFromSource: true, lockName: "tsion", withoutResolved: [] });
    // The package's source: what the CLI runs from, nothing else.
    expect(out.npm.sourceHas).toEqual(expect.arrayContaining(["bin", "compiler", "guest-scripts", "pack", "runtime-shims", "package.json", "package-lock.json"]));
    for (const absent of ["node_modules", "dist", "test", "bench", ".git"]) expect(out.npm.sourceHas).not.toContain(absent);
    expect(out.npm.initEras).toEqual(["current", "legacy"]);

    expect(out.guestScripts.name).toBe(`tsion-guest-scripts-${version}`);
    expect(out.guestScripts.inputs).toEqual(["/stub/tsion"]);
    expect(out.guestScripts.script).toContain("cd /stub/tsion/lib/node_modules/tsion\n");
    expect(out.guestScripts.script).toContain('tsion build --out-dir "$out"\n');

    expect(out.overlay).toMatchObject({ name: "tsion-network-overlay-static", builder: "/stub/bash/bin/bash", system: "x86_64-linux" });
    expect(out.overlay.script).toContain("PATH='/stub/coreutils/bin'\n");

    const app = { type: "app", program: "/stub/tsion/bin/tsion", meta: { description: "tsion: compile, check, simulate and pack the Redox guest scripts" } };
    expect(out.apps).toEqual({ default: app, tsion: app });
    expect(out.checks).toEqual(["file-sets-agree", "guest-scripts", "tsion"]);
    expect(out.module).toBe("module.nix");
    expect(out.lib).toEqual(expect.arrayContaining(["mkNetworkFiles", "mkOverlay", "mkImages", "networkFilesFromOptions", "validate"]));

    // The check compares mkNetworkFiles with `tsion pack --format json` for every mode: its expected files are the CLI's.
    expect(out.check.passAsFile).toEqual(["auto", "dhcp", "static", "none"]);
    expect(out.check.inputs).toEqual(["/stub/tsion", "/stub/nodejs_20"]);
    expect(out.check.script).toContain('tsion pack --mode "$mode" --format json > "$mode.json"');
    for (const mode of ["auto", "dhcp", "static", "none"]) expect(out.check.files[mode], mode).toEqual(cliFiles[mode]);
  });

  it("the check's shell script finds each mode's expected file (run with stand-ins for tsion and node)", async () => {
    const script = (await nixEval(
      fx.nix,
      `(import ${repoRoot}/nix/outputs.nix { nixpkgs = import ${repoRoot}/test/nix/stub-nixpkgs.nix { scriptsDir = "${fx.scriptsDir}"; }; }).checks.x86_64-linux.file-sets-agree.script`,
    )) as string;
    const work = fs.mkdtempSync(path.join(fx.nix.dir, "check-"));
    const bin = path.join(work, "bin");
    fs.mkdirSync(bin);
    // tsion prints "<mode>"; node compares its two files; expected files hold the mode too.
    fs.writeFileSync(path.join(bin, "tsion"), '#!/bin/sh\necho "$3"\n', { mode: 0o755 });
    fs.writeFileSync(path.join(bin, "node"), '#!/bin/sh\ncmp -s "$3" "$4"\n', { mode: 0o755 });
    const env: Record<string, string> = { PATH: `${bin}:/usr/bin:/bin`, out: path.join(work, "out") };
    for (const mode of ["auto", "dhcp", "static", "none"]) {
      fs.writeFileSync(path.join(work, `${mode}.expected`), `${mode}\n`);
      env[`${mode}Path`] = path.join(work, `${mode}.expected`);
    }
    const ok = await execa("/bin/sh", ["-e", "-c", script], { cwd: work, env, extendEnv: false, reject: false });
    expect(ok.stderr).toBe("");
    expect(ok.exitCode).toBe(0);
    expect(fs.existsSync(path.join(work, "out"))).toBe(true);
    fs.writeFileSync(path.join(work, "dhcp.expected"), "something else\n");
    const bad = await execa("/bin/sh", ["-e", "-c", script], { cwd: work, env, extendEnv: false, reject: false });
    expect(bad.exitCode).not.toBe(0);
  });

  it("mkImages wires diskImage (auto) and diskImageCloudHypervisor (static) to the given mkDiskImage", async () => {
    const out = await nixEval(
      fx.nix,
      `let lib = import ${NIX_LIB};
           images = lib.mkImages { mkDiskImage = args: args; scripts = ${fx.scriptsDir}; };
           expect = networkMode: lib.mkNetworkFiles { scripts = ${fx.scriptsDir}; inherit networkMode; };
      in {
        names = builtins.attrNames images;
        auto = images.diskImage.name;
        static = images.diskImageCloudHypervisor.name;
        args = builtins.attrNames images.diskImage;
        autoFiles = images.diskImage.extraFiles == expect "auto";
        staticFiles = images.diskImageCloudHypervisor.extraFiles == expect "static";
        withNetcheck = builtins.mapAttrs (_: i: builtins.filter (p: builtins.match ".*netcheck.*" p != null) (builtins.attrNames i.extraFiles))
          (lib.mkImages { mkDiskImage = args: args; scripts = ${fx.scriptsDir}; netcheck = true; });
      }`,
    );
    expect(out).toEqual({ names: ["diskImage", "diskImageCloudHypervisor"], auto: "redox", static: "redox-cloud-hypervisor", args: ["extraFiles", "name"], autoFiles: true, staticFiles: true,
      withNetcheck: { diskImage: ["etc/init.d/17_netcheck.service", "usr/bin/netcheck"], diskImageCloudHypervisor: ["etc/init.d/17_netcheck.service", "usr/bin/netcheck"] },
    });
  });

  it("the npm lock gets each registry package's tarball URL (npm here leaves `resolved` out)", async () => {
    const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string; resolved?: string; link?: boolean }> };
    const filled = (await nixEval(fx.nix, `(import ${NIX_LIB}/npm-lock.nix { lock = builtins.fromJSON (builtins.readFile ${repoRoot}/package-lock.json); }).packages`)) as typeof lock.packages;
    expect(Object.keys(filled)).toEqual(Object.keys(lock.packages).sort());
    for (const [key, pkg] of Object.entries(lock.packages)) {
      if (key === "") continue;
      if (pkg.resolved !== undefined || pkg.link) {
        expect(filled[key]).toEqual(pkg);
        continue;
      }
      const name = key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
      expect(filled[key]!.resolved, key).toBe(`https://registry.npmjs.org/${name}/-/${name.replace(/^@[^/]+\//, "")}-${pkg.version}.tgz`);
    }
    // Scoped and nested packages.
    const sample = await nixEval(
      fx.nix,
      `(import ${NIX_LIB}/npm-lock.nix { lock = { packages = {
        "" = { name = "x"; };
        "node_modules/@s/p" = { version = "1.0.0"; integrity = "sha512-a"; };
        "node_modules/a/node_modules/b" = { version = "2.0.0"; integrity = "sha512-b"; };
        "node_modules/alias" = { name = "real"; version = "3.0.0"; integrity = "sha512-c"; };
        "node_modules/kept" = { version = "1.0.0"; integrity = "sha512-d"; resolved = "https://example.org/kept.tgz"; };
      }; }; }).packages`,
    );
    expect(sample).toEqual({
      "": { name: "x" },
      "node_modules/@s/p": { version: "1.0.0", integrity: "sha512-a", resolved: "https://registry.npmjs.org/@s/p/-/p-1.0.0.tgz" },
      "node_modules/a/node_modules/b": { version: "2.0.0", integrity: "sha512-b", resolved: "https://registry.npmjs.org/b/-/b-2.0.0.tgz" },
      "node_modules/alias": { name: "real", version: "3.0.0", integrity: "sha512-c", resolved: "https://registry.npmjs.org/real/-/real-3.0.0.tgz" },
      "node_modules/kept": { version: "1.0.0", integrity: "sha512-d", resolved: "https://example.org/kept.tgz" },
    });
  });

  it("JSON shapes: mkNetworkFiles is { text; mode; } per relative path", async () => {
    const files = (await nixEval(fx.nix, `(import ${NIX_LIB}).mkNetworkFiles { scripts = ${fx.scriptsDir}; networkMode = "dhcp"; }`)) as Record<string, unknown>;
    expect(Object.keys(files)).toEqual(["etc/init.d/16_netcfg.service", "etc/net/netcfg/mode", "usr/bin/netcfg-static"]);
    expect(files["etc/net/netcfg/mode"]).toEqual({ mode: "0644", text: "dhcp\n" });
  });
});
