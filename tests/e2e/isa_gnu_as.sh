#!/usr/bin/env bash
# Cross-check of our encoder and disassembler against GNU as: every op GNU as
# also knows (no branches, jumps, break or hypercalls), 20 random operand sets
# each; our disassembly is assembled by mipsel-linux-gnu-as and must give
# exactly the words isa_encode gave.
set -eu
cd "$TOP"
AS=mipsel-linux-gnu-as
OBJCOPY=mipsel-linux-gnu-objcopy
command -v $AS >/dev/null && command -v $OBJCOPY >/dev/null || { echo "$AS not installed"; exit 77; }
gen="$TOP/${BUILD:-build}/gen_isadoc"
[ -x "$gen" ] || make -s "${BUILD:-build}/gen_isadoc"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$gen" --samples 20 > "$dir/samples.txt"
{
    echo '.set noreorder'   # no delay-slot nops
    echo '.set noat'
    echo '.text'
    # GNU as turns two-operand div/divu into a macro with a zero check;
    # the explicit $zero destination asks for the bare instruction.
    # Condition codes: SPIM and MARS write a plain number, GNU as $fccN
    # (c.cond.fmt's first operand, movf/movt's last).
    cut -f2 "$dir/samples.txt" | sed -E -e 's/^(divu?) /\1 $zero, /' \
        -e 's/^(c\.[a-z]+\.[sd]) ([0-7]),/\1 $fcc\2,/' -e 's/^(mov[ft](\.[sd])? .*, )([0-7])$/\1$fcc\3/'
} > "$dir/s.s"
# -mno-fix-loongson3-llsc: Debian's default puts a sync before every ll.
# 2>: GNU as warns of odd registers in double-precision operands (and
# still encodes them): the samples are random registers.
$AS -mips32 -EL -mno-fix-loongson3-llsc "$dir/s.s" -o "$dir/s.o" 2> "$dir/as.err" ||
    { cat "$dir/as.err"; exit 1; }
$OBJCOPY -O binary -j .text "$dir/s.o" "$dir/s.bin"
od -An -tx4 -v -w4 "$dir/s.bin" | tr -d ' ' > "$dir/gnu.txt"
cut -f1 "$dir/samples.txt" > "$dir/ours.txt"
n=$(wc -l < "$dir/ours.txt")
[ "$n" -gt 1000 ] || { echo "only $n samples"; exit 1; }
if ! cmp -s "$dir/ours.txt" "$dir/gnu.txt"; then
    echo "encodings differ from GNU as (ours, GNU, text):"
    paste "$dir/ours.txt" "$dir/gnu.txt" <(cut -f2 "$dir/samples.txt") | awk '$1 != $2' | head -20
    exit 1
fi
echo "$n instructions encode as GNU as encodes them"
