#!/usr/bin/env bash
# A short libFuzzer run of the image reader (tests/fuzz/fuzz_image.c): any
# crash, sanitizer report or broken round trip fails.  The corpus is made at
# test time: the target's own seed image, plus the images babyasm assembles
# from tests/spim/*.s when babyasm works.  FUZZ_SECONDS (default 10) sets
# the length of the run; `make fuzz` builds the target for longer runs.
set -u
cd "$TOP"
command -v clang >/dev/null || { echo "clang not installed"; exit 77; }
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }\n' > "$probe/p.c"
clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>/dev/null || { echo "clang has no libFuzzer"; exit 77; }

make -s build/fuzz/fuzz_image || exit 1
fuzzer="$TOP/build/fuzz/fuzz_image"
corpus="$probe/corpus"
mkdir -p "$corpus"
BH_FUZZ_WRITE_SEED="$corpus/seed.bin" "$fuzzer" || { echo "could not write the seed image"; exit 1; }
assembled=0
if [ -x "${BABYASM:-}" ]; then
    for src in tests/spim/*.s; do
        out="$corpus/$(basename "$src" .s).bin"
        if "$BABYASM" -o "$out" "$src" >/dev/null 2>&1 && [ -s "$out" ]; then
            assembled=$((assembled + 1))
        else
            rm -f "$out"
        fi
    done
fi
echo "corpus: seed image + $assembled images assembled by babyasm"
"$fuzzer" -max_total_time="${FUZZ_SECONDS:-10}" -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="$probe/" "$corpus" > "$probe/log" 2>&1
rc=$?
grep -E 'stat::number_of_executed_units|DONE|ERROR|SUMMARY' "$probe/log" | tail -5
if [ $rc -ne 0 ]; then
    tail -n 40 "$probe/log"
    for a in "$probe"/crash-* "$probe"/leak-* "$probe"/timeout-*; do
        [ -e "$a" ] && { echo "reproducer (base64):"; base64 "$a" | head -20; }
    done
    exit 1
fi
