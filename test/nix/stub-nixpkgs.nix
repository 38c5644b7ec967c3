# A stand-in for the nixpkgs flake input: each builder records what it is
# given. The guest-scripts derivation "builds" to `scriptsDir`, a directory
# the test filled with the compiled scripts, so mkNetworkFiles can read them.
{ scriptsDir }:
let
  pkgs = {
    lib = import ./stub-lib.nix;
    bash = {
      outPath = "/stub/bash";
    };
    coreutils = {
      outPath = "/stub/coreutils";
    };
    nodejs_20 = {
      outPath = "/stub/nodejs_20";
    };
    buildNpmPackage = args: {
      stub = "buildNpmPackage";
      inherit args;
      outPath = "/stub/tsion";
    };
    importNpmLock = {
      __functor = _: args: {
        stub = "importNpmLock";
        inherit args;
        outPath = "/stub/npm-deps";
      };
      npmConfigHook = {
        outPath = "/stub/npm-config-hook";
      };
    };
    runCommand = name: env: script: {
      stub = "runCommand";
      inherit name env script;
      outPath = if builtins.match "tsion-guest-scripts-.*" name != null then scriptsDir else "/stub/${name}";
    };
  };
in
{
  legacyPackages = {
    x86_64-linux = pkgs;
    aarch64-linux = pkgs;
  };
}
