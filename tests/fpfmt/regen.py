#!/usr/bin/env python3
"""regen.py: records what real spim and real MARS print and read for
floating-point values, the expected files tests/check_fpfmt.c compares
common/fpfmt.c with.

    MARS_CMD="JAVA -cp /path/to/mars Mars nc me" tests/fpfmt/regen.py

spim (on PATH) and MARS run generated programs that print every value of
values.txt with print_float / print_double and read every line of
inputs.txt with read_float / read_double (printing the result's bits).
Written, one "REQUEST<TAB>ANSWER" line each (requests as in fpfmt_cli.c):
  spim.expected  fs/ds HEX -> text;  rfs/rds TEXT -> bits in hex
  mars.expected  fm/dm HEX -> text;  rfm/rdm TEXT -> bits in hex, or "error"
                 when MARS stops with "invalid float/double input"
MARS's print_float is Java's Float.toString, whose digits changed in JDK 19:
run MARS with a JDK 19 or later (ours follows it); the JDK used is shown.
Nothing here is needed to run the tests, only to remake the files.
"""
import os
import re
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from progs import bits_text, print_order, print_program, read_program  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TMP = "/tmp/fpfmt-regen-%d" % os.getpid()


def read_values():
    out = []
    with open(os.path.join(HERE, "values.txt")) as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if line:
                kind, bits = line
                assert kind in ("f", "d") and len(bits) == (8 if kind == "f" else 16), line
                out.append((kind, bits))
    return out


def read_inputs():
    with open(os.path.join(HERE, "inputs.txt"), encoding="latin-1") as f:
        return f.read().split("\n")[:-1]


def run(cmd, src, name, stdin=""):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(src)
    p = subprocess.run(cmd + [path], input=stdin.encode("latin-1"), capture_output=True,
                       timeout=300)
    out = p.stdout.decode("latin-1")
    if cmd[0] == "spim":  # its banner: five lines, even with -quiet
        out = out.split("\n", 5)[5]
    return out, p.stderr.decode("latin-1")


def record_prints(cmd, values, style, suffix):
    out, err = run(cmd, print_program(values), "print." + suffix)
    lines = out.split("\n")
    if len(lines) < len(values):
        sys.exit("regen: %s printed %d lines for %d values:\n%s" % (cmd[0], len(lines), len(values), err))
    return ["%s%s %s\t%s" % (kind, style, bits, lines[i])
            for i, (kind, bits) in enumerate(print_order(values))]


def record_reads_spim(values_in):
    rows = []
    for kind in ("f", "d"):
        out, err = run(["spim", "-file"], read_program(kind, len(values_in)), "read.s",
                       "".join(s + "\n" for s in values_in))
        lines = out.split("\n")
        for i, s in enumerate(values_in):
            rows.append("r%ss %s\t%s" % (kind, s, bits_text(kind, lines[i])))
    return rows


def record_reads_mars(cmd, values_in):
    """MARS stops at the first line it refuses: run again from the next."""
    rows = []
    for kind in ("f", "d"):
        i = 0
        while i < len(values_in):
            rest = values_in[i:]
            out, err = run(cmd, read_program(kind, len(rest)), "read.asm", "".join(s + "\n" for s in rest))
            lines = [l for l in out.split("\n") if l != ""]
            for l in lines:
                rows.append("r%sm %s\t%s" % (kind, values_in[i], bits_text(kind, l)))
                i += 1
            if i < len(values_in):
                want = "invalid %s input" % ("float" if kind == "f" else "double")
                if want not in err:
                    sys.exit("regen: MARS stopped at %r without '%s':\n%s" % (values_in[i], want, err))
                rows.append("r%sm %s\terror" % (kind, values_in[i]))
                i += 1
    return rows


def main():
    mars_cmd = os.environ.get("MARS_CMD")
    if not mars_cmd:
        sys.exit(__doc__)
    mars = shlex.split(mars_cmd)
    os.makedirs(TMP, exist_ok=True)
    java = subprocess.run([mars[0], "-version"], capture_output=True, text=True).stderr
    print("regen: MARS runs on " + java.split("\n")[0])
    m = re.search(r'version "(\d+)', java)
    if m and int(m.group(1)) < 19:
        print("regen: warning: a JDK before 19 prints some floats with one digit more", file=sys.stderr)
    values, inputs = read_values(), read_inputs()
    spim = record_prints(["spim", "-file"], values, "s", "s") + record_reads_spim(inputs)
    marsrows = record_prints(mars, values, "m", "asm") + record_reads_mars(mars, inputs)
    for name, rows in (("spim.expected", spim), ("mars.expected", marsrows)):
        with open(os.path.join(HERE, name), "w", encoding="latin-1") as f:
            f.write("".join(r + "\n" for r in rows))
        print("regen: wrote tests/fpfmt/%s (%d lines)" % (name, len(rows)))
    subprocess.run(["rm", "-rf", TMP])


if __name__ == "__main__":
    main()
