# tsion's Nix library: the part that needs no nixpkgs (builtins only).
#
#   mkNetworkFiles { scripts, networkMode ? "auto", staticNetworkConfig ? {…}, label ? …, init ? …, netcheck ? false }
#     → { "etc/net/dns" = { text; mode; }; … }, the same set as
#       `tsion pack --format nix`; an invalid configuration throws, naming
#       every wrong field and its value.
#   networkFilesFromOptions { scripts, mode, dns, interfaces, init, netcheck }
#     → the same, from NixOS-style options (what ../module.nix calls).
#   mkOverlay { files, system, shell, path } → the files as a directory.
#   mkImages { mkDiskImage, scripts, …, netcheck ? false } → { diskImage; diskImageCloudHypervisor; }.
#
# See docs/packing.md.
let
  defaults = import ./defaults.nix;
  validation = import ./validate.nix;
  fileSets = import ./files.nix;

  startsWith = prefix: text: builtins.substring 0 (builtins.stringLength prefix) text == prefix;
  # Renames the leading component of a problem's field: rename "static" "staticNetworkConfig".
  renameField =
    renames: p:
    let
      match = builtins.filter (from: p.field == from || startsWith "${from}." p.field || startsWith "${from}[" p.field) (
        builtins.attrNames renames
      );
      # The longest match: "static.ip" before "static".
      from = builtins.foldl' (a: b: if builtins.stringLength b > builtins.stringLength a then b else a) "" match;
      field =
        if match == [ ] then
          p.field
        else
          renames.${from} + builtins.substring (builtins.stringLength from) (builtins.stringLength p.field) p.field;
    in
    p // { inherit field; };

  refuse =
    who: problems:
    throw (
      "${who}: invalid network configuration:\n"
      + builtins.concatStringsSep "" (map (p: "  ${validation.formatProblem p}\n") problems)
    );

  # Validates the canonical configuration and builds its files, or throws with
  # the problems, each field named as the caller calls it.
  filesOf =
    {
      who,
      renames,
      extraProblems ? [ ],
      raw,
      scripts,
    }:
    let
      result = validation.validate raw;
      problems = extraProblems ++ map (renameField renames) result.problems;
    in
    if problems != [ ] then
      refuse who problems
    else
      fileSets.fileSet {
        inherit (result) config;
        inherit scripts;
      };

  mkNetworkFiles =
    {
      scripts,
      networkMode ? defaults.mode,
      staticNetworkConfig ? defaults.static,
      label ? defaults.label,
      init ? defaults.init,
      netcheck ? defaults.netcheck,
    }:
    filesOf {
      who = "mkNetworkFiles";
      renames = {
        mode = "networkMode";
        static = "staticNetworkConfig";
      };
      raw = {
        mode = networkMode;
        static = staticNetworkConfig;
        inherit label init netcheck;
      };
      inherit scripts;
    };

  interfaceKeys = [
    "address"
    "netmask"
    "gateway"
  ];

  networkFilesFromOptions =
    {
      scripts,
      mode ? defaults.mode,
      dns ? [ ],
      interfaces ? { },
      init ? defaults.init,
      netcheck ? defaults.netcheck,
    }:
    let
      names = builtins.attrNames interfaces;
      label = if names == [ ] then defaults.label else builtins.head names;
      iface = interfaces.${label};
      at = "networking.interfaces.${label}";
      # The scripts read one directory of static values (netstack drives one NIC).
      countProblems =
        if builtins.length names > 1 then
          [
            {
              field = "networking.interfaces";
              value = names;
              problem = "names ${toString (builtins.length names)} interfaces; the scripts configure one (netstack drives only the first NIC)";
            }
          ]
        else
          [ ];
      shapeProblems =
        if names == [ ] || !(builtins.isAttrs iface) then
          [ ]
        else
          map (key: {
            field = "${at}.${key}";
            problem = "unknown setting (expected ${builtins.concatStringsSep ", " interfaceKeys})";
          }) (builtins.filter (key: !(builtins.elem key interfaceKeys)) (builtins.attrNames iface));
      static =
        if names == [ ] then
          null
        else if !(builtins.isAttrs iface) then
          iface
        else
          (if iface ? address then { ip = iface.address; } else { })
          // (if iface ? netmask then { inherit (iface) netmask; } else { })
          // (if iface ? gateway then { inherit (iface) gateway; } else { })
          // {
            inherit dns;
          };
    in
    filesOf {
      who = "networking";
      renames = {
        mode = "networking.mode";
        init = "tsion.init";
        netcheck = "networking.netcheck.enable";
        label = "networking.interfaces";
        "static.ip" = "${at}.address";
        "static.netmask" = "${at}.netmask";
        "static.gateway" = "${at}.gateway";
        "static.dns" = "networking.dns";
        static = "networking.interfaces";
      };
      extraProblems = countProblems ++ shapeProblems;
      raw = {
        inherit mode init label netcheck;
        inherit static;
      };
      inherit scripts;
    };

  mkImages =
    {
      mkDiskImage,
      scripts,
      staticNetworkConfig ? defaults.static,
      label ? defaults.label,
      init ? defaults.init,
      netcheck ? defaults.netcheck,
    }:
    let
      image =
        name: networkMode:
        mkDiskImage {
          inherit name;
          extraFiles = mkNetworkFiles {
            inherit
              scripts
              networkMode
              staticNetworkConfig
              label
              init
              netcheck
              ;
          };
        };
    in
    {
      # DHCP, with the static values as the fallback.
      diskImage = image "redox" "auto";
      # The static values at once (a Cloud Hypervisor TAP has no DHCP server).
      diskImageCloudHypervisor = image "redox-cloud-hypervisor" "static";
    };
in
{
  inherit
    defaults
    mkNetworkFiles
    networkFilesFromOptions
    mkImages
    ;
  inherit (validation) validate formatProblem;
  inherit (fileSets) fileSet scriptForMode;
  mkOverlay = import ./overlay.nix;
}
