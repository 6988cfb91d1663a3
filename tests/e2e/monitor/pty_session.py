"""Drive myvmm -i through a pseudo-terminal (tests/e2e/monitor_pty.sh):
type each command of SESSION at the prompt, print the transcript
(\\r\\n as \\n).  Usage: pty_session.py MYVMM PROGRAM [SESSION_FILE]
(SESSION_FILE: one command a line instead of SESSION)"""
import os
import pty
import select
import sys
import time

SESSION = [
    "step", "break loop", "continue", "print $t0", "continue", "print $t0", "print $t1",
    "info breakpoints", "x/s msg", "x/2w msg", "delete", "break sum.s:13", "continue",
    "print $t0", "list", "disas", "prnt $t0", "x/3q msg", "break nowhere", "continue",
]
if len(sys.argv) > 3:
    with open(sys.argv[3]) as f:
        SESSION = [line.rstrip("\n") for line in f if line.strip()]
PROMPT = b"(myvmm) "

pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "-i", sys.argv[2]])
out = b""


def until(marker, timeout=10):
    global out
    end = time.time() + timeout
    while time.time() < end:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                d = os.read(fd, 4096)
            except OSError:
                return
            if not d:
                return
            out += d
            if out.endswith(marker):
                return
    raise SystemExit("timed out waiting for %r; so far:\n%s" % (marker, out.decode()))


until(PROMPT)
for cmd in SESSION:
    time.sleep(0.2)  # libedit sets up the terminal around its prompt: type after it
    os.write(fd, cmd.encode() + b"\n")
    if cmd != SESSION[-1]:
        until(PROMPT)
try:
    until(b"\0", timeout=5)  # the end: myvmm closes the terminal
except SystemExit:
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode().replace("\r\n", "\n"))
print("[exit status %d]" % os.waitstatus_to_exitcode(status))
