#!/usr/bin/env bash
# jit_diff.sh -- differential test of the two tiers (docs/jit.md): every
# program in the tree (tests/spim, tests/faults, samples, the bench
# kernels at a small size) runs interpreted (--no-jit) and with the
# translation tier at threshold 1 (every block translated at its first
# arrival) and at 3, and must agree on: stdout, the exit status, the
# instruction count, the exits by kind and the instruction mix (--stats),
# and the hash of the final registers and memory (--final-hash).  A
# program whose blocks the tier declines (delay slots, the bare machine)
# still must agree; the tier must also have run translated code for the
# integer kernels, so the test cannot pass by never translating.  Then
# four of them at once on two host threads, both ways.
# JIT_DIFF_ONLY=REGEX runs the programs whose names match.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
# (a build without the tier, make JIT=0 or a host other than x86-64,
# accepts --jit and prints no jit line under --stats)
"$MYVMM" --jit --stats -v "$TOP/samples/hello.s" </dev/null 2>&1 | grep -q '^\[vm1\] jit:' ||
    { echo "skipped: myvmm was built without the translation tier (JIT=0)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The programs run in a folder of their own: samples that write files
# (tour/journal.s's snapshot) would otherwise write them into the tree.
mkdir "$tmp/cwd" && cd "$tmp/cwd" || exit 1
fail=0 n=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# What must agree: stdout, status, and the --stats lines without times.
run() { # out-prefix, program, its stdin, then myvmm options
    local out=$1 prog=$2 in=$3
    shift 3
    local flags=() args=()
    [ -f "${prog%.s}.flags" ] && read -r -a flags <"${prog%.s}.flags"
    [ -f "${prog%.s}.args" ] && read -r -a args <"${prog%.s}.args"
    timeout 60 "$MYVMM" "$@" --stats --final-hash --max-instructions 30000000 "${flags[@]}" \
        -v "$prog" "${args[@]}" <"$in" >"$out.out" 2>"$out.err"
    echo "status $?" >>"$out.out"
    # (the scheduler's slices follow the host's time: budget exits vary)
    grep -E '^\[vm1\] ([0-9]+ instructions|exits:|instruction mix:)|final-hash' "$out.err" |
        sed -E 's/ in [0-9.]+ s.*//; s/exits: [0-9]+ budget, /exits: /' >"$out.stats"
}

programs() {
    ls "$TOP"/tests/spim/*.s "$TOP"/tests/faults/*.s "$TOP"/samples/*.s "$TOP"/samples/tour/*.s
    # the kernels under their wrapper, small (as bench_kernels.sh)
    for s in "$TOP"/tests/bench/kernels/*.s; do
        k=$(basename "$s" .s)
        size=$(sed -nE '/# @size/{s/.*\.word[[:space:]]+([0-9]+).*/\1/p;q;}' "$s")
        small=$(((size + 19) / 20))
        sed -E "/# @size/ s/(\.word[[:space:]]+)[0-9]+/\1$small/" "$s" |
            cat "$TOP/tests/bench/main.s.in" - >"$tmp/kernel_$k.s"
        echo "$tmp/kernel_$k.s"
    done
}

for prog in $(programs); do
    name=$(basename "$prog" .s)
    [[ $name =~ ${JIT_DIFF_ONLY:-.} ]] || continue # JIT_DIFF_ONLY=REGEX: some programs
    in=/dev/null
    [ -f "${prog%.s}.in" ] && in=${prog%.s}.in
    n=$((n + 1))
    run "$tmp/interp" "$prog" "$in" --no-jit
    for th in 1 3; do
        run "$tmp/jit$th" "$prog" "$in" --jit --jit-threshold "$th"
        for part in out stats; do
            if ! cmp -s "$tmp/interp.$part" "$tmp/jit$th.$part"; then
                bad "$name: --jit --jit-threshold $th differs from --no-jit ($part):"
                diff "$tmp/interp.$part" "$tmp/jit$th.$part" | head -n 8 | sed 's/^/    /'
            fi
        done
    done
    case $name in
    kernel_fib | kernel_sieve | kernel_matmul | kernel_sort | kernel_crc32 | kernel_xorshift)
        # the tier ran nearly all of an integer kernel: it really was compared
        share=$(sed -nE 's/^\[vm1\] jit:.*\(([0-9]+)\.[0-9]%\)$/\1/p' "$tmp/jit1.err")
        echo "$name: ${share:-0}% of the instructions in translated code"
        [ "${share:-0}" -ge 95 ] || bad "$name: only ${share:-0}% of the instructions ran translated"
        ;;
    esac
done
# Several VMs at once on two host threads (the scheduler's slices end
# translated code at its budget checks): each VM's output, count and
# final state as interpreted.
multi=("$tmp/kernel_fib.s" "$tmp/kernel_sort.s" "$TOP/samples/recursion.s" "$tmp/kernel_crc32.s")
for mode in --no-jit "--jit --jit-threshold 1"; do
    # shellcheck disable=SC2086
    timeout 120 "$MYVMM" $mode -j 2 --stats --final-hash $(printf -- '-v %s ' "${multi[@]}") \
        </dev/null >"$tmp/multi.out" 2>"$tmp/multi.err"
    echo "status $?" >>"$tmp/multi.out"
    { sort "$tmp/multi.out"
      grep -E '^\[vm[0-9]+\] [0-9]+ instructions|final-hash' "$tmp/multi.err" | sed -E 's/ in [0-9.]+ s.*//' | sort
    } >"$tmp/multi.${mode%% *}"
done
cmp -s "$tmp/multi.--no-jit" "$tmp/multi.--jit" ||
    { bad "4 VMs on 2 threads: --jit differs from --no-jit"; diff "$tmp/multi.--no-jit" "$tmp/multi.--jit" | head; }
grep -q final-hash "$tmp/multi.--jit" || bad "4 VMs on 2 threads: no final hash"
# Bad values are refused by name (usage error, status 2).
for bad_opt in "--jit-threshold 0" "--jit-threshold x" "--jit-cache 1K" "--jit-cache 2G" "--jit-cache lots"; do
    # shellcheck disable=SC2086
    "$MYVMM" $bad_opt -v "$TOP/samples/hello.s" </dev/null >/dev/null 2>"$tmp/bad.err"
    rc=$?
    [ "$rc" = 2 ] && grep -q -- "${bad_opt%% *} needs" "$tmp/bad.err" ||
        bad "$bad_opt: status $rc, $(head -n 1 "$tmp/bad.err")"
done
echo "jit_diff: $n programs and 4 VMs at once, $fail failures"
[ "$fail" = 0 ]
