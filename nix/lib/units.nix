# The init files of the guest file set: the same bytes as pack/init-units.ts
# (see there and docs/packing.md for why each looks as it does).
let
  descriptions = {
    "netcfg-auto" = "Configure eth0: keep a DHCP lease or apply the static fallback";
    "netcfg-ch" = "Configure eth0 with the static configuration";
    "netcfg-static" = "Configure eth0 in the mode of /etc/net/netcfg/mode";
  };
in
{
  scriptPath = script: "usr/bin/${script}";

  bootUnit =
    init: script:
    if init == "legacy" then
      {
        path = "etc/init.d/16_netcfg";
        content = "nowait ion /usr/bin/${script}\n";
      }
    else
      {
        path = "etc/init.d/16_netcfg.service";
        content = ''
          [unit]
          description = "${descriptions.${script}}"
          requires_weak = ["10_smolnetd.service"]

          [service]
          cmd = "ion"
          args = ["/usr/bin/${script}"]
          type = "oneshot_async"
        '';
      };

  dhcpShadow =
    init:
    if init == "legacy" then
      {
        path = "etc/init.d/10_net";
        content = "requires_weak 00_drivers\nnotify smolnetd\n";
      }
    else
      {
        path = "etc/init.d/10_dhcpd.service";
        content = ''
          [unit]
          description = "DHCP client disabled: the network mode does not use DHCP"

          [service]
          cmd = "ion"
          args = ["-c", "true"]
          type = "oneshot"
        '';
      };
}
