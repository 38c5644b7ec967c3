/** The Redox commands the mock provides (docs/redox-contract.md §3, docs/mock-redox.md). Anything else is "command not found". */
import type { Shim } from "./types.ts";
import { cat, echo, falseCmd, ls, mkdir, printf, rm, sleep, testCmd, trueCmd } from "./coreutils.ts";
import { grep } from "./grep.ts";
import { ping } from "./ping.ts";
import { ifconfig } from "./ifconfig.ts";
import { dhcpd } from "./dhcpd.ts";

export const SHIMS: Record<string, Shim> = {
  cat,
  dhcpd,
  echo,
  false: falseCmd,
  grep,
  ifconfig,
  ls,
  mkdir,
  ping,
  printf,
  rm,
  sleep,
  test: testCmd,
  true: trueCmd,
};
