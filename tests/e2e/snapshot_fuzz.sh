#!/usr/bin/env bash
# A short libFuzzer run of the snapshot loader (tests/fuzz/fuzz_snapshot.c):
# any crash, leak, sanitizer report or broken save/load round trip fails.
# Seeds are made at test time by the target itself (a raw and a zstd
# version-1 snapshot of its built-in program, and a version-0 file), plus
# the snapshots myvmm writes for samples/ when myvmm works.
# FUZZ_SECONDS (default 10) sets the length of the run.
set -u
cd "$TOP"
command -v clang >/dev/null || { echo "clang not installed"; exit 77; }
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }\n' > "$probe/p.c"
clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>/dev/null || { echo "clang has no libFuzzer"; exit 77; }

make -s build/fuzz/fuzz_snapshot || exit 1
fuzzer="$TOP/build/fuzz/fuzz_snapshot"
corpus="$probe/corpus"
mkdir -p "$corpus"
BH_FUZZ_WRITE_SEED="$corpus" "$fuzzer" >/dev/null 2>&1 || { echo "could not write the seeds"; exit 1; }
ls "$corpus"/seed_v1_raw.bin "$corpus"/seed_v0.bin >/dev/null || exit 1
"$fuzzer" -max_total_time="${FUZZ_SECONDS:-10}" -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$probe/" "$corpus" > "$probe/log" 2>&1
rc=$?
grep -E 'stat::number_of_executed_units|DONE|ERROR|SUMMARY' "$probe/log" | tail -5
if [ $rc -ne 0 ]; then
    tail -n 40 "$probe/log"
    for a in "$probe"/crash-* "$probe"/leak-* "$probe"/timeout-* "$probe"/oom-*; do
        [ -e "$a" ] && { echo "reproducer (base64):"; base64 "$a" | head -40; }
    done
    exit 1
fi
