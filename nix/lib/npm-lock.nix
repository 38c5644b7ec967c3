# package-lock.json as nixpkgs' importNpmLock needs it. npm can be set to
# leave `resolved` out of the lock for registry packages
# (omit-lockfile-registry-resolved), and importNpmLock fetches only what has
# a `resolved` URL; so each registry package without one gets the registry's
# tarball URL, <registry>/<name>/-/<unscoped name>-<version>.tgz, checked by
# fetchurl against the lock's own `integrity`. Builtins only.
{
  lock,
  registry ? "https://registry.npmjs.org",
}:
let
  # "node_modules/a/node_modules/@s/b" → "@s/b"
  nameOfKey = key: builtins.elemAt (builtins.match "(.*/)?node_modules/(.*)" key) 1;
  unscoped = name: let m = builtins.match "@[^/]+/(.*)" name; in if m == null then name else builtins.head m;
  fill =
    key: module:
    if key == "" || module ? resolved || module.link or false || !(module ? integrity) || !(module ? version) then
      module
    else
      let
        name = module.name or (nameOfKey key);
      in
      module // { resolved = "${registry}/${name}/-/${unscoped name}-${module.version}.tgz"; };
in
lock // { packages = builtins.mapAttrs fill lock.packages; }
