#!/usr/bin/env bash
# dialect.sh -- where SPIM and MARS differ (read_char, read_string's cut,
# read_int on bad input, the heap base), a program runs the way its own
# file names its simulator: a .asm source as MARS, anything else as SPIM;
# --dialect and vm_dialect override; babyasm records the dialect in the
# image.  Oracles: tests/dialect/*.mars.expected were recorded from MARS
# 4.5 (`java -cp MARS Mars nc me P.asm < P.in`; tests/dialect/README.md),
# and spim itself runs live for the SPIM side.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
BABYASM=${BABYASM:-$TOP/build/babyasm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
command -v spim >/dev/null || { echo "skipped: spim is not installed"; exit 77; }
D=$TOP/tests/dialect
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
n=0
for f in "$D"/*.asm; do
    p=$(basename "$f" .asm)
    cp "$f" "$p.asm"
    cp "$f" "$p.s"
    cp "$D/$p.in" in
    # MARS's way: the .asm file by default, or --dialect mars
    "$MYVMM" -v "$p.asm" <in >out 2>/dev/null
    cmp -s out "$D/$p.mars.expected" || bad "$p.asm: not MARS's output: $(diff "$D/$p.mars.expected" out | head -4)"
    "$MYVMM" --dialect mars -v "$p.s" <in >out 2>/dev/null
    cmp -s out "$D/$p.mars.expected" || bad "$p.s --dialect mars: not MARS's output"
    # SPIM's way: the .s file by default, or --dialect spim; spim itself decides
    spim -file "$p.s" <in 2>/dev/null | tail -n +6 >want
    "$MYVMM" -v "$p.s" <in >out 2>/dev/null
    cmp -s out want || bad "$p.s: not spim's output: $(diff want out | head -4)"
    "$MYVMM" --dialect spim -v "$p.asm" <in >out 2>/dev/null
    cmp -s out want || bad "$p.asm --dialect spim: not spim's output"
    cmp -s want "$D/$p.mars.expected" && bad "$p: spim and MARS agree: the program shows no difference"
    n=$((n + 1))
done
# vm_dialect in a config, and the image records the dialect
cp "$D/reads.asm" r.s
printf 'vm_binary=r.s\nvm_dialect=mars\n' >m.cfg
"$MYVMM" -v m.cfg <"$D/reads.in" >out 2>/dev/null
cmp -s out "$D/reads.mars.expected" || bad "vm_dialect=mars: not MARS's output"
printf 'vm_binary=r.s\nvm_dialect=java\n' >x.cfg
"$MYVMM" -v x.cfg </dev/null >out 2>err && bad "vm_dialect=java accepted"
grep -q "vm_dialect must be spim or mars, not 'java'" err || bad "vm_dialect=java: $(cat err)"
"$BABYASM" --dialect mars r.s -o r.bin || bad "babyasm --dialect mars failed"
"$MYVMM" -v r.bin <"$D/reads.in" >out 2>/dev/null
cmp -s out "$D/reads.mars.expected" || bad "an image assembled with --dialect mars does not run as MARS"
"$BABYASM" -d r.bin | grep -q "babyasm --dialect mars" || bad "babyasm -d does not say the image is MARS's"
"$MYVMM" --dialect spim -v r.bin <"$D/reads.in" >out 2>/dev/null
spim -file r.s <"$D/reads.in" 2>/dev/null | tail -n +6 | cmp -s - out || bad "--dialect spim does not override the image"
"$MYVMM" --dialect java -v r.s </dev/null >out 2>err
[ $? = 2 ] && grep -q -- "--dialect takes spim or mars, not 'java'" err || bad "--dialect java: $(cat err)"
[ $fail -eq 0 ] && echo "dialect: ok ($n programs, both ways, against MARS's recorded output and spim)"
exit $fail
