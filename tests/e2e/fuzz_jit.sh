#!/usr/bin/env bash
# A short libFuzzer run of the translation tier (tests/fuzz/fuzz_jit.c):
# random guest code, interpreted and translated side by side, must be in
# the same state after every slice; nothing may crash, leak or trip a
# sanitizer.  Skipped on a build without the tier (make JIT=0).
[ "$(uname -m)" = x86_64 ] || { echo "skipped: the translation tier is x86-64 only"; exit 77; }
exec bash "$TOP/tests/fuzz/short_run.sh" fuzz_jit 4096
