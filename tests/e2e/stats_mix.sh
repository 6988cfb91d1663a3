#!/usr/bin/env bash
# stats_mix.sh -- `myvmm --stats` counts the instruction mix at full run
# (no --trace needed): the per-mnemonic counts add up to the instructions
# executed; a loop whose trip count is known gives the counts its source
# says; a faulting instruction is not counted, nor twice a read that waited
# for input; the guest's output and the
# instruction count are the same with and without --stats; --trace --stats
# gives the same mix as --stats alone.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# icount ERRFILE: the "[vm1] N instructions in" figure
icount() { sed -nE 's/^\[vm1\] ([0-9]+) instructions in .*/\1/p' "$1" | head -n 1; }
# mixsum ERRFILE: the sum of the counts on the mix line
mixsum() {
    sed -n 's/^\[vm1\] instruction mix[^:]*://p' "$1" | tr ',' '\n' |
        awk '{ s += $2 } END { print s + 0 }'
}
# mixof ERRFILE MNEMONIC: that mnemonic's count (0 when absent)
mixof() {
    sed -n 's/^\[vm1\] instruction mix[^:]*://p' "$1" | tr ',' '\n' |
        awk -v m="$2" '$1 == m { n = $2 } END { print n + 0 }'
}

# A loop with a known trip count: the counts follow from the source.
n=1234
cat >loop.s <<S
        .text
main:   li    \$t0, $n
        li    \$t1, 0
top:    addu  \$t1, \$t1, \$t0
        xor   \$t2, \$t1, \$t0
        addiu \$t0, \$t0, -1
        bne   \$t0, \$zero, top
        move  \$a0, \$t1
        li    \$v0, 1
        syscall
        li    \$v0, 10
        syscall
S
timeout 60 "$MYVMM" --stats -v loop.s >out 2>err || bad "loop: exit status $?"
[ "$(cat out)" = "$((n * (n + 1) / 2))" ] || bad "loop: output '$(cat out)'"
[ "$(mixof err xor)" = $n ] || bad "loop: xor $(mixof err xor), expected $n: $(grep mix err)"
[ "$(mixof err bne)" = $n ] || bad "loop: bne $(mixof err bne), expected $n"
[ "$(mixof err addu)" -ge $n ] || bad "loop: addu $(mixof err addu) < $n"
[ "$(mixsum err)" = "$(icount err)" ] || bad "loop: mix adds up to $(mixsum err), instructions $(icount err)"

# A fault: the faulting lh is not counted, the instructions before it are.
cat >fault.s <<'S'
        .text
main:   li    $t0, 3
        lh    $t1, 0($zero)
S
timeout 60 "$MYVMM" --stats -v fault.s >out 2>err
grep -q "address error on load" err || bad "fault: no AdEL: $(cat err)"
[ "$(mixof err lh)" = 0 ] || bad "fault: the faulting lh counted: $(grep mix err)"
[ "$(mixsum err)" = "$(icount err)" ] || bad "fault: mix $(mixsum err) != instructions $(icount err)"
[ "$(icount err)" -gt 0 ] || bad "fault: no instructions: $(cat err)"

# A read that waits for input (two VMs: reads do not block the host
# thread) runs its syscall again: counted once, as in the instruction count.
cat >read.s <<'S'
        .text
main:   li    $v0, 5
        syscall
        move  $a0, $v0
        li    $v0, 1
        syscall
        li    $v0, 10
        syscall
S
cat >other.s <<'S'
        .text
main:   li    $v0, 10
        syscall
S
(sleep 0.5; echo 7) | timeout 60 "$MYVMM" --stats -v read.s -v other.s >out 2>err
grep -q '^vm1 | 7$' out || bad "wait: output '$(cat out)'"
grep -q '^\[vm1\] scheduler: .*([1-9][0-9]* waiting for input)' err ||
    bad "wait: the VM never waited: $(grep scheduler err)"
[ "$(mixof err syscall)" = 3 ] || bad "wait: syscall counted $(mixof err syscall) times, expected 3"
[ "$(mixsum err)" = "$(icount err)" ] || bad "wait: mix $(mixsum err) != instructions $(icount err)"

# Restored from a snapshot: the mix counts what ran in this process.
# (The original tool's sample writes snapshot_vm1.bin at its SNAPSHOT line.)
cp "$TOP/samples/assembly_file_vm1.txt" "$TOP/samples/instructions_vm1.txt" .
timeout 60 "$MYVMM" -v assembly_file_vm1.txt >/dev/null 2>&1 || bad "snapshot run: exit status $?"
timeout 60 "$MYVMM" --stats -v assembly_file_vm1.txt -s snapshot_vm1.bin >out 2>err ||
    bad "restore: exit status $?: $(head -n 3 err)"
here=$(sed -nE 's/^\[sched\] .*: ([0-9]+) instructions in .*/\1/p' err)
[ -n "$here" ] && [ "$here" -lt "$(icount err)" ] || bad "restore: '$here' run here of $(icount err)"
[ "$(mixsum err)" = "$here" ] || bad "restore: mix $(mixsum err), run here $here"
grep -q "instruction mix of the $here run here:" err || bad "restore: $(grep mix err)"

# Every SPIM test program: same output and count with and without --stats,
# the mix adds up, and --trace gives the same mix.
checked=0
for s in "$TOP"/tests/spim/*.s; do
    b=${s%.s}
    in=/dev/null
    [ -f "$b.in" ] && in=$b.in
    args=()
    [ -f "$b.args" ] && read -r -a args <"$b.args"
    flags=() # SPIM's machine options the program runs with (diff_spim.sh)
    [ -f "$b.flags" ] && read -r -a flags <"$b.flags"
    timeout 60 "$MYVMM" "${flags[@]}" -v "$s" "${args[@]}" <"$in" >plain.out 2>plain.err
    rc1=$?
    timeout 60 "$MYVMM" "${flags[@]}" --stats -v "$s" "${args[@]}" <"$in" >stats.out 2>stats.err
    rc2=$?
    name=$(basename "$s")
    [ $rc1 = $rc2 ] || bad "$name: exit status $rc1 without --stats, $rc2 with"
    cmp -s plain.out stats.out || bad "$name: output differs with --stats"
    [ -n "$(icount stats.err)" ] || { bad "$name: no count: $(head -n 3 stats.err)"; continue; }
    [ "$(mixsum stats.err)" = "$(icount stats.err)" ] ||
        bad "$name: mix adds up to $(mixsum stats.err), instructions $(icount stats.err)"
    timeout 120 "$MYVMM" "${flags[@]}" --stats --trace -v "$s" "${args[@]}" <"$in" >trace.out 2>trace.err
    a=$(grep '^\[vm1\] instruction mix' stats.err)
    t=$(grep '^\[vm1\] instruction mix' trace.err)
    [ "$a" = "$t" ] || bad "$name: --trace changes the mix: '$a' vs '$t'"
    checked=$((checked + 1))
done
[ $checked -ge 10 ] || bad "only $checked SPIM programs checked"

[ $fail = 0 ] && echo "stats_mix: ok ($checked programs)"
[ $fail = 0 ]
