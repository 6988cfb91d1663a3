#!/usr/bin/env python3
"""ptyrun.py OUT CMD...: run CMD with its stderr on a pseudo-terminal (its
stdout on ours), and write every byte the terminal received to OUT.
Exits with CMD's status."""
import os
import subprocess
import sys

out_path, cmd = sys.argv[1], sys.argv[2:]
master, slave = os.openpty()
proc = subprocess.Popen(cmd, stderr=slave)
os.close(slave)
got = bytearray()
while True:
    try:
        data = os.read(master, 65536)
    except OSError:  # EIO: every writer closed the terminal
        break
    if not data:
        break
    got += data
os.close(master)
with open(out_path, "wb") as f:
    f.write(got)
sys.exit(proc.wait())
