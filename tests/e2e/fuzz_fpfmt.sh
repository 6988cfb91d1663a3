#!/usr/bin/env bash
# A short libFuzzer run of the float text of syscalls 2, 3, 6, 7
# (tests/fuzz/fuzz_fpfmt.c): any line read in SPIM and MARS style, every
# value formatted and read back.  Seeds: the lines of tests/fpfmt/inputs.txt.
seeds() {
    BH_FUZZ_WRITE_SEED="$CORPUS" "$FUZZER"
}
export -f seeds
exec bash "$TOP/tests/fuzz/short_run.sh" fuzz_fpfmt 512 bash -c seeds
