#!/usr/bin/env bash
# babyasm's command line: -h, --version, default output name, -o, bad
# options and missing files.
set -u
cd "$TOP"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "$*"; exit 1; }
"$BABYASM" -h | grep -q "usage: babyasm" || fail "-h prints no usage"
"$BABYASM" --version | grep -Eq "^babyasm [0-9]" || fail "--version"
printf 'main:\n\tli $v0, 10\n\tsyscall\n' > "$t/p.s"
"$BABYASM" "$t/p.s" || fail "assembling p.s failed"
[ -s "$t/p.bin" ] || fail "default output p.bin not written"
"$BABYASM" "$t/p.s" -o "$t/other.img" || fail "-o failed"
cmp -s "$t/p.bin" "$t/other.img" || fail "-o wrote a different image"
"$BABYASM" "$t/missing.s" 2> "$t/err"; rc=$?
[ $rc -eq 1 ] || fail "missing file: exit $rc"
grep -q "missing.s" "$t/err" || fail "missing file: message does not name it"
"$BABYASM" --bogus 2>/dev/null; [ $? -eq 2 ] || fail "unknown option should exit 2"
"$BABYASM" -d "$t/p.s" 2> "$t/err"; [ $? -eq 1 ] || fail "-d on a text file should fail"
[ -s "$t/err" ] || fail "-d on a text file: no message"
# CRLF and bytes of any value in comments assemble like the LF file
printf 'main:\r\n\tli $v0, 10 # caf\xc3\xa9 \xff\r\n\tsyscall\r\n' > "$t/crlf.s"
"$BABYASM" "$t/crlf.s" -o "$t/crlf.bin" || fail "CRLF file failed"
"$BABYASM" -d "$t/crlf.bin" | grep -q "syscall" || fail "disassembly lacks syscall"
exit 0
