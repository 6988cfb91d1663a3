#!/usr/bin/env python3
"""client.py PORT CASE: a misbehaving gdb client for tests/e2e/gdb.sh.

Each case talks to the stub over a raw socket and prints what it saw;
the script checks that, the stub's messages and the VM's output."""
import socket
import sys
import time


def frame(payload: bytes) -> bytes:
    return b"$" + payload + b"#" + b"%02x" % (sum(payload) & 0xFF)


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    return s


def read_packet(s):
    """The next packet's payload (acks skipped)."""
    buf = b""
    while True:
        c = s.recv(1)
        if not c:
            raise EOFError("closed")
        if c in b"+-" and not buf:
            continue
        buf += c
        if b"#" in buf and len(buf) >= buf.index(b"#") + 3:
            start = buf.index(b"$")
            return buf[start + 1:buf.index(b"#")]


def until_closed(s):
    """Read until the stub closes the connection."""
    s.settimeout(5)
    try:
        while s.recv(4096):
            pass
        print("closed by the stub")
    except (ConnectionResetError, socket.timeout) as e:
        print("ended:", type(e).__name__)


def main():
    port, case = int(sys.argv[1]), sys.argv[2]
    s = connect(port)
    if case == "split":
        # "?" then "g", each sent a byte at a time: answers come whole.
        for b in frame(b"?") + frame(b"qC"):
            s.sendall(bytes([b]))
            time.sleep(0.002)
        print("stop:", read_packet(s).decode())
        print("qC:", read_packet(s).decode())
        s.sendall(frame(b"D"))
        print("D:", read_packet(s).decode())
    elif case == "badsum":
        s.sendall(b"$?#00")
        print("ack:", s.recv(1).decode())
        s.sendall(frame(b"qAttached"))
        print("qAttached:", read_packet(s).decode())
        s.sendall(frame(b"m0,4"))  # address 0: not mapped
        print("m0:", read_packet(s).decode())
        s.sendall(frame(b"mzz"))
        print("mzz:", read_packet(s).decode())
        s.sendall(frame(b"D"))
        print("D:", read_packet(s).decode())
    elif case == "garbage":
        s.sendall(b"hello, is this a web server?\r\n" * 3000)  # > 64 KiB, no packet
        until_closed(s)
    elif case == "huge":
        s.sendall(b"$" + b"m" * 20000)
        until_closed(s)
    elif case == "midpacket":
        s.sendall(b"$qSupported:multipro")
        s.close()
        print("left mid-packet")
    elif case == "second":
        # another client while this one holds the stub
        t = connect(port)
        t.settimeout(5)
        print("second got:", t.recv(16))
        s.sendall(frame(b"D"))
        print("D:", read_packet(s).decode())


main()
