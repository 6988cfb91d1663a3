#!/usr/bin/env bash
# A short libFuzzer run of the receiver of a link between two myvmm
# processes (tests/fuzz/fuzz_netlink.c): a hostile peer's bytes through
# the link decoder.  Seeds: a good stream of three frames, and a hello for
# another LAN.
seeds() { BH_FUZZ_WRITE_SEED="$CORPUS" "$FUZZER"; }
export -f seeds
exec bash "$TOP/tests/fuzz/short_run.sh" fuzz_netlink 4096 bash -c seeds
