#!/usr/bin/env bash
# A file with several errors: babyasm reports all of them (exact text in
# tests/asm/errors.expected: location, source line, caret), exits 1 and
# writes no image, not even over an existing one.
set -u
cd "$TOP"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$BABYASM" tests/asm/errors.s -o "$t/e.bin" > "$t/out" 2> "$t/err"
rc=$?
[ $rc -eq 1 ] || { echo "exit status $rc, expected 1"; exit 1; }
diff -u tests/asm/errors.expected "$t/err" || { echo "diagnostics differ"; exit 1; }
[ -s "$t/out" ] && { echo "unexpected stdout"; exit 1; }
[ -e "$t/e.bin" ] && { echo "an image was written despite errors"; exit 1; }
# default output name, and an old image stays untouched on error
cp tests/asm/errors.s "$t/prog.s"
echo keep > "$t/prog.bin"
"$BABYASM" "$t/prog.s" 2>/dev/null && { echo "errors.s assembled?"; exit 1; }
[ "$(cat "$t/prog.bin")" = keep ] || { echo "old image replaced on error"; exit 1; }
exit 0
