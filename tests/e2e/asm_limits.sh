#!/usr/bin/env bash
# The assembler's budget (issue 12), on the real babyasm: inputs that once
# ran for hours and grew past 5 GB (a macro calling itself twice, a file
# including itself twice, .include of /dev/zero, of a FIFO, a folder, .space
# past 16 MiB) each stop within seconds with exit status 1, one error and
# no image.  `timeout` turns a regression into a failure, not a hang; the
# memory limit keeps one from filling the machine meanwhile.
set -u
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cd "$t"
fail() { echo "$*"; exit 1; }

# The memory limit (2 GB of address space) cannot apply to a build under
# AddressSanitizer, which reserves terabytes of shadow address space at
# start: there ASan's own allocator limit and the timeout guard instead.
vlimit=2000000
if ldd "$BABYASM" 2>/dev/null | grep -q libasan; then vlimit=unlimited; fi

# must_fail NAME TEXT: babyasm NAME.s fails in time with one error saying TEXT.
must_fail() {
    (ulimit -v "$vlimit"; timeout 60 "$BABYASM" "$1.s" -o "$1.bin") > out 2> err
    rc=$?
    [ $rc -ne 124 ] || fail "$1.s: babyasm still running after 60 s"
    [ $rc -eq 1 ] || { cat err | head -20; fail "$1.s: exit status $rc, expected 1"; }
    grep -qF -- "$2" err || { head -20 err; fail "$1.s: no '$2'"; }
    n=$(grep -c ': error: ' err)
    [ "$n" -eq 1 ] || { head -20 err; fail "$1.s: $n errors, expected one"; }
    [ -e "$1.bin" ] && fail "$1.s: an image was written"
    return 0
}

printf '.macro f(%%a)\n\tf(%%a)\n\tf(%%a)\n.end_macro\nmain:\n\tf(1)\n' > fan.s
must_fail fan "fan.s:6:2: error: macro 'f' expands more than 32 levels deep (recursive?)"
grep -qF "note: in macro 'f' (32 levels deep) called at fan.s:6" err || fail "fan.s: no chain"

printf '.include "self.s"\n.include "self.s"\n' > self.s
must_fail self "self.s:1:1: error: .include nested more than 32 deep"

printf 'main: nop\n.include "/dev/zero"\n' > zero.s
must_fail zero "zero.s:2:10: error: cannot include: /dev/zero: is not a regular file"

mkfifo fifo
printf 'main: nop\n.include "fifo"\n' > fifo.s
must_fail fifo "fifo.s:2:10: error: cannot include: fifo: is not a regular file"

mkdir dir
printf 'main: nop\n.include "dir"\n' > dir.s
must_fail dir "dir.s:2:10: error: cannot include: dir: is a folder, not a file"

printf 'main: nop\n.data\n.space 0x1000000\n' > space.s
must_fail space "space.s:3:1: error: output budget exceeded"

# Real programs stay well inside: 16 MiB exactly still assembles.
printf 'main: nop\n.data\n.space %d\n' $(((16 << 20) - 40)) > full.s
timeout 60 "$BABYASM" full.s -o full.bin || fail "full.s: 16 MiB of output refused"
exit 0
