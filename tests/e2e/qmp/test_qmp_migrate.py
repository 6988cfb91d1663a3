"""Live migration driven only through QMP (tests/e2e/qmp_migrate.sh): the
real myvmm as source and destination on loopback.  migrate, the MIGRATION
events, query-migrate, migrate-cancel (mid-way, and while the attempt
still waits for the destination's handshake), a failed migration, the
bad inputs, a snapshot-save before a migration, and a --migrate
migration seen through query-migrate.
Usage: test_qmp_migrate.py MYVMM TMPDIR PROGRAM"""
import os
import re
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from qmp_client import QMP

MYVMM, TMP, PROG = sys.argv[1], sys.argv[2], sys.argv[3]
HERE = os.path.dirname(os.path.abspath(__file__))
WAIT = os.path.join(HERE, "wait_exit.s")
fails = 0
# its loop's count: 11 instructions an iteration
ITERS = int(re.search(r"li +\$s1, (\d+)", open(PROG).read()).group(1))


def check(cond, what):
    global fails
    if not cond:
        fails += 1
        print("FAIL:", what)


def final_hash(err):
    m = re.findall(r"final-hash (0x[0-9a-f]+)", err)
    return m[-1] if m else None


def destination(name):
    """myvmm --incoming on a free loopback port: (process, port, out, err files)."""
    out, err = os.path.join(TMP, name + ".out"), os.path.join(TMP, name + ".err")
    p = subprocess.Popen([MYVMM, "--incoming", "tcp:127.0.0.1:0", "--final-hash"],
                         stdin=subprocess.DEVNULL, stdout=open(out, "wb"), stderr=open(err, "wb"))
    for _ in range(200):
        m = re.search(r"\(port (\d+)\)", open(err).read())
        if m:
            return p, int(m.group(1)), out, err
        time.sleep(0.05)
    raise AssertionError("no destination: " + open(err).read())


def source(name, *args, vms=(PROG,)):
    """myvmm with a QMP socket running vms; stdin a pipe we hold (vm2 waits
    on it); returns (process, QMP client, out file, err file)."""
    out, err = os.path.join(TMP, name + ".out"), os.path.join(TMP, name + ".err")
    sock = os.path.join(TMP, name + ".sock")
    cmd = [MYVMM, "--qmp", "unix:" + sock, "--final-hash"] + list(args)
    for v in vms:
        cmd += ["-v", v]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=open(out, "wb"), stderr=open(err, "wb"))
    for _ in range(200):
        if "qmp: listening" in open(err).read():
            return p, QMP("unix:" + sock), out, err
        time.sleep(0.02)
    raise AssertionError("no QMP socket: " + open(err).read())


def strip(text, vm):
    """A multi-VM source's lines of vm, without their 'vm | ' prefix."""
    pre = vm + " | "
    return "".join(l[len(pre):] for l in text.splitlines(True) if l.startswith(pre))


def migrations(q, vm):
    return [e["data"]["status"] for e in q.events if e["event"] == "MIGRATION" and
            e["data"]["vm"] == vm]


# ---- the reference: the program run alone ----
ref = subprocess.run([MYVMM, "--final-hash", PROG], stdin=subprocess.DEVNULL,
                     capture_output=True, timeout=120)
ref_out, ref_hash = ref.stdout.decode(), final_hash(ref.stderr.decode())
check(ref.returncode == 0 and ref_hash and ref_out.count("\n") > 100, "reference run %r" % ref)

# ---- 1. two VMs; vm1 snapshotted then migrated, all through QMP ----
dp, port, dout, derr = destination("dst1")
uri = "tcp:127.0.0.1:%d" % port
sp, q, sout, serr = source("src1", vms=(PROG, WAIT))
check(q.cmd("query-migrate", {"vm": "vm1"}) == {"return": {"status": "none"}},
      "query-migrate before any")
# bad inputs
r = q.cmd("migrate", {"uri": uri})
check("error" in r and "say which" in r["error"]["desc"], "migrate without vm, 2 VMs: %r" % r)
r = q.cmd("migrate", {"vm": "vm9", "uri": uri})
check("error" in r and "no VM called 'vm9'" in r["error"]["desc"], "unknown vm: %r" % r)
r = q.cmd("migrate", {"vm": "vm1"})
check(r.get("error", {}).get("desc") == "Parameter 'uri' is missing", "no uri: %r" % r)
r = q.cmd("migrate", {"vm": "vm1", "uri": "udp:127.0.0.1:1"})
check("error" in r and "tcp:HOST:PORT" in r["error"]["desc"], "bad uri: %r" % r)
r = q.cmd("migrate", {"vm": "vm1", "uri": "tcp:127.0.0.1"})
check("error" in r and "tcp:HOST:PORT" in r["error"]["desc"], "uri without a port: %r" % r)
r = q.cmd("migrate", {"vm": "vm1", "uri": "tcp:192.0.2.1:4444"})
check("error" in r and "not a loopback address" in r["error"]["desc"] and
      "--migrate-psk" in r["error"]["desc"], "off loopback without a key: %r" % r)
r = q.cmd("migrate", {"vm": "vm1", "uri": 4444})
check("error" in r and "expected: string" in r["error"]["desc"], "uri not a string: %r" % r)
check(q.cmd("migrate-cancel", {"vm": "vm1"}) == {"return": {}}, "migrate-cancel with none")
check(q.cmd("query-migrate", {"vm": "vm1"}) == {"return": {"status": "none"}},
      "bad inputs start nothing")
check(migrations(q, "vm1") == [], "no MIGRATION event yet: %r" % q.events)
# a snapshot through QMP, then the migration
snap = os.path.join(TMP, "vm1.snap")
check(q.cmd("snapshot-save", {"vm": "vm1", "file": snap}) == {"return": {}}, "snapshot-save")
info = subprocess.run([MYVMM, "--snapshot-info", snap], capture_output=True, timeout=30)
check(info.returncode == 0 and b"vm1" in info.stdout, "the snapshot reads back: %r" % info)
check(q.cmd("query-status", {"vm": "vm1"})["return"]["status"] == "running",
      "vm1 runs again after the snapshot")
r = q.cmd("migrate", {"vm": "vm1", "uri": uri})
check(r == {"return": {}}, "migrate: %r" % r)
r = q.cmd("migrate", {"vm": "vm1", "uri": uri})
check("error" in r and "already under way" in r["error"]["desc"], "second migrate: %r" % r)
q.event("MIGRATION", vm="vm1", status="completed", timeout=60)
check(migrations(q, "vm1") == ["setup", "active"], "events before completed: %r" % q.events)
m = q.cmd("query-migrate", {"vm": "vm1"})["return"]
ram = m.get("ram", {})
check(m["status"] == "completed" and 0 <= m["downtime"] <= m["total-time"] < 60000 and
      ram.get("total", 0) > 0 and ram["transferred"] >= ram["total"] and ram["remaining"] == 0 and
      ram["normal"] * 4096 >= ram["total"] and ram["normal-bytes"] == ram["normal"] * 4096 and
      ram["dirty-sync-count"] >= 1 and ram["mbps"] > 0, "query-migrate completed: %r" % m)
# its end here follows (the VM's thread ends it after its last tick)
q.event("SHUTDOWN", vm="vm1", reason="migrated")
vms = {v["name"]: v for v in q.cmd("query-vms")["return"]}
check(vms["vm1"]["status"] == "postmigrate" and vms["vm2"]["status"] == "running",
      "query-vms after: %r" % vms)
r = q.cmd("migrate", {"vm": "vm1", "uri": uri})
check("error" in r and "already migrated" in r["error"]["desc"], "migrate a migrated VM: %r" % r)
out = q.cmd("human-monitor-command", {"command-line": "info migrate", "vm": "vm1"})["return"]
check("migration status: completed" in out and uri in out, "info migrate: %r" % out)
check(q.cmd("quit") == {"return": {}}, "quit")
sp.stdin.close()
check(sp.wait(timeout=30) == 0, "source exit %s: %s" % (sp.returncode, open(serr).read()))
check(dp.wait(timeout=120) == 0, "destination exit %s: %s" % (dp.returncode, open(derr).read()))
both = strip(open(sout).read(), "vm1") + open(dout).read()
check(both == ref_out, "source + destination output is the run alone's (%d and %d lines)" %
      (both.count("\n"), ref_out.count("\n")))
check(final_hash(open(derr).read()) == ref_hash, "final hash %s, alone %s" %
      (final_hash(open(derr).read()), ref_hash))

# ---- 2. cancelled mid-way: the VM runs on to its end at the source ----
dp, port, dout, derr = destination("dst2")
uri = "tcp:127.0.0.1:%d" % port
sp, q, sout, serr = source("src2", "--max-bandwidth", "32K")
check(q.cmd("migrate", {"uri": uri}) == {"return": {}}, "migrate (slow link)")
q.event("MIGRATION", vm="vm1", status="active", timeout=30)
time.sleep(0.3)
m = q.cmd("query-migrate")["return"]
check(m["status"] == "active" and m["ram"]["remaining"] > 0 and m["total-time"] > 0,
      "active mid-way: %r" % m)
r = q.cmd("migrate", {"uri": uri})
check("error" in r and "status active" in r["error"]["desc"], "migrate while active: %r" % r)
t = time.time()
check(q.cmd("migrate-cancel") == {"return": {}}, "migrate-cancel")
q.event("MIGRATION", vm="vm1", status="cancelled", timeout=10)
check(time.time() - t < 2, "cancelled in %.2f s" % (time.time() - t))
check(migrations(q, "vm1") == ["setup", "cancelling"], "events: %r" % q.events)
m = q.cmd("query-migrate")["return"]
check(m["status"] == "cancelled" and "downtime" not in m, "query-migrate cancelled: %r" % m)
check(q.cmd("query-status")["return"]["status"] == "running", "the VM runs on after the cancel")
e = q.event("SHUTDOWN", vm="vm1", timeout=120)
check(e["data"]["reason"] == "guest-shutdown" and e["data"]["status"] == 0, "its end: %r" % e)
sp.stdin.close()
check(sp.wait(timeout=30) == 0, "source exit %s: %s" % (sp.returncode, open(serr).read()))
check(open(sout).read() == ref_out, "the source's output is the run alone's")
check(final_hash(open(serr).read()) == ref_hash, "source's final hash after the cancel")
time.sleep(0.2)
d = open(derr).read()
check("the source cancelled" in d and dp.poll() is None,
      "the destination dropped the VM and waits for the next: %s" % d)
dp.kill()
dp.wait()

# ---- 3. a cancel while the attempt waits for the handshake; a failure ----
mute = socket.socket()  # accepts (the kernel does) but never answers
mute.bind(("127.0.0.1", 0))
mute.listen(4)
sp, q, sout, serr = source("src3", vms=(PROG, WAIT))
check(q.cmd("migrate", {"vm": "vm1", "uri": "tcp:127.0.0.1:%d" % mute.getsockname()[1]}) ==
      {"return": {}}, "migrate to a mute peer")
q.event("MIGRATION", vm="vm1", status="setup")
time.sleep(0.5)
check(q.cmd("query-migrate", {"vm": "vm1"})["return"]["status"] == "setup",
      "still in setup (the handshake waits)")
t = time.time()
check(q.cmd("migrate-cancel", {"vm": "vm1"}) == {"return": {}}, "migrate-cancel in setup")
q.event("MIGRATION", vm="vm1", status="cancelled", timeout=5)
check(time.time() - t < 2, "the handshake's wait ended at once: %.2f s" % (time.time() - t))
# nothing listens there now: failed, with the reason
closed = socket.socket()
closed.bind(("127.0.0.1", 0))
dead = closed.getsockname()[1]
closed.close()
check(q.cmd("migrate", {"vm": "vm1", "uri": "tcp:127.0.0.1:%d" % dead}) == {"return": {}},
      "migrate to a closed port")
q.event("MIGRATION", vm="vm1", status="failed", timeout=30)
m = q.cmd("query-migrate", {"vm": "vm1"})["return"]
check(m["status"] == "failed" and "refused" in m.get("error-desc", ""), "failed: %r" % m)
check(q.cmd("query-migrate", {"vm": "vm2"}) == {"return": {"status": "none"}},
      "vm2's own status")
check(q.cmd("query-status", {"vm": "vm1"})["return"]["status"] == "running",
      "vm1 runs on after a failure")
check(q.cmd("quit") == {"return": {}}, "quit")
sp.stdin.close()
check(sp.wait(timeout=30) == 0, "source exit %s: %s" % (sp.returncode, open(serr).read()))
mute.close()

# ---- 4. --migrate's migration (--migrate-after: a tenth of the program)
# shows through QMP ----
dp, port, dout, derr = destination("dst4")
sp, q, sout, serr = source("src4", "--migrate", "vm1=tcp:127.0.0.1:%d" % port,
                           "--migrate-after", str(ITERS), vms=(PROG, WAIT))
q.event("MIGRATION", vm="vm1", status="completed", timeout=60)
# its setup may come before this client has negotiated (events go to
# those that have): the rest must be there
check(migrations(q, "vm1") in (["setup", "active"], ["active"]),
      "--migrate's events: %r" % q.events)
m = q.cmd("query-migrate", {"vm": "vm1"})["return"]
check(m["status"] == "completed" and m["ram"]["transferred"] > 0, "--migrate's status: %r" % m)
check(q.cmd("quit") == {"return": {}}, "quit")
sp.stdin.close()
check(sp.wait(timeout=30) == 0, "source exit %s: %s" % (sp.returncode, open(serr).read()))
dp.kill()  # the program's end is case 1's business
dp.wait()

print("summary: QMP migrate, cancel, failure, events and bad input checked, %d failures" % fails)
sys.exit(1 if fails else 0)
