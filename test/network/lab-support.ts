// Shared by the real-network tests: whether they can run here, and the
// "nothing left behind" check.
import * as fs from "node:fs";
import { expect } from "vitest";
import { isAlive, listNetns } from "../../runtime-shims/netns/namespaces.ts";
import { missingForDhcpLab } from "../../runtime-shims/netns/requirements.ts";
import type { LabRecord } from "../../runtime-shims/netns/dhcp-lab.ts";
import { CI, requirement } from "../support/requirements.ts";

export { CI };

/** Outside CI a missing tool skips (visibly); under CI=true nothing skips and the tests fail instead. */
const need = requirement("test/network (real DHCP)", await missingForDhcpLab());

/** Why the lab cannot run here ("" = it can). */
export const missing: string = need.missing;
export const skipLab = need.skip;

/** Under CI a missing requirement is a failure, not a skip. */
export const requireLab: () => void = need.assert;

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
