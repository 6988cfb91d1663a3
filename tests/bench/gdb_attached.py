#!/usr/bin/env python3
"""gdb_attached.py MYVMM SRC: run SRC under `myvmm --gdb --gdb-wait` with a
client attached that only says continue (as gdb does for `continue` with
no breakpoint), and print the microseconds from the continue to the
stub's exit reply: the run with the stub attached but idle."""
import re
import socket
import subprocess
import sys
import time


def frame(p):
    return b"$" + p + b"#" + b"%02x" % (sum(p) & 0xFF)


vm = subprocess.Popen([sys.argv[1], "--gdb", "tcp:127.0.0.1:0", "--gdb-wait", "-v", sys.argv[2]],
                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
line = vm.stderr.readline().decode()
port = int(re.search(r"127\.0\.0\.1:(\d+)", line).group(1))
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"+" + frame(b"QStartNoAckMode"))
buf = b""
while b"#" not in buf:
    buf += s.recv(64)
t0 = time.monotonic()
s.sendall(frame(b"c"))
buf = b""
while b"$W" not in buf:
    d = s.recv(64)
    if not d:
        break
    buf += d
t1 = time.monotonic()
vm.wait()
print(int((t1 - t0) * 1e6))
