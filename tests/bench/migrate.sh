#!/usr/bin/env bash
# migrate.sh -- live migration benchmark on loopback (make bench runs it).
#  1. A VM with 64 MiB touched and a 1 MiB writable working set it keeps
#     rewriting: downtime (goal: under 5 ms), total migration time, bytes
#     sent relative to the memory touched.  RUNS runs, each printed.
#  2. A VM dirtying 4 MiB faster than a link limited with --max-bandwidth
#     20M carries it: it still converges (auto-converge, then the dirty
#     rate stops falling); how long it took and why it switched over.
#  3. Case 1 with authentication off and on (--migrate-psk), run after run
#     alternately so both see the same load: the downtime of each and the
#     ratio of the medians (issue 12: within 1.2x).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-build}
MYVMM=${MYVMM:-$TOP/$BUILD/myvmm}
[ -x "$MYVMM" ] || { echo "migrate.sh: $MYVMM not built (run make)" >&2; exit 1; }
. "$TOP/tests/e2e/migrate/lib.sh"
RUNS=${RUNS:-5}
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
guest() { sed "s/TOUCH/$1/; s/WS\$/$2/; s/PASSES/$3/" "$HERE/migrate/ws.s.in" >"$4"; }

# run NAME PROG [source args]: one migration; prints the source summary.
# DKEY (an array) goes to the destination too: the key, when one is used.
DKEY=()
run() {
    local prog=$1
    shift
    start_dest d.out d.err --memory 80M "${DKEY[@]}" || return 1
    "$MYVMM" --memory 80M --migrate "tcp:127.0.0.1:$DPORT" "$@" "$prog" >s.out 2>s.err
    grep -q "summary: handed over" s.err || kill "$DPID" 2>/dev/null
    wait "$DPID"
    grep "summary: handed over" s.err | sed 's/.*summary: handed over to the destination; //' ||
        { echo "no hand-over: $(tail -n 2 s.err)"; return 1; }
    grep -o "paused for [0-9.]* ms" d.err | sed 's/^/    destination: /'
}

echo "### 64 MiB touched, 1 MiB working set, loopback, default --max-downtime 30"
guest 67108864 1048576 3000 ws64.s
for i in $(seq 1 "$RUNS"); do
    run ws64.s --migrate-after 2000000 >r.txt 2>&1
    grep -o "pause: .*" s.err | sed "s/^/    source /" >>r.txt
    sed "s/^/run $i: /" r.txt
    sed -n 's/.*downtime \([0-9.]*\) ms.*/\1/p' r.txt | head -n 1 >>down.txt
    sed -n 's/.*total \([0-9.]*\) ms.*/\1/p' r.txt | head -n 1 >>total.txt
    sed -n 's/.*bytes sent [0-9]* (\([0-9.]*\) x.*/\1/p' r.txt | head -n 1 >>ratio.txt
    d=$(sed -n 's/.*downtime \([0-9.]*\) ms.*/\1/p' r.txt | head -n 1)
    p=$(sed -n 's/.*paused for \([0-9.]*\) ms.*/\1/p' r.txt | head -n 1)
    echo "$p" >>paused.txt
    # the destination's part of the pause can never exceed the source's downtime
    awk -v d="$d" -v p="$p" 'BEGIN {exit !(d != "" && p != "" && p + 0 <= d + 0)}' ||
        echo "run $i: ODD: destination paused for $p ms > source downtime $d ms"
done
# stats FILE WHAT UNIT FORMAT: min, median and max of the numbers in FILE
stats() {
    sort -n "$1" | awk -v w="$2" -v u="$3" -v f="$4" '{a[NR]=$1} END {if (NR) printf "%s: min " f "%s, median " f "%s, max " f "%s (%d runs)\n", w, a[1], u, a[int((NR+1)/2)], u, a[NR], u, NR}'
}
stats down.txt "downtime (goal < 5 ms)" " ms" "%.2f"
stats paused.txt "destination paused for" " ms" "%.2f"
stats total.txt "total migration time" " ms" "%.1f"
stats ratio.txt "bytes sent / memory touched" "" "%.2f"

echo
echo "### 4 MiB rewritten faster than a 20 MB/s link (--max-bandwidth 20M)"
guest 4194304 4194304 20000 hot.s
t0=$(date +%s.%N)
run hot.s --migrate-after 1000000 --max-bandwidth 20M
echo "auto-converge: $(grep -c 'auto-converge: the VM' s.err) throttle steps; $(grep -o 'slowing its slices by [0-9]*%' s.err | tail -n 1)"
grep -q "summary: handed over" s.err && echo "converged: yes, in $(sed -n 's/.*total \([0-9.]*\) ms.*/\1/p' s.err) ms" || echo "converged: NO"
echo
echo "### authentication off and on, alternately (64 MiB touched, 1 MiB working set)"
"$MYVMM" --gen-psk bench.key
: >down-off.txt
: >down-on.txt
: >write-off.txt
: >write-on.txt
for i in $(seq 1 "$RUNS"); do
    for mode in off on; do
        DKEY=()
        [ $mode = on ] && DKEY=(--migrate-psk bench.key)
        run ws64.s --migrate-after 2000000 "${DKEY[@]}" >r.txt 2>&1
        sed -n 's/.*downtime \([0-9.]*\) ms.*/\1/p' r.txt | head -n 1 >>down-$mode.txt
        # the part the tags add to: writing the final set and the state
        sed -n 's/.*pause: \([0-9.]*\) ms to write.*/\1/p' s.err | head -n 1 >>write-$mode.txt
        echo "run $i, authentication $mode: downtime $(tail -n 1 down-$mode.txt) ms," \
            "$(tail -n 1 write-$mode.txt) ms of it to write the final set and the state"
    done
done
DKEY=()
stats down-off.txt "downtime, authentication off" " ms" "%.2f"
stats down-on.txt "downtime, authentication on" " ms" "%.2f"
stats write-off.txt "writing the final set, authentication off" " ms" "%.2f"
stats write-on.txt "writing the final set, authentication on" " ms" "%.2f"
median() { sort -n "$1" | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }
awk -v a="$(median down-off.txt)" -v b="$(median down-on.txt)" \
    'BEGIN {if (a > 0) printf "downtime ratio on/off (medians): %.2f (goal <= 1.2)\n", b / a}'
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
