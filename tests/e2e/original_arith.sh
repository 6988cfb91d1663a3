#!/usr/bin/env bash
# original_arith.sh -- the original v0.2 tool computed add, sub and addi
# on plain 32-bit integers: they wrap and never trap.  A program in its
# instruction-file form (no labels, no data, only register arithmetic and
# DUMP_PROCESSOR_STATE/SNAPSHOT) keeps that arithmetic:
#  1. a cold run dumps the wrapped values;
#  2. a resume from an original 132-byte snapshot continues with it;
#  3. the original multi-VM command (-v a.cfg -s a_snap.bin -v b.cfg)
#     prints both VMs' dumps;
#  4. a SPIM program still traps on the same overflow (Ov).
# The expected values are computed here with shell arithmetic, not copied
# from a run.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
s32() { local v=$(($1 & 0xffffffff)); [ $v -ge 2147483648 ] && v=$((v - 4294967296)); echo $v; }

big=$((0x70000000))
want15=$(s32 $((big + big)))          # add overflows
want16=$(s32 $((0 - big - big)))      # sub twice, below -2^31
want17=$(s32 $((big + 0x7fff + big))) # addi, then add
cat >a.txt <<'T'
li $13,0x70000000
add $15,$13,$13
sub $16,$0,$13
sub $16,$16,$13
addi $17,$13,0x7fff
add $17,$17,$13
DUMP_PROCESSOR_STATE
T
printf 'vm_binary=a.txt\n' >a.cfg

# 1. cold run
timeout 20 "$MYVMM" -v a.txt </dev/null >out 2>err || bad "cold run: exit $?: $(cat err)"
grep -qx "\$r15=$want15" out || bad "cold run: no \$r15=$want15 in: $(grep r15 out)"
grep -qx "\$r16=$want16" out || bad "cold run: no \$r16=$want16 in: $(grep r16 out)"
grep -qx "\$r17=$want17" out || bad "cold run: no \$r17=$want17 in: $(grep r17 out)"
[ "$(grep -c '^\$r[0-9]*=' out)" = 32 ] || bad "cold run: not 32 register lines"

# 2. an original 132-byte snapshot: 32 little-endian registers ($13 set)
# and the PC as the index of the next instruction line (1: the first add).
python3 -c '
import struct, sys
regs = [0] * 32
regs[13] = 0x70000000
sys.stdout.buffer.write(struct.pack("<32iI", *regs, 1))' >a_snap.bin
[ "$(wc -c <a_snap.bin)" = 132 ] || bad "the v0 snapshot is not 132 bytes"
timeout 20 "$MYVMM" -v a.cfg -s a_snap.bin </dev/null >out 2>err || bad "v0 resume: exit $?: $(cat err)"
grep -qx "\$r15=$want15" out || bad "v0 resume: no \$r15=$want15 in: $(grep r15 out)"
grep -qx "\$r17=$want17" out || bad "v0 resume: no \$r17=$want17 in: $(grep r17 out)"

# 3. the original multi-VM command: a resumed VM beside a fresh one
cat >b.txt <<'T'
li $2,0x7fffffff
addi $3,$2,1
DUMP_PROCESSOR_STATE
T
printf 'vm_binary=b.txt\n' >b.cfg
want3=$(s32 $((0x7fffffff + 1)))
timeout 20 "$MYVMM" -v a.cfg -s a_snap.bin -v b.cfg </dev/null >out 2>err ||
    bad "two VMs: exit $?: $(cat err)"
grep -qx "vm1 | \$r15=$want15" out || bad "two VMs: vm1 has no \$r15=$want15: $(grep r15 out)"
grep -qx "vm2 | \$r3=$want3" out || bad "two VMs: vm2 has no \$r3=$want3: $(grep 'r3=' out)"
[ "$(grep -c '^vm1 | \$r' out)" = 32 ] && [ "$(grep -c '^vm2 | \$r' out)" = 32 ] ||
    bad "two VMs: not 32 register lines each"

# 4. a SPIM program keeps SPIM's trapping add
printf 'main:\tli $t0,0x70000000\n\tadd $t1,$t0,$t0\n\tli $v0,10\n\tsyscall\n' >s.s
timeout 20 "$MYVMM" -v s.s </dev/null >out 2>err
rc=$?
[ $rc -eq 3 ] || bad "SPIM program: exit $rc, want 3 (fault)"
grep -q 'arithmetic overflow (Ov)' err || bad "SPIM program: no Ov fault: $(cat err)"

[ $fail -eq 0 ] && echo "original_arith: ok (cold run, 132-byte resume, two VMs, SPIM still traps)"
exit $fail
