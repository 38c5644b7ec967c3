/** What the vm tests that need a network namespace lack, as readable reasons ([] when nothing is missing). */
import { execa } from "execa";
import { findExecutable } from "../../host/executables.ts";

export async function missingForNetns(tools: string[] = []): Promise<string[]> {
  if (process.platform !== "linux") return [`network namespaces need Linux (this is ${process.platform})`];
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push("not root (network namespaces and TAP devices need root)");
  const ip = findExecutable("ip");
  if (!ip) missing.push("`ip` not found (Debian package iproute2)");
  for (const t of tools) if (!findExecutable(t)) missing.push(`\`${t}\` not found`);
  if (missing.length === 0) {
    const name = `tsion-probe-${process.pid}-${Date.now().toString(16)}`;
    const add = await execa(ip!, ["netns", "add", name], { reject: false, timeout: 5_000 });
    if (add.exitCode !== 0) missing.push(`cannot create a network namespace: ${add.stderr.trim()}`);
    else await execa(ip!, ["netns", "del", name], { reject: false, timeout: 5_000 });
  }
  return missing;
}
