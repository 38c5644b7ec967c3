# evalModules in miniature, for nix/module.nix with the stub lib: each
# option's default, replaced by the value given in `config` (nested option
# groups such as networking.netcheck.enable too), then the module's own config.
{ module, config }:
let
  lib = import ./stub-lib.nix;
  declared = module {
    inherit lib;
    config = final;
  };
  isOption = value: (value._type or null) == "option";
  withDefaults =
    at: options: given:
    builtins.mapAttrs (
      name: option:
      if isOption option then
        (if given ? ${name} then given.${name} else option.default or (throw "option ${at}.${name} is used but not defined"))
      else
        withDefaults "${at}.${name}" option (given.${name} or { })
    ) options;
  merged = builtins.mapAttrs (group: options: withDefaults group options (config.${group} or { })) declared.options;
  final = merged // {
    tsion = merged.tsion // declared.config.tsion;
  };
in
{
  inherit (declared) options;
  config = final;
}
