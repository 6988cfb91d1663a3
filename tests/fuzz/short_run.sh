#!/usr/bin/env bash
# short_run.sh TARGET MAXLEN [make-corpus-command...]: the short libFuzzer
# run that `make check` does for tests/fuzz/TARGET.c.  Exits 77 (skip) when
# clang has no libFuzzer.  The corpus folder is $CORPUS, created here and
# filled by the optional command (run with CORPUS and FUZZER set).  Any
# crash, leak, timeout or sanitizer report fails, and the reproducer is
# printed in base64.  FUZZ_SECONDS (default 10) sets the length of the run;
# `make fuzz` builds the targets for longer runs.
set -u
target=$1 maxlen=$2
shift 2
cd "$TOP"
command -v clang >/dev/null || { echo "clang not installed"; exit 77; }
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }\n' > "$probe/p.c"
clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>/dev/null || { echo "clang has no libFuzzer"; exit 77; }

make -s "build/fuzz/$target" || exit 1
export FUZZER="$TOP/build/fuzz/$target" CORPUS="$probe/corpus"
mkdir -p "$CORPUS"
if [ $# -gt 0 ]; then
    "$@" || { echo "could not make the corpus"; exit 1; }
fi
echo "corpus: $(ls "$CORPUS" | wc -l) files"
"$FUZZER" -max_total_time="${FUZZ_SECONDS:-10}" -max_len="$maxlen" -print_final_stats=1 \
    -artifact_prefix="$probe/" "$CORPUS" > "$probe/log" 2>&1
rc=$?
grep -E 'stat::number_of_executed_units|DONE|ERROR|SUMMARY' "$probe/log" | tail -5
if [ $rc -ne 0 ]; then
    tail -n 40 "$probe/log"
    for a in "$probe"/crash-* "$probe"/leak-* "$probe"/timeout-* "$probe"/oom-*; do
        [ -e "$a" ] && { echo "reproducer (base64):"; base64 "$a" | head -40; }
    done
    exit 1
fi
