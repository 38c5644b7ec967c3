// run() passes output through and returns the status; capture() returns stdout.
import { args, capture, commandExists, run } from "tsion/runtime";
console.log("before");
const st = run("printf", "%s|%s\n", "a b", "-n");
console.log("status", st);
console.log(run("sh", "-c", "exit 0"), run("sh", "-c", "exit 1"));
console.log(run("sh", "-c", "exit 3"));
const out = capture("printf", "%s", "captured $x");
console.log(`[${out}]`);
const lines = capture("printf", "one\ntwo\n\n");
console.log(`[${lines}]`, lines.split("\n").length);
const ignored = capture("sh", "-c", "echo out; echo err >&2; exit 4");
console.log(`[${ignored}]`);
console.log(capture("printf", "") === "");
console.log("after");
// Numbers and method results as command arguments: inside $( ) they go through variables.
function width(): number {
  return 7;
}
const n = width();
const parts = ["x", "y"];
console.log(capture("printf", "%s|%s|%s", String(n), `${n - 10}`, String(parts.length)));
console.log(capture("printf", "[%s]", " padded ".trim()), run("printf", "%s\n", String(n * 2)));
// commandExists: a program on PATH (no process started); plain names only.
const maybe = args().length > 0 ? args()[0] : "sh";
console.log(commandExists("sh"), commandExists("tsion-no-such-command-xyz"), commandExists(maybe));
console.log(commandExists(""), commandExists("/bin/sh"), commandExists("-h"), commandExists(`${maybe}-not-there`));
if (commandExists("printf") && !commandExists("tsion-no-such-command-xyz")) console.log("printf found");
