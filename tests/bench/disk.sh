#!/usr/bin/env bash
# tests/bench/disk.sh -- the block device: sequential 4 KiB DMA reads from
# a cached 64 MiB image (tests/bench/disk/seqread.s: 131,072 requests, 512
# MiB of guest data), in GB/s of guest data over the VM's own run time
# (`--stats`), against the host reading the same cached file 4 KiB at a
# time (dd bs=4k), side by side.  Target: 1 GB/s of guest data.  Medians
# of DISK_RUNS (default 3).  Run from the top of the tree after `make`.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
MYVMM=$PWD/$BUILD/myvmm
runs=${DISK_RUNS:-3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/diskbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# non-zero contents, cached: written now, read once before timing
head -c 67108864 /dev/urandom >"$tmp/disk.img"
cat "$tmp/disk.img" >/dev/null
bytes=$((67108864 * 8))
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
guest=$(for _ in $(seq "$runs"); do
    "$MYVMM" --stats --disk "$tmp/disk.img" tests/bench/disk/seqread.s 2>&1 >/dev/null |
        sed -n 's/^\[vm1\] [0-9]* instructions in \([0-9.]*\) s.*/\1/p' |
        awk -v b=$bytes '{printf "%.3f\n", b / $1 / 1e9}'
done | median)
host=$(for _ in $(seq "$runs"); do
    s=$(date +%s.%N)
    for _ in 1 2 3 4 5 6 7 8; do dd if="$tmp/disk.img" of=/dev/null bs=4k status=none; done
    awk -v b=$bytes -v s="$s" -v e="$(date +%s.%N)" 'BEGIN {printf "%.3f\n", b / (e - s) / 1e9}'
done | median)
echo "== disk: sequential 4 KiB reads of a cached 64 MiB image, 512 MiB ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores)"
echo "guest DMA reads (myvmm, the VM's run time): $guest GB/s"
echo "host reads (dd bs=4k, same file):           $host GB/s"
awk -v g="$guest" -v h="$host" 'BEGIN {printf "guest / host: %.2f\n", g / h}'
awk -v g="$guest" 'BEGIN { exit !(g >= 1) }' && echo "target 1 GB/s: met" ||
    echo "target 1 GB/s: NOT met"
