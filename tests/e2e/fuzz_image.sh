#!/usr/bin/env bash
# A short libFuzzer run of the image reader (tests/fuzz/fuzz_image.c): read,
# query, write back, read back.  Seeds: the target's own small image and the
# images babyasm makes of tests/spim/ and samples/.
seeds() {
    BH_FUZZ_WRITE_SEED="$CORPUS/seed.bin" "$FUZZER" || return 1
    bash "$TOP/tests/fuzz/images_corpus.sh"
}
export -f seeds
exec bash "$TOP/tests/fuzz/short_run.sh" fuzz_image 8192 bash -c seeds
