/**
 * Configurations shared by the CLI, validator and Nix agreement tests.
 * `messages` are the exact problems the validator must report (the rules of
 * issue 9 and docs/packing.md, in the validator's order); the Nix tests
 * compare nix's messages with what the TypeScript validator really reports.
 */
const CH = { ip: "172.16.0.2", netmask: "255.255.255.0", gateway: "172.16.0.1", dns: [] as string[] };

export interface InvalidCase {
  name: string;
  config: Record<string, unknown>;
  messages: string[];
  /** Expressible as module options (networking.*): false when the shape has no module equivalent. */
  module?: boolean;
}

export const INVALID: InvalidCase[] = [
  {
    name: "bad IP",
    config: { mode: "static", static: { ...CH, ip: "172.16.0.300" } },
    messages: ["static.ip: '172.16.0.300' is not a dotted-quad IPv4 address"],
  },
  {
    name: "IP with leading zero",
    config: { mode: "static", static: { ...CH, ip: "172.16.0.02" } },
    messages: ["static.ip: '172.16.0.02' is not a dotted-quad IPv4 address"],
  },
  {
    name: "non-contiguous mask",
    config: { mode: "static", static: { ...CH, netmask: "255.0.255.0" } },
    messages: ["static.netmask: '255.0.255.0' is not a contiguous netmask"],
  },
  {
    name: "mask /0",
    config: { mode: "static", static: { ...CH, netmask: "0" } },
    messages: ["static.netmask: '0' is /0, which leaves no subnet for the gateway"],
  },
  {
    name: "mask 33",
    config: { mode: "static", static: { ...CH, netmask: "/33" } },
    messages: ["static.netmask: '/33' is neither a dotted netmask nor a prefix length 0-32"],
  },
  {
    name: "gateway outside the subnet",
    config: { mode: "static", static: { ...CH, gateway: "10.0.0.1" } },
    messages: ["static.gateway: '10.0.0.1' is outside the subnet 172.16.0.0/24"],
  },
  {
    name: "gateway is the address",
    config: { mode: "static", static: { ...CH, gateway: "172.16.0.2" } },
    messages: ["static.gateway: '172.16.0.2' is the address itself"],
  },
  {
    name: "gateway is the broadcast address",
    config: { mode: "static", static: { ...CH, gateway: "172.16.0.255" } },
    messages: ["static.gateway: '172.16.0.255' is the network or broadcast address of 172.16.0.0/24"],
  },
  {
    name: "IP is the network address",
    config: { mode: "static", static: { ...CH, ip: "172.16.0.0" } },
    messages: ["static.ip: '172.16.0.0' is the network address of its /24 subnet"],
  },
  {
    name: "IP is the broadcast address",
    config: { mode: "static", static: { ...CH, ip: "172.16.3.255", netmask: "22", gateway: "172.16.0.1" } },
    messages: ["static.ip: '172.16.3.255' is the broadcast address of its /22 subnet"],
  },
  {
    name: "IPv6 address",
    config: { mode: "static", static: { ...CH, ip: "fd00::2" } },
    messages: ["static.ip: 'fd00::2' is an IPv6 address; only IPv4 is supported"],
  },
  {
    name: "IP with a prefix",
    config: { mode: "static", static: { ...CH, ip: "172.16.0.2/24" } },
    messages: ["static.ip: '172.16.0.2/24' has a prefix; write the address alone and the mask to netmask"],
  },
  {
    name: "IP with surrounding whitespace",
    config: { mode: "static", static: { ...CH, ip: "172.16.0.2\n" } },
    messages: ["static.ip: '172.16.0.2\\n' has leading or trailing whitespace"],
  },
  {
    name: "two values in one field",
    config: { mode: "static", static: { ...CH, gateway: "172.16.0.1 172.16.0.3" } },
    messages: ["static.gateway: '172.16.0.1 172.16.0.3' holds more than one value (one address expected)"],
  },
  {
    name: "unknown mode",
    config: { mode: "dhcpv6" },
    messages: ["mode: 'dhcpv6' is not a network mode (expected auto, dhcp, static or none)"],
  },
  {
    name: "unknown init era",
    config: { init: "systemd" },
    messages: ["init: 'systemd' is not an init era (expected current or legacy)"],
  },
  {
    name: "missing static values in static mode",
    config: { mode: "static", static: { ip: "172.16.0.2" } },
    messages: ["static.netmask: missing", "static.gateway: missing"],
  },
  {
    name: "no static values at all in static mode",
    config: { mode: "static", static: null },
    messages: ["static: missing (static mode needs ip, netmask and gateway)"],
  },
  {
    name: "label with a slash",
    config: { label: "../etc" },
    messages: ["label: '../etc' is not a safe directory name (1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-')"],
  },
  {
    name: "empty label",
    config: { label: "" },
    messages: ["label: '' is not a safe directory name (1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-')"],
    module: false,
  },
  {
    name: "hidden label",
    config: { label: ".ssh" },
    messages: ["label: '.ssh' is not a safe directory name (1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-')"],
  },
  {
    name: "label too long",
    config: { label: "a".repeat(65) },
    messages: [`label: '${"a".repeat(65)}' is not a safe directory name (1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-')`],
  },
  {
    name: "label naming a Redox file",
    config: { label: "dns" },
    messages: ["label: 'dns' is reserved (/etc/net/dns belongs to Redox or to the scripts)"],
  },
  {
    name: "label naming the scripts' own directory",
    config: { label: "netcfg" },
    messages: ["label: 'netcfg' is reserved (/etc/net/netcfg belongs to Redox or to the scripts)"],
  },
  {
    name: "two DNS servers",
    config: { mode: "static", static: { ...CH, dns: ["1.1.1.1", "8.8.8.8"] } },
    messages: ['static.dns: ["1.1.1.1","8.8.8.8"] holds 2 servers; at most one is supported (relibc reads exactly one line of /etc/net/dns)'],
  },
  {
    name: "multicast DNS server",
    config: { mode: "static", static: { ...CH, dns: ["224.0.0.251"] } },
    messages: ["static.dns[0]: '224.0.0.251' is a multicast address"],
  },
  {
    name: "DNS not a list",
    config: { mode: "static", static: { ...CH, dns: "1.1.1.1" } },
    messages: ["static.dns: '1.1.1.1' is not a list of addresses"],
  },
  {
    name: "netmask not a string",
    config: { mode: "static", static: { ...CH, netmask: 24 } },
    messages: ["static.netmask: 24 is not a string"],
  },
  {
    name: "misspelt static key",
    config: { mode: "static", static: { ...CH, dsn: ["1.1.1.1"] } },
    messages: ["static.dsn: unknown setting (expected ip, netmask, gateway, dns)"],
    module: false,
  },
  {
    name: "invalid fallback in auto mode",
    config: { mode: "auto", static: { ...CH, gateway: "192.168.0.1" } },
    messages: ["static.gateway: '192.168.0.1' is outside the subnet 172.16.0.0/24"],
  },
  {
    name: "netcheck not a boolean",
    config: { mode: "auto", netcheck: "yes" },
    messages: ["netcheck: 'yes' is not a boolean (true or false)"],
    // The module's option is a types.bool: the module system refuses a string itself.
    module: false,
  },
  {
    name: "netcheck in mode none",
    config: { mode: "none", netcheck: true },
    messages: ["netcheck: true has nothing to check in mode none (no script configures the network)"],
  },
  {
    name: "every problem at once",
    config: { mode: "static", label: "a b", init: "old", static: { ip: "0.1.2.3", netmask: "255.255.0.255", gateway: "127.0.0.1", dns: ["8.8.8.8", "x"] } },
    messages: [
      "init: 'old' is not an init era (expected current or legacy)",
      "label: 'a b' is not a safe directory name (1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-')",
      "static.ip: '0.1.2.3' is in 0.0.0.0/8, not a usable address",
      "static.netmask: '255.255.0.255' is not a contiguous netmask",
      "static.gateway: '127.0.0.1' is a loopback address",
      'static.dns: ["8.8.8.8","x"] holds 2 servers; at most one is supported (relibc reads exactly one line of /etc/net/dns)',
      "static.dns[1]: 'x' is not a dotted-quad IPv4 address",
    ],
  },
];

/** Valid configurations covering every mode, both eras, labels, DNS and mask spellings. */
export const VALID: { name: string; config: Record<string, unknown> }[] = [
  { name: "auto (defaults)", config: {} },
  { name: "auto without fallback", config: { mode: "auto", static: null } },
  { name: "auto with DNS and label", config: { mode: "auto", label: "lab-1", static: { ip: "10.1.2.3", netmask: "/16", gateway: "10.1.0.1", dns: ["10.1.0.53"] } } },
  { name: "static", config: { mode: "static" } },
  { name: "static /31, label, DNS", config: { mode: "static", label: "ch.tap_0", static: { ip: "192.168.7.0", netmask: "31", gateway: "192.168.7.1", dns: ["9.9.9.9"] } } },
  { name: "dhcp", config: { mode: "dhcp" } },
  { name: "dhcp ignores static values", config: { mode: "dhcp", static: { ip: "not an address" } } },
  { name: "none", config: { mode: "none" } },
  { name: "auto legacy", config: { mode: "auto", init: "legacy" } },
  { name: "static legacy", config: { mode: "static", init: "legacy", static: { ...CH, dns: ["1.1.1.1"] } } },
  { name: "dhcp legacy", config: { mode: "dhcp", init: "legacy" } },
  { name: "none legacy", config: { mode: "none", init: "legacy" } },
  { name: "auto with netcheck", config: { mode: "auto", netcheck: true } },
  { name: "static legacy with netcheck and DNS", config: { mode: "static", init: "legacy", netcheck: true, static: { ...CH, dns: ["1.1.1.1"] } } },
  { name: "dhcp with netcheck", config: { mode: "dhcp", netcheck: true } },
  { name: "none, netcheck false", config: { mode: "none", netcheck: false } },
];
