#!/usr/bin/env bash
# images_corpus.sh: fill $CORPUS with the images babyasm assembles from the
# programs in tests/spim/ and samples/, and tests/asm/fp.s (every FP
# instruction), for the image and core fuzzers.
set -u
n=0
for src in "$TOP"/tests/spim/*.s "$TOP"/samples/*.s "$TOP"/tests/asm/fp.s; do
    out="$CORPUS/$(basename "$src" .s).bin"
    if "$BABYASM" "$src" -o "$out" >/dev/null 2>&1 && [ -s "$out" ]; then
        n=$((n + 1))
    else
        rm -f "$out"
    fi
done
[ "$n" -gt 0 ] || { echo "babyasm assembled no program"; exit 1; }
