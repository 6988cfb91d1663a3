#!/usr/bin/env python3
"""ptyout.py OUT COLS ROWS CMD...: run CMD with its stdout on a
pseudo-terminal of COLS x ROWS (its stderr on ours), and write every byte
the terminal received to OUT.  Exits with CMD's status."""
import fcntl
import os
import struct
import subprocess
import sys
import termios

out_path, cols, rows, cmd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
proc = subprocess.Popen(cmd, stdout=slave)
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
