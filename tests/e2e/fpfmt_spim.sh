#!/usr/bin/env bash
# fpfmt_spim.sh: common/fpfmt.c's SPIM style (bh_fpfmt.h) against live
# spim 8.0 on a random sample (tests/fpfmt/sample.py, fixed seed): spim
# prints FPFMT_N floats and FPFMT_N doubles with print_float/print_double
# and reads FPFMT_N lines with read_float and with read_double; our
# functions (build/fpfmt_cli) must give the same text and the same bits.
# The edge values are in the Check suite (tests/check_fpfmt.c).
# Exit 77 only when spim is not installed.
set -u
cd "$TOP"
if ! command -v spim >/dev/null 2>&1; then
    echo "skipped: spim is not installed (apt-get install spim)"
    exit 77
fi
cli="$TOP/${BUILD:-build}/fpfmt_cli"
[ -x "$cli" ] || make -s "${BUILD:-build}/fpfmt_cli" || exit 1
n=${FPFMT_N:-20000} seed=${FPFMT_SEED:-14}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py() { python3 -c "import sys; sys.path.insert(0, 'tests/fpfmt'); import progs; $1" "${@:2}"; }
spim_run() { # program, stdin: spim's stdout without its five-line banner
    timeout 120 spim -file "$1" <"$2" 2>"$tmp/spim.err" | head -c 50000000 | tail -n +6
    if [ -s "$tmp/spim.err" ]; then
        echo "spim said on stderr:" >&2
        head -5 "$tmp/spim.err" >&2
    fi
}

# spim's data segment holds a few thousand values: one run per 4000.
python3 tests/fpfmt/sample.py values "$n" "$seed" | split -l 4000 - "$tmp/values."
: >"$tmp/print.req"
: >"$tmp/print.spim"
for chunk in "$tmp"/values.*; do
    py 'v = [l.split() for l in open(sys.argv[1])]
open(sys.argv[2], "w").write(progs.print_program(v))
open(sys.argv[3], "a").write("".join("%ss %s\n" % (k, b) for k, b in progs.print_order(v)))' \
        "$chunk" "$tmp/print.s" "$tmp/print.req"
    spim_run "$tmp/print.s" /dev/null >>"$tmp/print.spim"
done
"$cli" <"$tmp/print.req" >"$tmp/print.ours" || exit 1

python3 tests/fpfmt/sample.py texts "$n" "$seed" >"$tmp/texts"
for k in f d; do
    py 'open(sys.argv[2], "w").write(progs.read_program(sys.argv[1], int(sys.argv[3])))' \
        "$k" "$tmp/read_$k.s" "$n"
    spim_run "$tmp/read_$k.s" "$tmp/texts" |
        py 'sys.stdout.write("".join(progs.bits_text(sys.argv[1], l) + "\n" for l in sys.stdin))' "$k" \
        >"$tmp/read_$k.spim"
    sed "s/^/r${k}s /" "$tmp/texts" | "$cli" >"$tmp/read_$k.ours" || exit 1
done

fail=0
for t in print read_f read_d; do
    total=$(wc -l <"$tmp/$t.ours")
    bad=$(paste -d '\n' "$tmp/$t.spim" "$tmp/$t.ours" | paste - - -d '\t' | awk -F'\t' '$1 "" != $2 ""' | wc -l)
    if [ "$(wc -l <"$tmp/$t.spim")" -ne "$total" ] || [ "$bad" -ne 0 ]; then
        echo "$t: $bad of $total differ from spim (spim gave $(wc -l <"$tmp/$t.spim") lines); first ones:"
        req=$tmp/print.req
        [ "$t" = print ] || req=$tmp/texts
        paste "$req" "$tmp/$t.spim" "$tmp/$t.ours" | awk -F'\t' '$(NF-1) "" != $NF ""' | head -5 | cat -A
        fail=1
    fi
done
[ $fail = 0 ] || exit 1
echo "summary: spim agrees on $((2 * n)) printed values and 2 x $n read lines (seed $seed)"
