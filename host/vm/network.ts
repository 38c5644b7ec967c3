/**
 * What `vm` needs from the host network model (host/net): the TAP and guest
 * MAC a VM uses by default, and the exact command that creates the TAP.
 */
import type { NetworkHints } from "./preflight.ts";
import type { NetworkDefaults } from "./options.ts";

// TODO(host/net): replace with the network model's API once it lands.
export function networkDefaults(): NetworkDefaults {
  return { tap: "tap0", mac: "52:54:00:12:34:56" };
}

export const networkHints: NetworkHints = {
  setupCommand: (tap) => `sudo tsion net setup --tap ${tap}`,
};
