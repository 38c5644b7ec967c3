/**
 * The environment variables `tsion vm` honours and its defaults, in one place
 * (docs/vm.md lists them). Kept apart from options.ts so the command line's
 * help can name them without loading the option parser and the network model.
 */

/** The environment variables honoured, in one place (docs/vm.md lists them). */
export const ENV = {
  cpus: "CH_CPUS",
  memory: "CH_MEMORY",
  hugepages: "CH_HUGEPAGES",
  directIo: "CH_DIRECT_IO",
  queues: "CH_NET_QUEUES",
  queueSize: "CH_NET_QUEUE_SIZE",
  apiSocket: "CH_API_SOCKET",
  // TAP_NAME and GUEST_MAC are read by the network model (host/net), which vm asks.
  tap: "TAP_NAME",
  mac: "GUEST_MAC",
  sshPort: "REDOX_SSH_PORT",
  httpPort: "REDOX_HTTP_PORT",
  chFirmware: "CH_FIRMWARE",
  qemuFirmware: "QEMU_FIRMWARE",
  chBin: "CH_BIN",
  qemuBin: "QEMU_BIN",
  timeout: "VM_TEST_TIMEOUT",
  vmDir: "TSION_VM_DIR",
} as const;

/** Timeout variables of the earlier boot and network test scripts, read when VM_TEST_TIMEOUT is unset. */
export const LEGACY_TIMEOUT_ENV = ["NETWORK_TEST_TIMEOUT", "BOOT_TEST_TIMEOUT"] as const;

export const DEFAULTS = {
  cpus: 4,
  memory: "2048M",
  queueSize: 256,
  directIo: true,
  sshPort: 8022,
  httpPort: 8080,
  testTimeout: 120,
  log: "tsion-vm.log",
  profile: "redox",
} as const;
