#!/usr/bin/env bash
# A short libFuzzer run of the block device (tests/fuzz/fuzz_disk.c): its
# request decoder driven by random register accesses against an image and
# a guarded guest memory, and the DISK section's reader.  Seeds: the
# target's own requests and DISK body.
seeds() { BH_FUZZ_WRITE_SEED="$CORPUS" "$FUZZER"; }
export -f seeds
exec bash "$TOP/tests/fuzz/short_run.sh" fuzz_disk 4096 bash -c seeds
