/**
 * netutils ping (redox-os/netutils src/ping/), event for event on the mock clock: a 1 s (or -i)
 * tick sends the next packet and reports packets older than 5 s as timed
 * out; answers arrive after the scenario's rtt. Exit 0 whenever it runs to
 * the end, even with 100 % loss.
 */
import { formatIpv4, parseIpv4 } from "../ipv4.ts";
import type { Shim } from "./types.ts";

const TIMEOUT_S = 5;

function usage(out: (s: string) => void): void {
  out("Usage: ping [-c COUNT] [-i SECONDS] <dest>\n");
}

export const ping: Shim = (ctx) => {
  const args = ctx.argv.slice(1);
  let count = 4;
  let interval = 1;
  let host: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-h" || a === "--help") {
      usage(ctx.io.stdout);
      return 0;
    } else if (a === "-c" || a === "-i") {
      const v = args[++i];
      if (v === undefined) {
        ctx.io.stderr(`Error: No argument to ${a} option\n`);
        return 1;
      }
      if (!/^\d+$/.test(v)) {
        ctx.io.stderr(`Error: Invalid argument to ${a} option\n`);
        return 1;
      }
      if (a === "-c") count = Number(v);
      else {
        interval = Number(v);
        if (interval <= 0) {
          ctx.io.stderr("Error: Interval can't be less or equal to 0\n");
          return 1;
        }
      }
    } else if (a.startsWith("-")) {
      usage(ctx.io.stderr);
      return 2;
    } else if (host === null) host = a;
    else {
      usage(ctx.io.stderr);
      return 2;
    }
  }
  if (host === null) {
    usage(ctx.io.stderr);
    return 2;
  }
  const dest = parseIpv4(host);
  if (dest === null) {
    // The mock has no DNS server: names never resolve.
    ctx.io.stderr(`Failed to resolve host: ${host}\nError: Failed to resolve remote host's IP address\n`);
    return 1;
  }
  const ip = formatIpv4(dest);
  if (!ctx.mock.stat("/scheme/icmp")) {
    ctx.io.stderr(`Error: Can't open path /scheme/icmp/echo/${ip}\n`);
    return 1;
  }
  const out = ctx.io.stdout;
  out(`PING ${ip} (${ip}) 40(68) bytes of data.\n`);
  const rtt = ctx.mock.rttMs;
  const rtts: number[] = [];
  let sent = 0;
  const waiting: { seq: number; deadline: number }[] = [];
  const start = ctx.mock.now();
  for (let tick = 0; ; tick++) {
    const tickAt = start + tick * interval;
    ctx.mock.sleep(Math.max(0, tickAt - ctx.mock.now()));
    let answered = false;
    if (count === 0 || sent < count) {
      waiting.push({ seq: sent, deadline: tick * interval + TIMEOUT_S });
      answered = ctx.mock.pingAnswers(dest);
      sent++;
    }
    // timeouts are checked on the tick, after sending
    while (waiting.length > 0 && waiting[0]!.deadline <= tick * interval && !(answered && waiting[0]!.seq === sent - 1)) {
      out(`From ${ip} icmp_seq=${waiting.shift()!.seq} timeout\n`);
    }
    if (answered) {
      ctx.mock.sleep(rtt / 1000);
      const i = waiting.findIndex((w) => w.seq === sent - 1);
      waiting.splice(i, 1);
      rtts.push(rtt);
      out(`From ${ip} icmp_seq=${sent - 1} time=${rtt}ms\n`);
    }
    if (count !== 0 && sent === count && waiting.length === 0) break;
    if (count === 0 && tick > 100000) break; // "forever" is bounded in the mock
  }
  const received = rtts.length;
  out(`--- ${ip} ping statistics ---\n`);
  out(`${sent} packets transmitted, ${received} packets received, ${((100 * (sent - received)) / sent).toFixed(2)}% packet loss\n`);
  if (received > 0) {
    const min = Math.min(...rtts);
    const max = Math.max(...rtts);
    const avg = rtts.reduce((a, b) => a + b, 0) / received;
    out(`rtt min/avg/max = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)} ms\n`);
  }
  return 0;
};
