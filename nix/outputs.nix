# The flake's outputs (flake.nix at the repository root only declares its
# inputs and calls this), kept here so tests can evaluate them with a stub
# nixpkgs.
{
  nixpkgs,
  systems ? [
    "x86_64-linux"
    "aarch64-linux"
  ],
}:
let
  tsionLib = import ./lib;
  modes = tsionLib.defaults.modes;

  forAllSystems =
    f:
    builtins.listToAttrs (
      map (system: {
        name = system;
        value = f system nixpkgs.legacyPackages.${system};
      }) systems
    );

  perSystem =
    system: pkgs:
    let
      built = import ./package.nix {
        inherit pkgs;
        src = ../.;
      };
      filesFor = networkMode: tsionLib.mkNetworkFiles {
        scripts = built.guestScripts;
        inherit networkMode;
      };
      overlay =
        networkMode:
        tsionLib.mkOverlay {
          name = "tsion-network-overlay-${networkMode}";
          files = filesFor networkMode;
          inherit system;
          shell = "${pkgs.bash}/bin/bash";
          path = "${pkgs.coreutils}/bin";
        };
      app = {
        type = "app";
        program = "${built.tsion}/bin/tsion";
        meta.description = "tsion: compile, check, simulate and pack the Redox guest scripts";
      };
      # mkNetworkFiles must describe the files `tsion pack` writes, for every mode.
      fileSetsAgree =
        pkgs.runCommand "tsion-file-sets-agree"
          (
            {
              nativeBuildInputs = [
                built.tsion
                pkgs.nodejs_20
              ];
              passAsFile = modes;
            }
            // builtins.listToAttrs (
              map (networkMode: {
                name = networkMode;
                value = builtins.toJSON (
                  builtins.mapAttrs (_: f: {
                    inherit (f) mode;
                    content = f.text;
                  }) (filesFor networkMode)
                );
              }) modes
            )
          )
          ''
            for mode in ${builtins.concatStringsSep " " modes}; do
              tsion pack --mode "$mode" --format json > "$mode.json"
              eval "expected=\''$''${mode}Path"
              node -e 'const fs = require("fs"), assert = require("assert");
                const [a, b] = process.argv.slice(1).map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
                assert.deepStrictEqual(a, b);' "$mode.json" "$expected"
            done
            touch "$out"
          '';
    in
    {
      packages = {
        default = built.tsion;
        tsion = built.tsion;
        guest-scripts = built.guestScripts;
      }
      // builtins.listToAttrs (
        map (networkMode: {
          name = "overlay-${networkMode}";
          value = overlay networkMode;
        }) modes
      );
      apps = {
        default = app;
        tsion = app;
      };
      checks = {
        inherit (built) tsion;
        guest-scripts = built.guestScripts;
        file-sets-agree = fileSetsAgree;
      };
    };

  all = forAllSystems perSystem;
in
{
  lib = tsionLib;
  nixosModules.default = ./module.nix;
  packages = builtins.mapAttrs (_: s: s.packages) all;
  apps = builtins.mapAttrs (_: s: s.apps) all;
  checks = builtins.mapAttrs (_: s: s.checks) all;
}
