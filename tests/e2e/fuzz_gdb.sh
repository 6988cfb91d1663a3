#!/usr/bin/env bash
# A short libFuzzer run of the gdb stub's protocol (tests/fuzz/fuzz_gdb.c):
# a client's bytes framed into packets and answered against a fake
# target, from a corpus of the packets gdb-multiarch sends in a session.
# Nothing may crash, and every answer must frame and unframe to itself.
# The long run: make fuzz; build/fuzz/fuzz_gdb -max_total_time=600 DIR.
exec bash "$TOP/tests/fuzz/short_run.sh" fuzz_gdb 4096 python3 -c '
import os
pkts = [b"qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;xmlRegisters=mips",
        b"vMustReplyEmpty", b"QStartNoAckMode", b"Hg0", b"qXfer:features:read:target.xml:0,ffb",
        b"qXfer:features:read:target.xml:7fe,ffb", b"qTStatus", b"?", b"qfThreadInfo",
        b"qsThreadInfo", b"qAttached", b"Hc-1", b"qC", b"g", b"p25", b"P8=78563412",
        b"m10010000,40", b"M10010000,4:01020304", b"Z0,400040,4", b"z0,400040,4",
        b"Z2,10010000,4", b"vCont?", b"vCont;s:1;c", b"vCont;c", b"qThreadExtraInfo,2",
        b"T2", b"Hg2", b"c", b"s", b"D", b"k", b"G" + b"0" * 576]
def frame(p):
    out = b""
    for c in p:
        if c in b"$#}*":
            out += bytes([0x7d, c ^ 0x20])
        else:
            out += bytes([c])
    return b"$" + out + b"#" + b"%02x" % (sum(out) & 0xff)
d = os.environ["CORPUS"]
for i, p in enumerate(pkts):
    open(os.path.join(d, "p%02d" % i), "wb").write(b"+" + frame(p))
open(os.path.join(d, "session"), "wb").write(b"".join(b"+" + frame(p) for p in pkts[:20]) + b"\x03")
'
