# tsion and its compiled guest scripts, built with nixpkgs (the part of nix/
# that needs it). `pkgs` is a nixpkgs package set; `src` the repository.
#
#   tsion:        the CLI (buildNpmPackage; dependencies from package-lock.json
#                 through importNpmLock, so no hash to keep up to date)
#   guestScripts: `tsion build` output: netcfg-auto.ion, netcfg-ch.ion,
#                 netcfg-static.ion and init/, the `scripts` of lib/
{
  pkgs,
  src ? ../.,
}:
let
  packageJson = builtins.fromJSON (builtins.readFile (src + "/package.json"));
  # The sources the CLI runs from: no tests, benchmarks, build outputs or installed modules.
  source = builtins.path {
    path = src;
    name = "tsion-source";
    filter =
      path: type:
      let
        rel = builtins.substring (builtins.stringLength (toString src) + 1) (builtins.stringLength path) path;
      in
      baseNameOf path != "node_modules"
      && !(builtins.elem rel [
        ".git"
        "dist"
        "result"
        "test"
        "bench"
      ]);
  };
  packageLock = import ./lib/npm-lock.nix { lock = builtins.fromJSON (builtins.readFile (src + "/package-lock.json")); };

  tsion = pkgs.buildNpmPackage {
    pname = packageJson.name;
    inherit (packageJson) version;
    src = source;
    nodejs = pkgs.nodejs_20;
    npmDeps = pkgs.importNpmLock {
      npmRoot = source;
      package = packageJson;
      inherit packageLock;
    };
    npmConfigHook = pkgs.importNpmLock.npmConfigHook;
    # No build step: bin/tsion.mjs runs the TypeScript through tsx.
    dontNpmBuild = true;
    meta = {
      inherit (packageJson) description;
      license = pkgs.lib.licenses.mit;
      mainProgram = "tsion";
    };
  };

  guestScripts = pkgs.runCommand "tsion-guest-scripts-${packageJson.version}" { nativeBuildInputs = [ tsion ]; } ''
    # Inside the package, so the scripts' headers name guest-scripts/*.ts as in a checkout.
    cd ${tsion}/lib/node_modules/${packageJson.name}
    tsion build --out-dir "$out"
  '';
in
{
  inherit tsion guestScripts;
}
