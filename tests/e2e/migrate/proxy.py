#!/usr/bin/env python3
"""proxy.py LISTEN_PORT_FILE DEST_PORT MODE OFFSET

A tiny TCP proxy for the migration fault tests, on loopback only.  The
first connection suffers the fault; later ones (the source asking whether
the destination took its VM) pass untouched.  MODE:
  flip   XOR 0x20 into the source->destination byte at OFFSET
  rflip  the same in the destination->source direction
  cut    close both sides once OFFSET source->destination bytes passed
  rcut   the same, counting destination->source bytes
  record pass everything, and keep the source->destination bytes in
         LISTEN_PORT_FILE.rec (a recorded stream, to replay)
Writes its port to LISTEN_PORT_FILE, and the byte counts of the first
connection to LISTEN_PORT_FILE.counts when it ends."""
import os
import select
import socket
import sys


def main():
    port_file, dport, mode, offset = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(8)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(ls.getsockname()[1]))
    os.rename(port_file + ".tmp", port_file)
    first = True
    while True:
        a, _ = ls.accept()
        try:
            b = socket.create_connection(("127.0.0.1", dport))
        except OSError:  # the destination is gone: so is this connection
            a.close()
            continue
        for s in (a, b):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        count = {0: 0, 1: 0}
        peers = {a: (b, 0), b: (a, 1)}
        done = False
        while not done:
            r, _, _ = select.select([a, b], [], [], 60)
            if not r:
                break
            for s in r:
                to, d = peers[s]
                try:
                    data = bytearray(s.recv(65536))
                except OSError:
                    data = b""
                if not data:
                    done = True
                    break
                if first:
                    here = count[d]
                    if mode == ("flip" if d == 0 else "rflip") and here <= offset < here + len(data):
                        data[offset - here] ^= 0x20
                    if mode == ("cut" if d == 0 else "rcut") and offset < here + len(data):
                        try:
                            to.sendall(data[: offset - here])
                        except OSError:
                            pass
                        done = True
                        break
                if first and mode == "record" and d == 0:
                    with open(port_file + ".rec", "ab") as f:
                        f.write(data)
                count[d] += len(data)
                try:
                    to.sendall(data)
                except OSError:
                    done = True
                    break
        a.close()
        b.close()
        if first:
            with open(port_file + ".counts", "w") as f:
                f.write("%d %d\n" % (count[0], count[1]))
        first = False


if __name__ == "__main__":
    main()
