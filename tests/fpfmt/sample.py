#!/usr/bin/env python3
"""sample.py: random requests for tests/e2e/fpfmt_*.sh (same seed, same
sample, so a failure can be replayed).

    sample.py values N SEED   N floats and N doubles: "f HEX" / "d HEX"
                              lines (random bits, short decimals, every
                              power of two)
    sample.py texts N SEED    N input lines for read_float/read_double
                              (numbers in many spellings, and junk)
"""
import random
import struct
import sys


def values(n, r):
    out = []
    for kind, width, fmt in (("f", 32, "<f"), ("d", 64, "<d")):
        ibits = "<I" if kind == "f" else "<Q"
        for e in range(1 << (8 if kind == "f" else 11)):  # every power of two
            if len(out) < n * (1 if kind == "f" else 2):
                sh = 23 if kind == "f" else 52
                out.append((kind, e << sh))
        while len(out) < n * (1 if kind == "f" else 2):
            if r.random() < 0.7:
                out.append((kind, r.getrandbits(width)))
            else:  # a short decimal, as programs print them
                v = r.randrange(-10**6, 10**6) / 10.0 ** r.randrange(0, 9)
                out.append((kind, struct.unpack(ibits, struct.pack(fmt, v))[0]))
    return ["%s %0*x" % (k, 8 if k == "f" else 16, b) for k, b in out]


def texts(n, r):
    out = []
    for _ in range(n):
        k = r.randrange(7)
        if k == 0:
            s = repr(r.uniform(-1e6, 1e6))
        elif k == 1:
            s = "%.*fe%d" % (r.randrange(0, 25), r.uniform(-10, 10), r.randrange(-330, 320))
        elif k == 2:
            s = str(r.getrandbits(r.randrange(1, 90)))
        elif k == 3:
            s = float.hex(r.uniform(-100, 100) * 2.0 ** r.randrange(-1100, 1000))
        elif k == 4:
            s = "".join(r.choice("0123456789.eE+-xXpPfdFDaNIinfty ") for _ in range(r.randrange(0, 12)))
        elif k == 5:
            s = "%.*g" % (r.randrange(1, 20), r.random() * 10.0 ** r.randrange(-50, 50))
        else:
            s = r.choice(["", " ", "NaN", "-Infinity", "inf", "nan", "1.", ".5", "0x1p-149"])
        pad = r.choice(["", "", "", " ", "\t", "  "])
        out.append(pad + s + r.choice(["", "", pad]))
    return out


def main():
    what, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    r = random.Random(seed)
    lines = values(n, r) if what == "values" else texts(n, r)
    sys.stdout.write("".join(l + "\n" for l in lines))


if __name__ == "__main__":
    main()
