#!/usr/bin/env bash
# A short libFuzzer run of QMP's dispatcher and the human monitor's
# interpreter (tests/fuzz/fuzz_qmp.c): lines of QMP against a paused VM.
# Seeds: a session with every command and every monitor command.
seeds() { BH_FUZZ_WRITE_SEED="$CORPUS" "$FUZZER"; }
export -f seeds
exec bash "$TOP/tests/fuzz/short_run.sh" fuzz_qmp 4096 bash -c seeds
