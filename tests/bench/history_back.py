"""history.sh's client: run a kernel under --qmp, stop it once it has run
TARGET instructions, then time one `back` (human-monitor-command), then
`goto` to GOTOS random counts in the history kept, and print `history`.
Usage: history_back.py SOCKET TARGET GOTOS"""
import os
import random
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e", "qmp"))
from qmp_client import QMP  # noqa: E402

sock, target, gotos = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for _ in range(200):
    if os.path.exists(sock):
        break
    time.sleep(0.05)
q = QMP("unix:" + sock)


def hmp(line):
    r = q.cmd("human-monitor-command", {"command-line": line})
    if "return" not in r:
        raise SystemExit("%s: %s" % (line, r))
    return r["return"]


def icount():
    m = re.search(r"(\d+) instructions", hmp("info vms"))
    return int(m.group(1)) if m else 0


# Stop near TARGET: read the count while running is not allowed, so stop,
# look, and go on in steps that shrink as TARGET comes near.
while True:
    q.cmd("stop")
    n = icount()
    if n >= target:
        break
    q.cmd("cont")
    time.sleep(min(0.5, max(0.002, (target - n) / 2e9)))
t0 = time.perf_counter()
hmp("back")
back_ms = (time.perf_counter() - t0) * 1000
print("stopped at %d instructions; one back: %.1f ms" % (n, back_ms))
lo = int(re.search(r"instructions (\d+) to", hmp("history")).group(1))
rnd = random.Random(1)
times = []
for _ in range(gotos):
    to = rnd.randint(lo, n)
    t0 = time.perf_counter()
    out = hmp("goto %d" % to)
    times.append((time.perf_counter() - t0) * 1000)
    assert ("instruction %d" % to) in out, out
times.sort()
print("goto anywhere in the history (%d random): median %.1f ms, max %.1f ms"
      % (gotos, times[len(times) // 2], times[-1]))
print(hmp("history").rstrip())
q.cmd("quit")
