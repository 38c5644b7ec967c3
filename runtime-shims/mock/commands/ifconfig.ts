/**
 * netutils ifconfig (redox-os/netutils src/ifconfig/): read-only, reads /scheme/netcfg/ifaces/NAME/addr/list.
 * The MAC is always the placeholder 00:00:00:00:00:00; "Netmask" is the prefix
 * length. Errors go to stderr and the exit status is always 0.
 */
import type { Shim, ShimContext } from "./types.ts";

function describe(ctx: ShimContext, name: string): { text: string } | { error: string } {
  const p = `/scheme/netcfg/ifaces/${name}/addr/list`;
  if (name === "" || !ctx.mock.stat(p)) return { error: `Interface not found: Path does not exist: ${p}` };
  const data = ctx.mock.readFile(p).trim();
  const parts = data.split("/");
  if (parts.length !== 2) return { error: `Invalid IP address: ${data}` };
  return { text: `${name}:\n    MAC Address: 00:00:00:00:00:00\n    IP Address: ${parts[0]}\n    Netmask: ${parts[1]}\n` };
}

export const ifconfig: Shim = (ctx) => {
  let all = false;
  let name: string | null = null;
  for (const a of ctx.argv.slice(1)) {
    if (a === "-h" || a === "--help") {
      ctx.io.stdout("\nNAME\n    ifconfig - Configure or display network interfaces\n\nSYNOPSIS\n    ifconfig [-h | --help] [-a] interface\n\n");
      return 0;
    } else if (a === "-a") all = true;
    else if (name === null) name = a;
    else {
      ctx.io.stderr(`Invalid argument: ${a}\n`);
      return 0;
    }
  }
  void all; // -a alone is list mode, -a NAME is NAME: same as without -a
  if (name !== null) {
    const r = describe(ctx, name);
    if ("text" in r) ctx.io.stdout(`${r.text}\n`);
    else ctx.io.stderr(`Error: Interface '${name}' not found.\n`);
    return 0;
  }
  const dir = "/scheme/netcfg/ifaces";
  const found: string[] = [];
  if (ctx.mock.stat(dir)) {
    for (const iface of ctx.mock.listDir(dir)) {
      const r = describe(ctx, iface);
      if ("text" in r) found.push(r.text);
      else ctx.io.stderr(`Skipping interface '${iface}': ${r.error}\n`);
    }
  }
  if (found.length === 0) ctx.io.stdout("No interfaces found.\n");
  for (const t of found) ctx.io.stdout(`${t}\n\n`);
  return 0;
};
