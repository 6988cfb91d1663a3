"""progs.py: the MIPS programs that make spim and MARS print and read
floats, for tests/fpfmt/regen.py and tests/e2e/fpfmt_spim.sh.  The source
is the same for both (SPIM and MARS syntax agree on it)."""

NL = ["la $a0, nl", "li $v0, 4", "syscall"]


def _loop(label, table, count, step, load, service):
    return ["la $s0, %s" % table, "li $s1, %d" % count, "blez $s1, %s_end" % label,
            "%s:" % label, "%s $f12, 0($s0)" % load, "li $v0, %d" % service, "syscall"] + NL + \
           ["addiu $s0, $s0, %d" % step, "addiu $s1, $s1, -1", "bgtz $s1, %s" % label,
            "%s_end:" % label]


def print_program(values):
    """Prints the floats of values ((kind, hex bits) pairs, kind "f" or
    "d"), one a line, then the doubles: print_order(values) is the order."""
    floats = [b for k, b in values if k == "f"]
    doubles = [b for k, b in values if k == "d"]
    data = [".data", ".align 3", "dtab:"]
    data += [".word 0x%s, 0x%s" % (b[8:], b[:8]) for b in doubles]  # low word first
    data += ["ftab:"] + [".word 0x%s" % b for b in floats]
    data += ['nl: .asciiz "\\n"']
    text = [".text", "main:"] + _loop("pf", "ftab", len(floats), 4, "lwc1", 2) + \
        _loop("pd", "dtab", len(doubles), 8, "ldc1", 3) + ["li $v0, 10", "syscall"]
    return "\n".join(data + text) + "\n"


def print_order(values):
    return [v for v in values if v[0] == "f"] + [v for v in values if v[0] == "d"]


def read_program(kind, count):
    """Reads count lines with read_float (f) or read_double (d) and prints
    the bits of each result as signed decimal words ($f1 then $f0)."""
    body = [".data", 'nl: .asciiz "\\n"', 'sp: .asciiz " "', ".text",
            "main: li $s0, %d" % count, "blez $s0, done",
            "loop: li $v0, %d" % (6 if kind == "f" else 7), "syscall"]
    if kind == "d":
        body += ["mfc1 $a0, $f1", "li $v0, 1", "syscall", "la $a0, sp", "li $v0, 4", "syscall"]
    body += ["mfc1 $a0, $f0", "li $v0, 1", "syscall"] + NL + \
        ["addiu $s0, $s0, -1", "bgtz $s0, loop", "done: li $v0, 10", "syscall"]
    return "\n".join(body) + "\n"


def bits_text(kind, words):
    """A line of read_program's output as the result's bits in hex."""
    w = [int(x) & 0xFFFFFFFF for x in words.split()]
    return "%08x" % w[0] if kind == "f" else "%08x%08x" % (w[0], w[1])
