#!/usr/bin/env bash
# asm_fp.sh -- coprocessor 1 in babyasm, end to end:
#  1. tests/asm/fp.s names every FP mnemonic of include/isa.h, and its
#     listing is exactly tests/asm/fp.expected;
#  2. every one-word FP machine statement of fp.s assembles to the word
#     mipsel-linux-gnu-as gives for the same text (condition codes written
#     $fccN for GNU as): the parser, not just the encoder, against GNU as;
#  3. SPIM's own FPU test, Tests/tt.fpu.bare.s from SPIM's source tree, when
#     SPIM_FPU_TEST names it: every line assembles, the image round-trips
#     through babyasm -d, and (with spim and script installed) its words are
#     the ones `spim -bare` assembles, but for cvt.d.w, which SPIM 8.0
#     encodes with fmt D (GNU as and MARS: fmt W).
# Parts 2 and 3 are skipped, with a note, when their tools or file are absent.
set -u
cd "$TOP"
t=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$t"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# 1. listing, and every FP mnemonic present
"$BABYASM" -l tests/asm/fp.s -o "$t/fp.bin" > "$t/fp.lst" 2> "$t/err" || { echo "babyasm failed:"; cat "$t/err"; exit 1; }
[ -s "$t/err" ] && bad "unexpected diagnostics: $(head -3 "$t/err")"
diff -u tests/asm/fp.expected "$t/fp.lst" > "$t/diff" || bad "listing differs from tests/asm/fp.expected:
$(head -20 "$t/diff")"
# (SPIM's cfc0/ctc0 share the control-move format but are coprocessor 0's)
fpops=$(grep -oE 'X\([A-Z_0-9]+, *"[^"]+", *0x[0-9a-f]+, *F_(FD_|CC_|RT_FS|RT_FCR|FT_MEM|RD_RS_CC)' include/isa.h |
    sed -E 's/^X\([A-Z_0-9]+, *"([^"]+)".*/\1/' | grep -vx 'c[ft]c0')
nops=$(echo "$fpops" | wc -l)
[ "$nops" -ge 80 ] || bad "only $nops FP ops found in include/isa.h"
for m in $fpops; do
    grep -qE "^[a-z_]*:?[[:space:]]+$m[[:space:]]" tests/asm/fp.s || bad "tests/asm/fp.s does not use '$m'"
done

# 2. the one-word machine statements against GNU as
if command -v mipsel-linux-gnu-as >/dev/null && command -v mipsel-linux-gnu-objcopy >/dev/null; then
    # listing lines: "addr  word  source"; a statement's extra words have no source
    awk 'function flush() { if (src != "" && n == 1) print w "\t" src; src = ""; n = 0 }
         /^0x[0-9a-f]+  0x[0-9a-f]+/ {
             s = substr($0, 25)
             if (s == "") { n++; next }
             flush(); w = substr($0, 13, 10); src = s; n = 1
             sub(/^[A-Za-z_.0-9]+:[ \t]*/, "", src); next }
         { flush() }
         END { flush() }' "$t/fp.lst" > "$t/all.txt"
    # FP machine mnemonics only; no branches (targets need labels), no
    # "mtc1 $t1 $0" (SPIM's $N form: GNU as reads $0 as a general register)
    grep -E $'\t[[:space:]]*(('"$(echo "$fpops" | grep -v '^bc1' | sed 's/\./\\./g' | paste -sd'|')"')[[:space:]])' "$t/all.txt" |
        grep -v 'mtc1 \$t1 \$0' > "$t/one.txt"
    n=$(wc -l < "$t/one.txt")
    [ "$n" -ge 70 ] || bad "only $n one-word FP statements to compare"
    {
        echo '.set noreorder'
        echo '.set noat'
        echo '.text'
        cut -f2 "$t/one.txt" | sed -E -e 's/^[[:space:]]+//' \
            -e 's/^(c\.[a-z]+\.[sd]) ([0-7]),/\1 $fcc\2,/' -e 's/^(mov[ft](\.[sd])? .*, )([0-7])$/\1$fcc\3/'
    } > "$t/g.s"
    if mipsel-linux-gnu-as -mips32 -EL "$t/g.s" -o "$t/g.o" 2> "$t/as.err"; then
        mipsel-linux-gnu-objcopy -O binary -j .text "$t/g.o" "$t/g.bin"
        # (GNU as pads the section to 16 bytes)
        od -An -tx4 -v -w4 "$t/g.bin" | tr -d ' ' | sed 's/^/0x/' | head -n "$n" > "$t/gnu.txt"
        cut -f1 "$t/one.txt" > "$t/ours.txt"
        if ! cmp -s "$t/ours.txt" "$t/gnu.txt"; then
            bad "words differ from GNU as (ours, GNU, text):
$(paste "$t/ours.txt" "$t/gnu.txt" <(cut -f2 "$t/one.txt") | awk '$1 != $2' | head -10)"
        fi
    else
        bad "GNU as refused fp.s's statements: $(head -5 "$t/as.err")"
    fi
    # the branches, with labels on both sides (same offsets from the branch)
    printf '%s\n' 'back:	bc1t back' '	bc1f 1, back' '	bc1tl 2, fwd' '	bc1fl 7, fwd' \
        '	bc1t fwd' '	bc1f back' 'fwd:	nop' > "$t/br.s"
    { echo '.set noreorder'; echo '.text'; sed -E 's/(bc1[tf]l?) ([0-7]),/\1 $fcc\2,/' "$t/br.s"; } > "$t/gbr.s"
    if "$BABYASM" -l "$t/br.s" -o "$t/br.bin" > "$t/br.lst" 2> "$t/err" &&
        mipsel-linux-gnu-as -mips32 -EL "$t/gbr.s" -o "$t/gbr.o" 2> "$t/as.err"; then
        mipsel-linux-gnu-objcopy -O binary -j .text "$t/gbr.o" "$t/gbr.bin"
        od -An -tx4 -v -w4 "$t/gbr.bin" | tr -d ' ' | head -n 7 > "$t/gnu_br.txt"
        awk '/^0x[0-9a-f]+  0x[0-9a-f]+/ { print substr($0, 15, 8) }' "$t/br.lst" > "$t/ours_br.txt"
        cmp -s "$t/ours_br.txt" "$t/gnu_br.txt" ||
            bad "bc1t/bc1f words differ from GNU as: $(paste "$t/ours_br.txt" "$t/gnu_br.txt" "$t/br.s" | head -7)"
    else
        bad "the bc1t/bc1f snippet did not assemble: $(cat "$t/err" "$t/as.err" | head -5)"
    fi
else
    echo "note: mipsel-linux-gnu-as not installed: GNU as comparison skipped"
fi

# 3. SPIM's tt.fpu.bare.s
if [ -n "${SPIM_FPU_TEST:-}" ] && [ -f "$SPIM_FPU_TEST" ]; then
    f=$SPIM_FPU_TEST
    if ! "$BABYASM" -l "$f" -o "$t/tt.bin" > "$t/tt.lst" 2> "$t/err"; then
        bad "$f does not assemble: $(head -5 "$t/err")"
    else
        "$BABYASM" -d "$t/tt.bin" > "$t/d.s" && "$BABYASM" "$t/d.s" -o "$t/tt2.bin" 2> "$t/err" &&
            cmp -s "$t/tt.bin" "$t/tt2.bin" || bad "$f: the disassembly does not give the same image"
        if command -v spim >/dev/null && command -v script >/dev/null; then
            # spim answers its interactive commands only on a terminal
            (printf 'read "%s"\n' "$(readlink -f "$f")"; sleep 1; printf 'dumpnative "%s"\n' "$t/spim.bin"
             sleep 1; printf 'quit\n') | timeout 20 script -qc "spim -bare -noexception" /dev/null > /dev/null 2>&1
            if [ -s "$t/spim.bin" ]; then
                od -An -tx4 -w4 -v "$t/spim.bin" | tr -d ' ' > "$t/spim.txt"
                awk '/^0x[0-9a-f]+  0x[0-9a-f]+/ { print substr($0, 15, 8) "\t" substr($0, 25) }' "$t/tt.lst" > "$t/ours.txt"
                paste "$t/spim.txt" "$t/ours.txt" | awk -F'\t' '$1 != $2' > "$t/tt.diff"
                # the only difference allowed: cvt.d.w (SPIM 462000a1, GNU as 468000a1)
                awk -F'\t' '!($3 ~ /cvt\.d\.w/ && substr($1, 1, 3) == "462" && substr($2, 1, 3) == "468" &&
                              substr($1, 4) == substr($2, 4))' "$t/tt.diff" > "$t/tt.bad"
                [ -s "$t/tt.bad" ] && bad "$f: words differ from spim -bare (spim, ours, source): $(head -5 "$t/tt.bad")"
                [ "$(wc -l < "$t/spim.txt")" -eq "$(wc -l < "$t/ours.txt")" ] ||
                    bad "$f: spim assembled $(wc -l < "$t/spim.txt") words, babyasm $(wc -l < "$t/ours.txt")"
                echo "$f: $(wc -l < "$t/ours.txt") words as spim -bare assembles them ($(wc -l < "$t/tt.diff") cvt.d.w differ)"
            else
                echo "note: spim wrote no dump of $f: word comparison skipped"
            fi
        fi
    fi
else
    echo "note: SPIM_FPU_TEST does not name SPIM's Tests/tt.fpu.bare.s: that part skipped"
fi

[ "$fail" -eq 0 ] || exit 1
echo "summary: $nops FP mnemonics in fp.s, listing as expected${n:+, $n statements as GNU as encodes them}"
