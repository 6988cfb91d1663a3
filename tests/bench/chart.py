#!/usr/bin/env python3
"""chart.py -- the bar chart of `make bench`: ns per guest instruction per
kernel and system, on a log scale, as a self-contained SVG (no plotting
library needed).

    chart.py KERNELS.CSV OUT.SVG [TITLE]

KERNELS.CSV is what tests/bench/run.sh writes: a header
`kernel,guest_insns_per_rep,SYSTEM,...` and one row per kernel, an empty
cell where a system has no figure.  Drawn: myvmm, qemu, native and spim
(whichever the file has); a missing figure is marked n/a under its slot.
"""
import csv
import math
import sys

SYSTEMS = [  # column, legend, colour
    ("myvmm", "myvmm", "#1f77b4"),
    ("qemu", "qemu-mipsel (JIT)", "#ff7f0e"),
    ("spim", "spim 8.0", "#d62728"),
    ("native", "native C (gcc -O2)", "#2ca02c"),
]


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: chart.py KERNELS.CSV OUT.SVG [TITLE]\n")
        return 2
    with open(argv[1], newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.stderr.write("chart.py: %s has no kernels\n" % argv[1])
        return 1
    systems = [s for s in SYSTEMS if s[0] in rows[0]]
    vals = []
    for r in rows:
        for key, _, _ in systems:
            try:
                v = float(r[key])
            except (TypeError, ValueError):
                continue
            if v > 0:
                vals.append(v)
    if not vals:
        sys.stderr.write("chart.py: %s has no figures\n" % argv[1])
        return 1
    lo = math.floor(math.log10(min(vals)))
    hi = math.ceil(math.log10(max(vals)))
    if hi == lo:
        hi += 1
    title = argv[3] if len(argv) > 3 else "ns per guest instruction (log scale; lower is faster)"

    left, top, plot_h, bottom = 70, 50, 300, 90
    group_w, bar_w = 40 + 22 * len(systems), 20
    width = left + group_w * len(rows) + 20
    height = top + plot_h + bottom

    def y(v):
        return top + plot_h - (math.log10(v) - lo) / (hi - lo) * plot_h

    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
        'font-family="sans-serif" font-size="12">' % (width, height),
        '<rect width="100%" height="100%" fill="white"/>',
        '<text x="%d" y="24" font-size="15">%s</text>' % (left, esc(title)),
    ]
    for d in range(lo, hi + 1):  # decades: grid lines and labels
        yy = y(10.0 ** d)
        label = ("%g" % 10.0 ** d) if -3 <= d <= 5 else "1e%d" % d
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ccc"/>'
                   % (left, width - 20, yy, yy))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (left - 6, yy + 4, label))
    out.append('<text transform="translate(16,%d) rotate(-90)" text-anchor="middle">ns / guest instruction</text>'
               % (top + plot_h // 2))
    for i, r in enumerate(rows):
        x0 = left + group_w * i + 20
        for j, (key, _, colour) in enumerate(systems):
            x = x0 + 22 * j
            try:
                v = float(r[key])
            except (TypeError, ValueError):
                v = 0
            if v <= 0:
                out.append('<text x="%d" y="%d" font-size="9" text-anchor="middle">n/a</text>'
                           % (x + bar_w // 2, top + plot_h - 4))
                continue
            yy = y(v)
            out.append('<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s"><title>%s %s: %g ns</title></rect>'
                       % (x, yy, bar_w, top + plot_h - yy, colour, esc(r["kernel"]), key, v))
            out.append('<text x="%d" y="%.1f" font-size="9" text-anchor="middle">%s</text>'
                       % (x + bar_w // 2, yy - 3, "%.0f" % v if v >= 100 else "%.3g" % v))
        out.append('<text x="%d" y="%d" text-anchor="middle">%s</text>'
                   % (x0 + 11 * len(systems) - 1, top + plot_h + 18, esc(r["kernel"])))
    out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="black"/>'
               % (left, width - 20, top + plot_h, top + plot_h))
    lx = left
    for key, legend, colour in systems:  # legend, one row under the axis
        out.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/>' % (lx, top + plot_h + 40, colour))
        out.append('<text x="%d" y="%d">%s</text>' % (lx + 16, top + plot_h + 51, esc(legend)))
        lx += 30 + 8 * len(legend)
    out.append("</svg>")
    with open(argv[2], "w") as f:
        f.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
