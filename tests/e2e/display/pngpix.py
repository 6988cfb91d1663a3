#!/usr/bin/env python3
"""pngpix.py: the pixels of 8-bit RGB PNG files, decoded here (zlib and
the five PNG filters), so tests compare pictures by pixel value, never
by file bytes.

  pngpix.py info A.png            width, height, bit depth and colour type
  pngpix.py same A.png B.png      exit 0 when both have the same pixels,
                                  else 1 and the first differing pixel
  pngpix.py at A.png X Y [X Y...] the pixels at (X, Y) as RRGGBB, a line each
  pngpix.py write OUT.png W H SPEC
                                  a PNG of W x H pixels from SPEC, lines
                                  "x0 y0 x1 y1 RRGGBB" (a filled box,
                                  later boxes on top; the rest black),
                                  unfiltered, one IDAT: another encoder's
                                  bytes than libpng's
"""
import struct
import sys
import zlib


def chunks(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("not a PNG")
    pos = 8
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]:
            sys.exit("bad CRC in chunk %r" % kind)
        yield kind, body
        pos += 12 + n


def decode(path):
    data = open(path, "rb").read()
    idat = b""
    for kind, body in chunks(data):
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    if depth != 8 or ctype != 2 or interlace != 0:
        sys.exit("%s: not 8-bit RGB, non-interlaced (depth %d, colour type %d)" % (path, depth, ctype))
    raw = zlib.decompress(idat)
    stride = 3 * w
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 3] if i >= 3 else 0
            b = prev[i]
            c = prev[i - 3] if i >= 3 else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
            elif f != 0:
                sys.exit("bad filter %d" % f)
        rows.append(bytes(line))
        prev = line
    return w, h, rows


def write(path, w, h, spec):
    pix = [bytearray(3 * w) for _ in range(h)]
    for ln in open(spec):
        ln = ln.split("#")[0].split()
        if not ln:
            continue
        x0, y0, x1, y1 = map(int, ln[:4])
        rgb = bytes.fromhex(ln[4])
        for y in range(y0, y1 + 1):
            for x in range(x0, x1 + 1):
                pix[y][3 * x:3 * x + 3] = rgb
    raw = b"".join(b"\0" + bytes(r) for r in pix)

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
           chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))
    open(path, "wb").write(png)


cmd = sys.argv[1]
if cmd == "info":
    for kind, body in chunks(open(sys.argv[2], "rb").read()):
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            print("%dx%d depth %d colour type %d" % (w, h, depth, ctype))
elif cmd == "same":
    wa, ha, a = decode(sys.argv[2])
    wb, hb, b = decode(sys.argv[3])
    if (wa, ha) != (wb, hb):
        sys.exit("sizes differ: %dx%d and %dx%d" % (wa, ha, wb, hb))
    for y in range(ha):
        if a[y] != b[y]:
            x = next(i for i in range(wa) if a[y][3 * i:3 * i + 3] != b[y][3 * i:3 * i + 3])
            sys.exit("pixel (%d, %d): %s and %s" % (x, y, a[y][3 * x:3 * x + 3].hex(),
                                                    b[y][3 * x:3 * x + 3].hex()))
elif cmd == "at":
    w, h, rows = decode(sys.argv[2])
    xy = list(map(int, sys.argv[3:]))
    for x, y in zip(xy[::2], xy[1::2]):
        print(rows[y][3 * x:3 * x + 3].hex())
elif cmd == "write":
    write(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
else:
    sys.exit(__doc__)
