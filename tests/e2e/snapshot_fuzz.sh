#!/usr/bin/env bash
# A short libFuzzer run of the snapshot loader (tests/fuzz/fuzz_snapshot.c):
# any crash, leak, sanitizer report or broken save/load round trip fails.
# Seeds are made at test time by the target itself (a raw and a zstd
# version-1 snapshot of its built-in program, and a version-0 file), plus
# tests/snapshots/state-v2.snap (a CPU body of version 1, before the FPU).
# FUZZ_SECONDS (default 10) sets the length of the run (tests/fuzz/short_run.sh).
seeds() {
    BH_FUZZ_WRITE_SEED="$CORPUS" "$FUZZER" >/dev/null 2>&1 || return 1
    ls "$CORPUS"/seed_v1_raw.bin "$CORPUS"/seed_v0.bin >/dev/null &&
        cp "$TOP/tests/snapshots/state-v2.snap" "$CORPUS/seed_cpu_v1.bin" # CPU body 1: no FPU
}
export -f seeds
exec bash "$TOP/tests/fuzz/short_run.sh" fuzz_snapshot 16384 bash -c seeds
