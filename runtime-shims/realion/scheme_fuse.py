#!/usr/bin/env python3
"""/scheme for real processes: a FUSE filesystem that forwards every call to
the bridge (bridge.ts), i.e. to the same MockRedox ion-sim uses.

usage: scheme_fuse.py MOUNTPOINT SOCKET [PREFIX [OPEN_COUNTER]]
PREFIX (default /scheme) is the guest path the mount root stands for; ""
serves the whole mock tree (used for ordinary files with injected write
failures, which must fail inside write(2) too).

OPEN_COUNTER (with PREFIX /scheme): /scheme/null is served here, without a
bridge round trip, and every open of it is counted in that file (8 bytes,
little endian). The bridge reads the count before each request it serves
and charges the mock for the opens, in order, so the virtual clock is the
same at every point the guest can observe. The sleep fallback of scripts on
images without `sleep` opens /scheme/null millions of times; through the
bridge each open cost about 0.2 ms.

Redox netcfg semantics (docs/redox-contract.md §1, Writes) kept here:
- a rejected write makes write(2) fail with the mock's errno (EINVAL ...);
- reads see a snapshot taken at open;
- commit on close, close errors swallowed; fsync reports the commit error.
  FUSE sends FLUSH on every close(2) of any dup of the fd, and RELEASE only
  later and asynchronously, so the commit happens at the first FLUSH after a
  write (a shell dup2()s and closes the redirect fd before writing), or at
  RELEASE when nothing was written.
- direct_io: every write(2) reaches the mock as one write.
"""
import errno
import json
import os
import socket
import stat
import struct
import sys

try:
    import fusepy as fuse  # Debian's python3-fusepy
except ImportError:  # pip's fusepy
    import fuse

PREFIX = "/scheme"  # replaced by argv[3] when given


class Bridge:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.rfile = self.sock.makefile("r", encoding="utf-8", newline="\n")
        self.next_id = 0

    def call(self, op, **args):
        self.next_id += 1
        args.update(id=self.next_id, op=op)
        self.sock.sendall((json.dumps(args) + "\n").encode("utf-8"))
        line = self.rfile.readline()
        if not line:
            raise fuse.FuseOSError(errno.EIO)
        resp = json.loads(line)
        if not resp.get("ok"):
            code = getattr(errno, resp.get("code") or "EIO", errno.EIO)
            raise fuse.FuseOSError(code)
        return resp.get("result")


# The null resource, as the mock describes it (MockRedox.stat of /scheme/null).
NULL_STAT = {"st_mode": stat.S_IFREG | 0o666, "st_nlink": 1, "st_size": 0, "st_uid": 0, "st_gid": 0,
             "st_atime": 0, "st_mtime": 0, "st_ctime": 0}


class SchemeFS(fuse.Operations):
    def __init__(self, bridge, counter_path=None):
        self.bridge = bridge
        self.fds = {}  # fh -> {"read": bytes} | {"h": bridge handle, "dirty": bool} | {"null": True}
        self.next_fh = 1
        self.null_opens = 0
        self.counter = os.open(counter_path, os.O_WRONLY) if counter_path else None

    def _is_null(self, path):
        return self.counter is not None and path == "/null"

    def _count_null_open(self):
        self.null_opens += 1
        os.pwrite(self.counter, struct.pack("<Q", self.null_opens), 0)
        return self._new({"null": True})

    def init(self, path):
        # Mounted: tell the parent (it must not touch the mount before this).
        sys.stdout.write("ready\n")
        sys.stdout.flush()

    def _g(self, path):
        if path == "/":
            return PREFIX or "/"
        return PREFIX + path

    def getattr(self, path, fh=None):
        if self._is_null(path):
            return dict(NULL_STAT)
        st = self.bridge.call("stat", path=self._g(path))
        if st is None:
            raise fuse.FuseOSError(errno.ENOENT)
        kind = stat.S_IFDIR if st["kind"] == "dir" else stat.S_IFREG
        return {
            "st_mode": kind | st["mode"],
            "st_nlink": 2 if st["kind"] == "dir" else 1,
            "st_size": st["size"],
            "st_uid": st["uid"],
            "st_gid": 0,
            "st_atime": 0,
            "st_mtime": 0,
            "st_ctime": 0,
        }

    def readdir(self, path, fh):
        return [".", ".."] + self.bridge.call("listDir", path=self._g(path))

    def _new(self, entry):
        fh = self.next_fh
        self.next_fh += 1
        self.fds[fh] = entry
        return fh

    def open(self, path, flags):
        if self._is_null(path):
            return self._count_null_open()
        acc = flags & os.O_ACCMODE
        if acc == os.O_RDONLY:
            # snapshot at open
            data = self.bridge.call("readFile", path=self._g(path))
            return self._new({"read": data.encode("utf-8")})
        mode = "append" if flags & os.O_APPEND else "write"
        h = self.bridge.call("open", path=self._g(path), mode=mode)
        return self._new({"h": h, "dirty": False})

    def create(self, path, mode, fi=None):
        if self._is_null(path):
            return self._count_null_open()
        h = self.bridge.call("open", path=self._g(path), mode="write")
        return self._new({"h": h, "dirty": False})

    def read(self, path, size, offset, fh):
        e = self.fds.get(fh)
        if e is not None and "null" in e:
            return b""
        if e is None or "read" not in e:
            raise fuse.FuseOSError(errno.EBADF)
        return e["read"][offset:offset + size]

    def write(self, path, data, offset, fh):
        e = self.fds.get(fh)
        if e is not None and "null" in e:
            return len(data)
        if e is None or "h" not in e:
            raise fuse.FuseOSError(errno.EBADF)
        e["dirty"] = True
        self.bridge.call("write", h=e["h"], data=data.decode("utf-8", errors="replace"))
        return len(data)

    def truncate(self, path, length, fh=None):
        # open(O_TRUNC) truncates in the mock already; netcfg nodes ignore it.
        return 0

    def _commit(self, e):
        if e.get("h") is None:
            return
        h = e["h"]
        e["h"] = None
        try:
            self.bridge.call("close", h=h)
        except fuse.FuseOSError:
            pass  # close(2) swallows commit errors on Redox

    def flush(self, path, fh):
        e = self.fds.get(fh)
        if e is not None and e.get("dirty") and e.get("h") is not None:
            self._commit(e)
        return 0

    def fsync(self, path, datasync, fh):
        e = self.fds.get(fh)
        if e is None:
            raise fuse.FuseOSError(errno.EBADF)
        if "read" in e or "null" in e:
            return 0
        if e.get("h") is None:
            raise fuse.FuseOSError(errno.EBADF)
        self.bridge.call("sync", h=e["h"])
        return 0

    def release(self, path, fh):
        e = self.fds.pop(fh, None)
        if e is not None:
            self._commit(e)
        return 0

    def unlink(self, path):
        self.bridge.call("remove", path=self._g(path))
        return 0

    def chmod(self, path, mode):
        raise fuse.FuseOSError(errno.EPERM)

    def chown(self, path, uid, gid):
        raise fuse.FuseOSError(errno.EPERM)

    def utimens(self, path, times=None):
        return 0


def main():
    global PREFIX
    mountpoint, sock = sys.argv[1], sys.argv[2]
    if len(sys.argv) > 3:
        PREFIX = sys.argv[3].rstrip("/")
    counter = sys.argv[4] if len(sys.argv) > 4 and PREFIX == "/scheme" else None
    fuse.FUSE(
        SchemeFS(Bridge(sock), counter),
        mountpoint,
        foreground=True,
        nothreads=True,
        direct_io=True,
        allow_other=True,
        attr_timeout=0,
        entry_timeout=0,
        negative_timeout=0,
        fsname="tsion-mock",
    )


if __name__ == "__main__":
    main()
