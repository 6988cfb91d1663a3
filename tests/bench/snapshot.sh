#!/usr/bin/env bash
# tests/bench/snapshot.sh -- snapshot write/restore time and file size.
#  - in-process (tests/bench/snapshot_bench.c, linked with the VM objects):
#    a VM with SNAP_MIB (default 64) MiB of touched memory, saved (serialize,
#    write, fsync, rename) and restored (map, verify every CRC32C, map the
#    raw pages copy-on-write / decompress zstd ones) into a fresh VM, raw and
#    zstd; then one store into every restored page ("1st store": a mapped
#    page is copied then); median of SNAP_RUNS (default 5); and the file
#    size for 1 MiB touched (must be under 1.1 MiB raw).
#  - end to end: `myvmm -s snap.bin` (load, restore, run the 2 instructions
#    left, exit, free) against `myvmm -v` of the same 2-instruction program.
# Run from the top of the tree after `make` (make bench does).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
MYVMM=$PWD/$BUILD/myvmm
mib=${SNAP_MIB:-64}
runs=${SNAP_RUNS:-5}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/snapbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

objs=$(for f in vm/*/*.c common/*.c; do case $f in *_main.c) ;; *) echo "$BUILD/${f%.c}.o";; esac; done)
zlib="$(pkg-config --libs libzstd 2>/dev/null) -lcrypto" # zstd when there; libcrypto: migration authentication
zdef=$(pkg-config --exists libzstd 2>/dev/null && echo -DBH_HAVE_ZSTD)
${CC:-cc} -std=c11 -O2 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $zdef -Iinclude -Ivm $(for l in vm/*/; do printf -- "-I%s " "${l%/}"; done)-Icommon \
    tests/bench/snapshot_bench.c $objs -o "$tmp/snapshot_bench" $zlib -lpthread -lm ||
    { echo "snapshot bench: build failed (run make first)"; exit 1; }

echo "== snapshots ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, ${TMPDIR:-/tmp} on $(df -T "$tmp" | awk 'NR==2 {print $2}'))"
"$tmp/snapshot_bench" "$tmp" "$mib" "$runs" | tee "$tmp/out" || exit 1
size1=$(awk '$2 == 1 && $4 == "raw" {print $(NF-1)}' "$tmp/out")
awk -v s="$size1" 'BEGIN { exit !(s < 1.1) }' &&
    echo "1 MiB touched -> $size1 MiB file (limit 1.1): ok" ||
    echo "1 MiB touched -> $size1 MiB file: OVER the 1.1 MiB limit"

if [ -x "$MYVMM" ] && [ -s "$tmp/bench_raw.bin" ]; then
    mem=$(( mib * 2 ))M
    printf 'main:\tli $v0, 10\n\tsyscall\n' >"$tmp/two.s"
    if command -v hyperfine >/dev/null; then
        hyperfine -N -w 2 -r 10 --export-markdown "$tmp/hf.md" \
            "$MYVMM --memory $mem -s $tmp/bench_raw.bin" "$MYVMM -v $tmp/two.s" >/dev/null 2>&1
        sed -n '3,$p' "$tmp/hf.md" | awk -F'|' -v m="$mib" \
            'NR==1 {printf "end to end: myvmm -s (%s MiB snapshot): %s ms\n", m, $3} NR==2 {printf "end to end: myvmm -v (same program, no snapshot): %s ms\n", $3}'
    else
        t0=$(date +%s%N); for _ in 1 2 3 4 5; do "$MYVMM" --memory $mem -s "$tmp/bench_raw.bin"; done; t1=$(date +%s%N)
        echo "end to end: myvmm -s ($mib MiB snapshot): $(( (t1 - t0) / 5000000 )) ms (mean of 5)"
    fi
fi
