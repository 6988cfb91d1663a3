#!/usr/bin/env python3
"""timeline.py -- who ran when: draws the slices that `myvmm --stats-csv
FILE` wrote as a timeline, one row per VM, one bar per slice (from its
start, as long as it took on the wall clock), coloured by the host thread
that ran it.  Writes a self-contained SVG and prints one line about it.

    python3 docs/tour/timeline.py SLICES.CSV OUT.SVG

The tour's chapter 4 (docs/tour/04-many-vms.md) shows one.
"""
import csv
import sys

THREAD_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
NEED = ("vm", "thread", "start_s", "wall_ns")


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: timeline.py SLICES.CSV OUT.SVG\n")
        return 2
    try:
        with open(argv[1], newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in NEED if c not in (reader.fieldnames or [])]
            if missing:
                sys.stderr.write("timeline.py: %s: no column %s (is it a myvmm --stats-csv file?)\n"
                                 % (argv[1], ", ".join(missing)))
                return 1
            rows = []
            for n, r in enumerate(reader, start=2):
                try:
                    rows.append((r["vm"], int(r["thread"]), float(r["start_s"]), float(r["wall_ns"]) / 1e9))
                except (TypeError, ValueError):
                    sys.stderr.write("timeline.py: %s:%d: not a slice line\n" % (argv[1], n))
                    return 1
    except OSError as e:
        sys.stderr.write("timeline.py: %s: %s\n" % (argv[1], e.strerror))
        return 1
    if not rows:
        sys.stderr.write("timeline.py: %s has no slices\n" % argv[1])
        return 1
    vms = []
    for vm, _, _, _ in rows:
        if vm not in vms:
            vms.append(vm)
    threads = sorted({t for _, t, _, _ in rows})
    end = max(s + w for _, _, s, w in rows)

    left, top, row_h, plot_w = 60, 40, 28, 760
    width, height = left + plot_w + 20, top + row_h * len(vms) + 70

    def x(t):
        return left + t / end * plot_w

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="12">' % (width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="22" font-size="15">Who ran when: %d slices of %d VMs on %d host thread%s</text>'
           % (left, len(rows), len(vms), len(threads), "" if len(threads) == 1 else "s")]
    for i, vm in enumerate(vms):
        y = top + row_h * i
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (left - 6, y + row_h // 2 + 4, esc(vm)))
        out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#eee"/>'
                   % (left, left + plot_w, y + row_h - 2, y + row_h - 2))
    for vm, t, s, w in rows:
        y = top + row_h * vms.index(vm) + 4
        out.append('<rect x="%.2f" y="%d" width="%.2f" height="%d" fill="%s"/>'
                   % (x(s), y, max(x(s + w) - x(s), 0.5), row_h - 10, THREAD_COLOURS[t % len(THREAD_COLOURS)]))
    axis_y = top + row_h * len(vms) + 4
    out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="black"/>' % (left, left + plot_w, axis_y, axis_y))
    for k in range(6):  # time ticks in ms
        t = end * k / 5
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%.1f ms</text>' % (x(t), axis_y + 16, t * 1e3))
    lx = left
    for t in threads:
        out.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/>'
                   % (lx, axis_y + 30, THREAD_COLOURS[t % len(THREAD_COLOURS)]))
        out.append('<text x="%d" y="%d">host thread %d</text>' % (lx + 16, axis_y + 41, t))
        lx += 120
    out.append("</svg>")
    with open(argv[2], "w") as f:
        f.write("\n".join(out) + "\n")
    print("%s: %d VMs, %d slices on %d host thread%s over %.3f s"
          % (argv[2], len(vms), len(rows), len(threads), "" if len(threads) == 1 else "s", end))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
