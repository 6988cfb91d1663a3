"""QMP end to end (tests/e2e/qmp.sh): the real myvmm on real sockets.
Every command, every event, the bad-input cases of docs/qmp.md, and a
snapshot driven only through QMP.  Usage: test_qmp.py MYVMM TMPDIR"""
import json
import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from qmp_client import QMP

MYVMM, TMP = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
fails = 0


def check(cond, what):
    global fails
    if not cond:
        fails += 1
        print("FAIL:", what)


def start(*args, stdin=subprocess.DEVNULL):
    """myvmm with a QMP socket; returns (process, address)."""
    p = subprocess.Popen([MYVMM] + list(args), stdin=stdin, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    line = p.stderr.readline().decode()
    assert line.startswith("myvmm: qmp: listening on "), line
    return p, line.split("listening on ")[1].strip()


def hmp(q, line, **kw):
    return q.cmd("human-monitor-command", dict({"command-line": line}, **kw))["return"]


def t0(q, **kw):
    """$t0 of the (paused) VM, through the human monitor."""
    out = hmp(q, "print $t0", **kw)
    return int(out.split("= ")[1].split(" ")[0])


# ---- one VM on a unix socket: every command and the protocol's errors ----
sock = os.path.join(TMP, "qmp.sock")
p, addr = start("--qmp", "unix:" + sock, os.path.join(HERE, "loop.s"))
check(addr == "unix:" + sock, "address " + addr)
check(os.stat(sock).st_mode & 0o777 == 0o600, "socket mode %o" % os.stat(sock).st_mode)
q = QMP(addr, negotiate=False)
g = q.greeting["QMP"]
check(set(g["version"]["qemu"]) == {"major", "minor", "micro"} and g["capabilities"] == []
      and g["version"]["package"].startswith("baby_hypervisor"), "greeting %r" % g)
r = q.cmd("query-status", id="early")
check(r == {"error": {"class": "CommandNotFound",
                      "desc": "Expecting capabilities negotiation with 'qmp_capabilities'"},
            "id": "early"}, "command before negotiation: %r" % r)
check(q.cmd("qmp_capabilities") == {"return": {}}, "qmp_capabilities")
r = q.cmd("qmp_capabilities")
check(r["error"]["class"] == "CommandNotFound", "second qmp_capabilities: %r" % r)
check(q.cmd("query-status", id=1) == {"return": {"status": "running", "running": True}, "id": 1},
      "query-status running")
check(q.cmd("stop") == {"return": {}}, "stop")
e = q.event("STOP", vm="vm1", reason="request")
check(set(e["timestamp"]) == {"seconds", "microseconds"} and
      abs(e["timestamp"]["seconds"] - time.time()) < 60, "STOP's timestamp %r" % e)
check(q.cmd("query-status")["return"] == {"status": "paused", "running": False}, "paused")
vms = q.cmd("query-vms")["return"]
# a running VM's count is not given; on a loaded machine the stop may come
# before the VM's thread ran at all: let it run a moment and stop again
pauses = 1
while vms[0]["instructions"] == 0 and pauses < 100:
    q.cmd("cont")
    q.event("RESUME", vm="vm1")
    time.sleep(0.1)
    q.cmd("stop")
    q.event("STOP", vm="vm1")
    pauses += 1
    vms = q.cmd("query-vms")["return"]
check(len(vms) == 1 and vms[0]["name"] == "vm1" and vms[0]["status"] == "paused" and
      vms[0]["instructions"] > 0 and vms[0]["pauses"] == pauses, "query-vms %r" % vms)
st = q.cmd("query-stats")["return"][0]
check(st["instructions"] == vms[0]["instructions"] and st["exits"]["budget"] > 0, "query-stats %r" % st)
before = t0(q)
check(before > 0, "$t0 counts: %d" % before)
# a snapshot, driven only through QMP: save, run on, load, the count is back
snap = os.path.join(TMP, "vm1.snap")
check(q.cmd("snapshot-save", {"file": snap}) == {"return": {}} and os.path.getsize(snap) > 0,
      "snapshot-save")
check(q.cmd("cont") == {"return": {}}, "cont")
q.event("RESUME", vm="vm1")
time.sleep(0.2)
check(q.cmd("snapshot-load", {"file": snap}) == {"return": {}}, "snapshot-load on a running VM")
check(q.cmd("query-status")["return"]["running"], "snapshot-load gives a running VM back running")
q.cmd("stop")
q.event("STOP", vm="vm1")
later = t0(q)
q.cmd("snapshot-load", {"file": snap})
check(t0(q) == before and later != before, "loaded: $t0 %d again (was %d)" % (before, later))
r = q.cmd("snapshot-load", {"file": os.path.join(TMP, "none.snap")})
check(r["error"]["class"] == "GenericError" and "none.snap" in r["error"]["desc"], "load a missing file: %r" % r)
# the human monitor through QMP: the same interpreter
out = hmp(q, "break loop")
check(out.startswith("breakpoint 1 at 0x") and "<loop>" in out, "hmp break: %r" % out)
q.cmd("cont")
e = q.event("STOP", vm="vm1", reason="breakpoint")
check(q.cmd("query-status")["return"]["status"] == "debug", "status debug at a breakpoint")
out = hmp(q, "step 2")
check("loop" in out, "hmp step: %r" % out)
check("unknown command 'bogus'" in hmp(q, "bogus"), "hmp error text")
hmp(q, "delete")
# time travel through the human monitor (docs/debugging.md): back, goto, history
v, at = t0(q), q.cmd("query-vms")["return"][0]["instructions"]
hmp(q, "step 7")
out = hmp(q, "back 7")
check(("vm1: instruction %d" % at) in out and t0(q) == v, "hmp back 7: %r, $t0 %d" % (out, t0(q)))
out = hmp(q, "goto %d" % (at + 7))
check(("vm1: instruction %d" % (at + 7)) in out, "hmp goto: %r" % out)
out = hmp(q, "history")
check(out.startswith("history: instructions ") and ("to %d (now at %d)" % (at + 7, at + 7)) in out,
      "hmp history: %r" % out)

# bad input: QMP errors, the connection kept
def err(req, cls, desc_part, raw=False):
    if raw:
        q.send_raw(req)
        r = q.answer()
    else:
        r = q.cmd(*req)
    check(r is not None and r.get("error", {}).get("class") == cls and desc_part in r["error"]["desc"],
          "%r -> %r" % (req, r))

err(b"{not json\n", "GenericError", "JSON parse error", raw=True)
err(b"[1, 2]\n", "GenericError", "must be a JSON object", raw=True)
err(b'{"arguments": {}}\n', "GenericError", "lacks member 'execute'", raw=True)
err(b'{"execute": 5}\n', "GenericError", "'execute' must be a string", raw=True)
err(b'{"execute": "stop", "arguments": []}\n', "GenericError", "'arguments' must be an object", raw=True)
err(b'{"execute": "stop", "extra": 1}\n', "GenericError", "'extra' is unexpected", raw=True)
err(("no-such-command",), "CommandNotFound", "The command no-such-command has not been found")
err(("query-status", {"vm": 5}), "GenericError", "Invalid parameter type for 'vm', expected: string")
err(("snapshot-save", {}), "GenericError", "Parameter 'file' is missing")
err(("snapshot-save", {"file": 1}), "GenericError", "Invalid parameter type for 'file'")
err(("stop", {"colour": "red"}), "GenericError", "Parameter 'colour' is unexpected")
err(("query-status", {"vm": "vm9"}), "GenericError", "no VM called 'vm9'")
q.cmd("cont")
q.event("RESUME")

def running_count():
    """Instructions the VM runs in 0.3 s, measured through a fresh client."""
    c = QMP(addr)
    c.cmd("stop")
    a = c.cmd("query-vms")["return"][0]["instructions"]
    c.cmd("cont")
    time.sleep(0.3)
    c.cmd("stop")
    b = c.cmd("query-vms")["return"][0]["instructions"]
    c.cmd("cont")
    c.close()
    return b - a

base = running_count()
# a 100 MB line: an error after 1 MiB, then the connection closes
big = QMP(addr)
try:
    big.send_raw(b'{"execute": "' + b"x" * (100 << 20))
except (BrokenPipeError, ConnectionResetError):
    pass
r = big.answer()
check(r is not None and "line too long" in r["error"]["desc"], "100 MB line: %r" % r)
check(big.read() is None, "100 MB line: closed after the error")
# a client that asks and never reads: dropped once 4 MiB wait for it
lazy = QMP(addr)
lazy.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
req = (json.dumps({"execute": "human-monitor-command",
                   "arguments": {"command-line": "help"}}) + "\n").encode() * 20000
try:
    lazy.sock.settimeout(20)
    lazy.send_raw(req)
except (BrokenPipeError, ConnectionResetError, socket.timeout):
    pass
got = 0
lazy.sock.settimeout(20)
try:
    while True:
        d = lazy.sock.recv(1 << 16)
        if not d:
            break
        got += len(d)
except ConnectionResetError:
    pass
check(got < 10 << 20, "a client that does not read is dropped: it got %d bytes of ~18 MB" % got)
# 50 clients at once: 16 served, the others told and closed
many = []
for i in range(50):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(sock)
    many.append(s)
greeted = refused = 0
for s in many:
    line = s.makefile("rb").readline()
    m = json.loads(line) if line else {}
    greeted += "QMP" in m
    refused += "too many QMP clients" in m.get("error", {}).get("desc", "")
check(greeted + refused == 50 and greeted <= 16 and refused >= 34,
      "50 clients: %d greeted, %d refused" % (greeted, refused))
for s in many:
    s.close()
lazy.close()
after = running_count()
check(after > base * 0.5, "the VM runs on while clients misbehave: %d then %d instructions in 0.3 s"
      % (base, after))
check(q.cmd("query-status")["return"]["running"], "the first client still served")
check(q.cmd("quit") == {"return": {}}, "quit")
e = q.event("SHUTDOWN", vm="vm1", reason="host-qmp-quit")
check(e["data"]["guest"] is False, "SHUTDOWN after quit: %r" % e)
p.wait(timeout=10)
check(p.returncode == 0, "myvmm after quit: status %d" % p.returncode)
check(not os.path.exists(sock), "the socket is removed at the end")

# ---- two VMs on tcp: names, the guest's own end, a fault ----
p, addr = start("--qmp", "tcp:127.0.0.1:0", "-v", os.path.join(HERE, "wait_exit.s"),
                "-v", os.path.join(HERE, "wait_fault.s"), stdin=subprocess.PIPE)
check(addr.startswith("tcp:127.0.0.1:") and not addr.endswith(":0"), "tcp address " + addr)
q = QMP(addr)
r = q.cmd("query-status")
check("say which with" in r["error"]["desc"], "two VMs, no name: %r" % r)
check(q.cmd("query-status", {"vm": "vm2"})["return"]["status"] == "running", "query-status vm2")
check([v["name"] for v in q.cmd("query-vms")["return"]] == ["vm1", "vm2"], "query-vms names")
check(q.cmd("stop", {"vm": "vm2"}) == {"return": {}}, "stop vm2")
q.event("STOP", vm="vm2")
check(q.cmd("query-status", {"vm": "vm1"})["return"]["running"], "vm1 runs on while vm2 is paused")
q.cmd("cont", {"vm": "vm2"})
p.stdin.write(b"7\n5\n")
p.stdin.close()
e = q.event("SHUTDOWN", vm="vm1")
check(e["data"]["reason"] == "guest-shutdown" and e["data"]["guest"] and e["data"]["status"] == 7,
      "vm1's own exit: %r" % e)
f = q.event("FAULT", vm="vm2")
check("AdEL" in f["data"]["message"] and f["data"]["pc"] > 0, "FAULT %r" % f)
e = q.event("SHUTDOWN", vm="vm2")
check(e["data"]["reason"] == "guest-panic" and e["data"]["status"] == 3, "vm2's end: %r" % e)
p.wait(timeout=10)

# ---- tcp off loopback is refused (no password) ----
r = subprocess.run([MYVMM, "--qmp", "tcp:0.0.0.0:0", os.path.join(HERE, "loop.s")],
                   capture_output=True, timeout=10)
check(r.returncode == 1 and b"not a loopback address" in r.stderr, "tcp:0.0.0.0: %r" % r.stderr)

print("summary: QMP commands, events and bad input checked, %d failures" % fails)
sys.exit(1 if fails else 0)
