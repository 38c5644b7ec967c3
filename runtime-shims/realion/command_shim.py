"""One Redox command for a real process: forwards argv, stdin, cwd and the
environment to the bridge's exec (the mock's TypeScript shim runs there, on
the mock's virtual clock) and reproduces its stdout, stderr and exit status.

Installed (with a #! line naming the interpreter) once per command name in
the sandbox's /usr/bin; the bridge socket sits beside it. Stdlib only.
"""
import json
import os
import socket
import sys

here = os.path.dirname(os.path.abspath(sys.argv[0]))
name = os.path.basename(sys.argv[0])
try:
    stdin = sys.stdin.buffer.read().decode("utf-8", errors="replace") if sys.stdin is not None else ""
except OSError:
    stdin = ""
req = {
    "id": 1,
    "op": "exec",
    # The interpreter only sees the script's path; the mock logs the name as typed.
    "argv": [name] + sys.argv[1:],
    "stdin": stdin,
    "cwd": os.getcwd(),
    "env": dict(os.environ),
}
sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
sock.connect(os.path.join(here, ".bridge.sock"))
sock.sendall((json.dumps(req) + "\n").encode("utf-8"))
buf = b""
while not buf.endswith(b"\n"):
    chunk = sock.recv(65536)
    if not chunk:
        break
    buf += chunk
sock.close()
resp = json.loads(buf.decode("utf-8"))
if not resp.get("ok"):
    sys.stderr.write("%s: bridge error: %s\n" % (name, resp.get("message")))
    sys.exit(126)
r = resp["result"]
sys.stdout.buffer.write(r["stdout"].encode("utf-8"))
sys.stdout.flush()
sys.stderr.buffer.write(r["stderr"].encode("utf-8"))
sys.stderr.flush()
if r["status"] is None:
    sys.stderr.write("%s: command not found\n" % name)
    sys.exit(127)
sys.exit(r["status"])
