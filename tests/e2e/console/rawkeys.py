#!/usr/bin/env python3
"""rawkeys.py MYVMM PROGRAM: run `myvmm --console raw -v PROGRAM` on a
pseudo-terminal, type keys one at a time (no Enter) and print what the
terminal showed; exit 1 if myvmm did not answer a key within 10 s or if
the terminal's settings were not restored when it exited."""
import os, pty, select, subprocess, sys, termios, time

myvmm, prog = sys.argv[1], sys.argv[2]
keys = sys.argv[3] if len(sys.argv) > 3 else "tgm"
master, slave = pty.openpty()
before = termios.tcgetattr(slave)
p = subprocess.Popen([myvmm, "--console", "raw", "-v", prog], stdin=slave, stdout=slave,
                     stderr=subprocess.PIPE)
out = b""

def read_until(want, secs=10):
    global out
    end = time.time() + secs
    while want not in out and time.time() < end:
        r, _, _ = select.select([master], [], [], 0.1)
        if r:
            try:
                out += os.read(master, 4096)
            except OSError:
                break
    return want in out

ok = read_until(b"(a-z)")
for k in keys:
    # each key alone, without a newline: raw mode hands it over as typed
    os.write(master, k.encode())
    ok = ok and read_until(k.encode() + b":")
try:
    p.wait(timeout=10)
except subprocess.TimeoutExpired:
    p.kill()
    ok = False
read_until(b"tries", 1)
after = termios.tcgetattr(slave)
sys.stdout.write(out.decode(errors="replace").replace("\r\n", "\n"))
sys.stderr.write(p.stderr.read().decode(errors="replace"))
if after[3] != before[3] or after[0] != before[0]:
    sys.stderr.write("rawkeys: the terminal's settings were not restored\n")
    ok = False
# the keys were not echoed by the terminal: each shows once, as the guest wrote it
if out.count(keys[0].encode() + b":") != 1:
    ok = False
sys.exit(0 if ok and p.returncode == 0 else 1)
