# The defaults of a guest network configuration, as in pack/network-config.ts.
{
  modes = [
    "auto"
    "dhcp"
    "static"
    "none"
  ];
  inits = [
    "current"
    "legacy"
  ];
  mode = "auto";
  init = "current";
  label = "cloud-hypervisor";
  netcheck = false;
  # The Cloud Hypervisor TAP defaults of the existing workflow.
  static = {
    ip = "172.16.0.2";
    netmask = "255.255.255.0";
    gateway = "172.16.0.1";
    dns = [ ];
  };
}
