#!/usr/bin/env bash
# A short libFuzzer run of the rtc and the interval timer
# (tests/fuzz/fuzz_clock.c): random register accesses at random virtual
# times, then a random state body.  Nothing may crash or break the
# device's invariants.
exec bash "$TOP/tests/fuzz/short_run.sh" fuzz_clock 4096
