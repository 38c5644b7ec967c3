# A NixOS-style module for a Redox system configuration (it needs nixpkgs'
# `lib` for its option declarations). Options:
#
#   networking.mode                 "auto" | "dhcp" | "static" | "none"
#   networking.dns                  [ "1.1.1.1" ]  (at most one server)
#   networking.interfaces.<label> = { address; netmask; gateway; }
#                                   (at most one; the label names /etc/net/<label>/)
#   networking.netcheck.enable      add the network self-test (not with mode "none")
#   tsion.init                      "current" | "legacy"
#   tsion.scripts                   the compiled scripts (the flake's guest-scripts package)
#
# and the result, read-only: tsion.networkFiles, the same attribute set as
# mkNetworkFiles, for the image builder's extra files. An invalid
# configuration throws at evaluation, naming each option and its value.
# Meant for Redox configurations: inside NixOS its `networking` options
# would clash with NixOS's own.
{ config, lib, ... }:
let
  inherit (lib) mkOption types;
  tsionLib = import ./lib;
in
{
  options = {
    networking = {
      mode = mkOption {
        type = types.str;
        default = "auto";
        description = ''
          How the guest configures its network at boot: "auto" (DHCP, the
          interface's static values as the fallback), "dhcp", "static" or
          "none" (see docs/packing.md).
        '';
      };
      dns = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "The DNS server written to /etc/net/dns (at most one: relibc reads one line).";
      };
      interfaces = mkOption {
        type = types.attrsOf (
          types.submodule {
            options = {
              address = mkOption {
                type = types.str;
                description = "Static IPv4 address.";
              };
              netmask = mkOption {
                type = types.str;
                description = "Netmask: 255.255.255.0, 24 or /24.";
              };
              gateway = mkOption {
                type = types.str;
                description = "Default gateway, inside the subnet.";
              };
            };
          }
        );
        default = { };
        description = ''
          The static configuration, under a label that names the directory
          /etc/net/<label>/ (not a device: the scripts find the NIC). At most
          one: netstack drives only the first NIC.
        '';
      };
      netcheck.enable = mkOption {
        type = types.bool;
        default = false;
        description = ''
          Add the network self-test: /usr/bin/netcheck and its init unit,
          started after netcfg, printing TSION_CHECK lines on the serial
          console for `tsion vm test`. Refused with mode "none".
        '';
      };
    };
    tsion = {
      init = mkOption {
        type = types.str;
        default = "current";
        description = ''Init era of the image: "current" (base from 2026-04-11) or "legacy" (init.rc and run.d).'';
      };
      scripts = mkOption {
        type = types.unspecified;
        description = ''
          The compiled guest scripts: the tsion flake's
          packages.<system>.guest-scripts, a directory holding
          netcfg-auto.ion, netcfg-ch.ion, netcfg-static.ion and
          netcheck.ion, or an attribute set of their texts.
        '';
      };
      networkFiles = mkOption {
        type = types.attrsOf types.unspecified;
        readOnly = true;
        description = ''The guest files, { "etc/net/dns" = { text; mode; }; … }, for the image builder.'';
      };
    };
  };

  config.tsion.networkFiles = tsionLib.networkFilesFromOptions {
    inherit (config.networking) mode dns;
    netcheck = config.networking.netcheck.enable;
    # The module system adds _module to submodule values.
    interfaces = builtins.mapAttrs (_: iface: builtins.removeAttrs iface [ "_module" ]) config.networking.interfaces;
    inherit (config.tsion) init scripts;
  };
}
