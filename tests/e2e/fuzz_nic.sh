#!/usr/bin/env bash
# A short libFuzzer run of the network card (tests/fuzz/fuzz_nic.c): its
# descriptor handling driven by random register accesses, frames of any
# length on the wire and polls, against a guarded guest memory; and the
# NIC section's reader.  Seeds: a small driver's accesses and a NIC body.
seeds() { BH_FUZZ_WRITE_SEED="$CORPUS" "$FUZZER"; }
export -f seeds
exec bash "$TOP/tests/fuzz/short_run.sh" fuzz_nic 4096 bash -c seeds
