#!/usr/bin/env python3
"""rounds.py -- a live migration's pre-copy rounds: draws the rows that
`myvmm --migrate-log FILE` wrote as bars, one per round of the last
attempt: the pages sent in it (round 0: every touched writable page;
round n: what the VM dirtied during round n-1), the final set, sent
with the VM paused, in red with the downtime.  Writes a self-contained
SVG (no libraries, as timeline.py) and prints one line about it.

    python3 docs/tour/rounds.py ROUNDS.CSV OUT.SVG

The tour's chapter 7 (docs/tour/07-live-migration.md) shows one.
"""
import csv
import sys

NEED = ("attempt", "round", "pages_sent", "dirty_left", "downtime_ms")


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: rounds.py ROUNDS.CSV OUT.SVG\n")
        return 2
    try:
        with open(argv[1], newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in NEED if c not in (reader.fieldnames or [])]
            if missing:
                sys.stderr.write("rounds.py: %s: no column %s (is it a myvmm --migrate-log file?)\n"
                                 % (argv[1], ", ".join(missing)))
                return 1
            rows = []
            for n, r in enumerate(reader, start=2):
                try:
                    down = float(r["downtime_ms"]) if r["downtime_ms"] else None
                    rows.append((int(r["attempt"]), int(r["round"]), int(r["pages_sent"]), down))
                except (TypeError, ValueError):
                    sys.stderr.write("rounds.py: %s:%d: not a round line\n" % (argv[1], n))
                    return 1
    except OSError as e:
        sys.stderr.write("rounds.py: %s: %s\n" % (argv[1], e.strerror))
        return 1
    if not rows:
        sys.stderr.write("rounds.py: %s has no rounds\n" % argv[1])
        return 1
    attempt = rows[-1][0]
    rows = [r for r in rows if r[0] == attempt]
    top_pages = max(p for _, _, p, _ in rows) or 1

    left, top, plot_h, bar_w, gap = 70, 50, 260, 44, 16
    width = left + len(rows) * (bar_w + gap) + 40
    height = top + plot_h + 70

    def y(p):
        return top + plot_h - p / top_pages * plot_h

    final = rows[-1][3]
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="12">' % (max(width, 600), height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="22" font-size="15">Pages sent per round (attempt %d)%s</text>'
           % (left, attempt, "" if final is None else ": the last one with the VM paused")]
    for k in range(5):  # page ticks
        p = top_pages * k / 4
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#eee"/>'
                   % (left, width - 30, y(p), y(p)))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%d</text>' % (left - 6, y(p) + 4, p))
    for i, (_, rnd, pages, down) in enumerate(rows):
        x = left + 10 + i * (bar_w + gap)
        colour = "#d62728" if down is not None else "#1f77b4"
        out.append('<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s"/>'
                   % (x, y(pages), bar_w, top + plot_h - y(pages), colour))
        out.append('<text x="%d" y="%.1f" text-anchor="middle">%d</text>' % (x + bar_w // 2, y(pages) - 4, pages))
        label = "round %d" % rnd if down is None else "paused"
        out.append('<text x="%d" y="%d" text-anchor="middle">%s</text>' % (x + bar_w // 2, top + plot_h + 16, label))
        if down is not None:
            out.append('<text x="%d" y="%d" text-anchor="middle">%.1f ms</text>'
                       % (x + bar_w // 2, top + plot_h + 32, down))
    out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="black"/>'
               % (left, width - 30, top + plot_h, top + plot_h))
    out.append('<text x="14" y="%d" transform="rotate(-90 14 %d)" text-anchor="middle">pages</text>'
               % (top + plot_h // 2, top + plot_h // 2))
    out.append("</svg>")
    with open(argv[2], "w") as f:
        f.write("\n".join(out) + "\n")
    print("%s: attempt %d, %d rounds, %d pages%s"
          % (argv[2], attempt, len(rows), sum(p for _, _, p, _ in rows),
             "" if final is None else ", downtime %.1f ms" % final))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
