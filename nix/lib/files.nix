# The guest file set of a validated configuration: the same files as
# pack/file-set.ts, in the image builder's shape
#   { "etc/net/dns" = { text = "…"; mode = "0644"; }; … }
# (paths relative to the image root, mode as a string). Builtins only.
#
# `scripts` gives the compiled scripts: a directory holding
# netcfg-auto.ion, netcfg-ch.ion, netcfg-static.ion and netcheck.ion (a
# path, or a derivation such as the flake's guest-scripts package: reading
# it is import-from-derivation), or an attribute set
# { netcfg-auto = "<text>"; … }. Only the scripts the configuration
# installs are read.
let
  units = import ./units.nix;
  defaults = import ./defaults.nix;

  scriptForMode = {
    auto = "netcfg-auto";
    static = "netcfg-ch";
    dhcp = "netcfg-static";
    none = null;
  };

  readScript =
    scripts: name:
    if builtins.isPath scripts then
      builtins.readFile (scripts + "/${name}.ion")
    else if builtins.isAttrs scripts && !(scripts ? outPath) then
      scripts.${name} or (throw "tsion: scripts has no ${name} (expected netcfg-auto, netcfg-ch, netcfg-static and netcheck)")
    else
      builtins.readFile "${scripts}/${name}.ion";

  file = mode: text: { inherit mode text; };
in
{
  inherit scriptForMode;

  fileSet =
    { config, scripts }:
    let
      # The mode's script, then netcheck if asked for; each with the init unit that starts it.
      installed =
        (if scriptForMode.${config.mode} == null then [ ] else [ scriptForMode.${config.mode} ])
        ++ (if config.netcheck or false then [ "netcheck" ] else [ ]);
      scriptFiles =
        script:
        let
          unit = units.initFile config.init script;
        in
        {
          ${units.scriptPath script} = file "0755" (readScript scripts script);
          ${unit.path} = file "0644" unit.content;
        };
      shadow = units.initFile config.init "dhcpd-shadow";
      dir = "etc/net/${config.label}";
      usesStatic = config.static != null && builtins.elem config.mode [
        "auto"
        "static"
      ];
    in
    builtins.foldl' (acc: script: acc // scriptFiles script) { } installed
    // (if config.mode == "dhcp" then { "etc/net/netcfg/mode" = file "0644" "dhcp\n"; } else { })
    // (
      if usesStatic then
        {
          "${dir}/ip" = file "0644" "${config.static.ip}\n";
          "${dir}/netmask" = file "0644" "${config.static.netmask}\n";
          "${dir}/gateway" = file "0644" "${config.static.gateway}\n";
        }
        // builtins.listToAttrs (
          map (dns: {
            name = "etc/net/dns";
            value = file "0644" "${dns}\n";
          }) config.static.dns
        )
        // (if config.label != defaults.label then { "etc/net/netcfg/label" = file "0644" "${config.label}\n"; } else { })
      else
        { }
    )
    // (if builtins.elem config.mode [ "static" "none" ] then { ${shadow.path} = file "0644" shadow.content; } else { });
}
