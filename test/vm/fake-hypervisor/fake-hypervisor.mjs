#!/usr/bin/env node
// A stand-in for cloud-hypervisor / qemu-system-x86_64 in the vm tests.
// It records how it was started, then replays a recorded Redox serial
// console (a tsion serial log: "+SECONDS TEXT" lines) at the recorded pace,
// where the real hypervisor would write it: the --serial file= of Cloud
// Hypervisor, or stdout for --serial tty and QEMU's -serial stdio.
//
// Environment:
//   FAKE_HV_RECORD  JSON file written at start: argv, pid, the disk it was
//                   given and whether that disk existed and was writable,
//                   and on a terminal its settings (stty -a)
//   FAKE_HV_SERIAL  the serial log to replay (none: no console output)
//   FAKE_HV_SPEED   replay speed factor (default 1: the recorded pace)
//   FAKE_HV_LINES   replay only the first N lines
//   FAKE_HV_THEN    after the replay: "exit" (default) or "hang" (run until killed)
//   FAKE_HV_EXIT    exit status (default 0)
//   FAKE_HV_STDERR  printed on stderr just before exiting
//
// Each replayed line is sent with CRLF, as a serial console does, except a
// line ending in "\c", which is sent as it is (a prompt, or firmware output
// that the next line continues).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";

const argv = process.argv.slice(2);
const env = process.env;

function valueAfter(flag) {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

// Where the disk is: CH --disk path=P[,...]; QEMU -drive file=P,...
function diskPath() {
  const ch = valueAfter("--disk");
  if (ch) return /(?:^|,)path=([^,]+)/.exec(ch)?.[1] ?? null;
  const q = valueAfter("-drive");
  if (q) return /(?:^|,)file=([^,]+)/.exec(q)?.[1] ?? null;
  return null;
}

function serialTarget() {
  const ch = valueAfter("--serial");
  if (ch !== undefined) return ch.startsWith("file=") ? { file: ch.slice("file=".length) } : { stdout: true };
  return { stdout: true };
}

const disk = diskPath();
let diskExisted = false;
let diskWritable = false;
if (disk) {
  diskExisted = fs.existsSync(disk);
  try {
    // Held open for the whole run, as a hypervisor holds its disk.
    fs.openSync(disk, "r+");
    diskWritable = true;
  } catch {}
}
// The terminal's settings as the hypervisor finds them (interactive runs).
let stty = null;
if (process.stdin.isTTY) {
  try {
    stty = execFileSync("stty", ["-a"], { stdio: ["inherit", "pipe", "ignore"] }).toString();
  } catch {}
}
if (env.FAKE_HV_RECORD) {
  fs.writeFileSync(env.FAKE_HV_RECORD, JSON.stringify({ argv: [process.argv[1], ...argv], argv0: process.argv[1], pid: process.pid, disk, diskExisted, diskWritable, stdinIsTty: process.stdin.isTTY === true, stty }));
}

const target = serialTarget();
const out = target.file ? fs.openSync(target.file, "a") : 1;
const speed = Number(env.FAKE_HV_SPEED ?? "1") || 1;

const lines = [];
if (env.FAKE_HV_SERIAL) {
  for (const row of fs.readFileSync(env.FAKE_HV_SERIAL, "utf8").split("\n")) {
    const m = /^\+(\d+(?:\.\d+)?) ?(.*)$/.exec(row);
    if (m) lines.push({ t: Number(m[1]), text: m[2] });
  }
}
const limit = env.FAKE_HV_LINES ? Number(env.FAKE_HV_LINES) : lines.length;

const start = Date.now();
const sleepUntil = (t) => new Promise((r) => setTimeout(r, Math.max(0, start + (t * 1000) / speed - Date.now())));

function finish() {
  if (env.FAKE_HV_STDERR) process.stderr.write(`${env.FAKE_HV_STDERR}\n`);
  process.exitCode = Number(env.FAKE_HV_EXIT ?? "0");
}

process.on("SIGTERM", () => process.exit(143));

for (let i = 0; i < Math.min(limit, lines.length); i++) {
  const { t, text } = lines[i];
  await sleepUntil(t);
  // Long lines arrive in two writes, as a UART's output does.
  const bytes = Buffer.from(text.endsWith("\\c") ? text.slice(0, -2) : `${text}\r\n`, "utf8");
  const cut = bytes.length > 40 ? 17 : bytes.length;
  fs.writeSync(out, bytes.subarray(0, cut));
  if (cut < bytes.length) {
    await new Promise((r) => setTimeout(r, 5));
    fs.writeSync(out, bytes.subarray(cut));
  }
}

if (env.FAKE_HV_THEN === "hang") {
  setInterval(() => {}, 1 << 30);
} else {
  finish();
}
