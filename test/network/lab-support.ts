// Shared by the real-network tests: whether they can run here, and the
// "nothing left behind" check.
import * as fs from "node:fs";
import { expect } from "vitest";
import { isAlive, listNetns } from "../../runtime-shims/netns/namespaces.ts";
import { missingForDhcpLab } from "../../runtime-shims/netns/requirements.ts";
import type { LabRecord } from "../../runtime-shims/netns/dhcp-lab.ts";

export const CI = process.env.CI === "true";

/** Why the lab cannot run here ("" = it can). */
export const missing: string = (await missingForDhcpLab()).join("; ");

/** Outside CI a missing tool skips (visibly); under CI=true nothing skips and the tests fail instead. */
export const skipLab = missing !== "" && !CI;
if (skipLab) console.warn(`[test/network] skipping real-DHCP tests: ${missing}`);

/** Under CI a missing requirement is a failure, not a skip. */
export function requireLab(): void {
  if (missing !== "") throw new Error(`real-DHCP test cannot run: ${missing}`);
}

/** The namespaces, the dnsmasq process and the temp directory of `rec` are all gone. */
export async function expectNothingLeft(rec: LabRecord): Promise<void> {
  expect(rec.server).toMatch(/^tsion-srv-\d+-[0-9a-f]+$/);
  expect(rec.client).toMatch(/^tsion-cli-\d+-[0-9a-f]+$/);
  const names = await listNetns();
  expect(names).not.toContain(rec.server);
  expect(names).not.toContain(rec.client);
  if (rec.dnsmasqPid !== undefined) expect(isAlive(rec.dnsmasqPid), `dnsmasq pid ${rec.dnsmasqPid} still alive`).toBe(false);
  expect(fs.existsSync(rec.dir!), `${rec.dir} still exists`).toBe(false);
}
