#!/usr/bin/env bash
# fpfmt_java.sh: common/fpfmt.c's MARS style (bh_fpfmt.h) against Java
# itself on a random sample (tests/fpfmt/sample.py, fixed seed): FPFMT_N
# floats and FPFMT_N doubles (default 100000 each, every power of two
# included) through Float.toString / Double.toString, and FPFMT_N lines
# through Float.parseFloat / Double.parseDouble of the trimmed line, as
# MARS 4.5 calls them (tests/fpfmt/JavaFmt.java).  The text must match
# byte for byte, the bits exactly, and a refusal must be a refusal.
# Needs a JDK 19 or later (JAVA_HOME, java on PATH, or /usr/lib/jvm/*):
# earlier ones print some floats with a digit more (JDK-4511638).  Exit 77
# when there is none: CI has no Java; tests/check_fpfmt.c then still
# compares the edge values with the recorded MARS outputs.
set -u
cd "$TOP"
jdk=""
for j in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null)" /usr/lib/jvm/*/bin/java; do
    [ -x "$j" ] && [ -x "$(dirname "$j")/javac" ] || continue
    v=$("$j" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
    if [ -n "$v" ] && [ "$v" -ge 19 ]; then jdk=$(dirname "$j"); break; fi
done
if [ -z "$jdk" ]; then
    echo "skipped: no JDK 19 or later (java and javac) found"
    exit 77
fi
cli="$TOP/${BUILD:-build}/fpfmt_cli"
[ -x "$cli" ] || make -s "${BUILD:-build}/fpfmt_cli" || exit 1
n=${FPFMT_N:-100000} seed=${FPFMT_SEED:-19}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$jdk/javac" -d "$tmp" tests/fpfmt/JavaFmt.java || exit 1
echo "java: $("$jdk/java" -version 2>&1 | head -1)"

python3 tests/fpfmt/sample.py values "$n" "$seed" | sed 's/^\([fd]\) /\1m /' >"$tmp/print.req"
python3 tests/fpfmt/sample.py texts "$n" "$seed" >"$tmp/texts"
{ sed 's/^/rfm /' "$tmp/texts"; sed 's/^/rdm /' "$tmp/texts"; } >"$tmp/read.req"
fail=0
for t in print read; do
    "$jdk/java" -cp "$tmp" JavaFmt <"$tmp/$t.req" >"$tmp/$t.java" || exit 1
    "$cli" <"$tmp/$t.req" >"$tmp/$t.ours" || exit 1
    total=$(wc -l <"$tmp/$t.req")
    bad=$(paste -d '\n' "$tmp/$t.java" "$tmp/$t.ours" | paste - - -d '\t' | awk -F'\t' '$1 "" != $2 ""' | wc -l)
    echo "$t: $((total - bad)) of $total agree with Java"
    if [ "$(wc -l <"$tmp/$t.java")" -ne "$total" ] || [ "$bad" -ne 0 ]; then
        echo "$t: first differences (request, Java, ours):"
        paste "$tmp/$t.req" "$tmp/$t.java" "$tmp/$t.ours" | awk -F'\t' '$(NF-1) "" != $NF ""' | head -5 | cat -A
        fail=1
    fi
done
[ $fail = 0 ] || exit 1
refused=$(grep -c '^error$' "$tmp/read.java")
echo "summary: Java $("$jdk/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1) agrees on $((2 * n)) printed values and $((2 * n)) reads ($refused refused) (seed $seed)"
