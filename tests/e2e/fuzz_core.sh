#!/usr/bin/env bash
# A short libFuzzer run of the loader and the core (tests/fuzz/fuzz_core.c):
# mutated images are read, and the ones the reader accepts run as VMs with a
# budget.  Nothing a guest does may crash, leak or trip a sanitizer.
exec bash "$TOP/tests/fuzz/short_run.sh" fuzz_core 16384 bash "$TOP/tests/fuzz/images_corpus.sh"
