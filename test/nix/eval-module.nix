# evalModules in miniature, for nix/module.nix with the stub lib: each
# option's default, replaced by the value given in `config` (per option,
# one level below networking and tsion), then the module's own config.
{ module, config }:
let
  lib = import ./stub-lib.nix;
  declared = module {
    inherit lib;
    config = final;
  };
  defaultsOf = builtins.mapAttrs (name: option: option.default or (throw "option ${name} is used but not defined"));
  merged = builtins.mapAttrs (group: options: defaultsOf options // (config.${group} or { })) declared.options;
  final = merged // {
    tsion = merged.tsion // declared.config.tsion;
  };
in
{
  inherit (declared) options;
  config = final;
}
