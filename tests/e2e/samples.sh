#!/usr/bin/env bash
# samples.sh -- the original v0.2 tool's sample files still work: a config
# file (assembly_file_vmN.txt) naming an instruction file with SNAPSHOT and
# DUMP_PROCESSOR_STATE, the instruction file run directly, config_file_vm1.txt,
# and both VMs in one myvmm run.  The expected register values were computed
# by hand from samples/instructions_vmN.txt (32-bit wrap-around arithmetic):
#
#   vm1: $1=6 $2=21845 $3=31744 $6=3 $7=5, then
#        $4=$7+$6=8  $5=$2-$1=21839  $6=$3+15=31759  (SNAPSHOT)
#        $7=$4*$5=174712  $8=$2&$3=0x5555&0x7c00=21504  $9=$1|$4=14
#        $10=$6^$8=0x7c0f^0x5400=10255  $11=$4|100=108
#        $12=$7<<10=178905088  $13=$8>>10=21
#   vm2: ($1 is set last: the other li's use $at = $1)
#        $1=-3 $2=300000 $3=123456 $6=-7 $7=-20, then
#        $4=-27  $5=300003  $6=123471  (SNAPSHOT)  $7=-27*300003=-8100081
#        $8=300000&123456=33344  $9=-3|-27=-3  $10=123471^33344=90127
#        $11=-27|100=-27  $12=(-8100081<<10) mod 2^32=295451648  $13=33344>>10=32
#
# $r14..$r31 are never written: 0, $gp and $sp included, because the
# original tool started every register at zero and myvmm does the same for
# programs in its instruction-file form (docs/myvmm.md).  The SNAPSHOT line
# must leave a snapshot file behind.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }

VM1=(0 6 21845 31744 8 21839 31759 174712 21504 14 10255 108 178905088 21)
VM2=(0 -3 300000 123456 -27 300003 123471 -8100081 33344 -3 90127 -27 295451648 32)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# expect_dump FILE NAME VALUES...: FILE holds exactly one register dump
# (lines may carry a VM-name prefix such as "vm1 | ").
expect_dump() {
    local file=$1 what=$2
    shift 2
    local vals=("$@") i want got n
    n=$(grep -c '\$r[0-9]*=' "$file")
    [ "$n" -eq 32 ] || { bad "$what: $n register lines, expected 32"; return; }
    for i in $(seq 0 31); do
        got=$(sed -n "s/.*\\\$r$i=\\(.*\\)\$/\\1/p" "$file" | head -n 1)
        if [ "$i" -lt 14 ]; then
            want=${vals[$i]}
        else
            want=0
        fi
        [ "$got" = "$want" ] || bad "$what: \$r$i=$got, expected $want"
    done
    # the dump is in register order, one per line
    grep -o '\$r[0-9]*=' "$file" | tr -d '$r=' | awk '$1 != NR - 1 { exit 1 }' ||
        bad "$what: registers not printed in order \$r0..\$r31"
}

# run_in DIR ARGS...: run myvmm in DIR, stdout to DIR/out, stderr to DIR/err
run_in() {
    local dir=$1
    shift
    (cd "$dir" && timeout 20 "$MYVMM" "$@" </dev/null >out 2>err)
}

for vm in vm1 vm2; do
    d=$tmp/$vm
    mkdir -p "$d"
    cp "$TOP/samples/assembly_file_$vm.txt" "$TOP/samples/instructions_$vm.txt" "$d/"
    if [ $vm = vm1 ]; then vals=("${VM1[@]}"); else vals=("${VM2[@]}"); fi

    run_in "$d" -v "assembly_file_$vm.txt" || bad "assembly_file_$vm.txt: exit status $?: $(head -n 3 "$d/err")"
    expect_dump "$d/out" "assembly_file_$vm.txt" "${vals[@]}"
    [ -s "$d/snapshot_$vm.bin" ] || bad "assembly_file_$vm.txt: SNAPSHOT left no snapshot_$vm.bin"

    rm -f "$d/snapshot_$vm.bin"
    run_in "$d" -v "instructions_$vm.txt" || bad "instructions_$vm.txt: exit status $?: $(head -n 3 "$d/err")"
    expect_dump "$d/out" "instructions_$vm.txt" "${vals[@]}"
    [ -s "$d/snapshot_$vm.bin" ] || bad "instructions_$vm.txt: SNAPSHOT left no snapshot_$vm.bin"
done

d=$tmp/cfg
mkdir -p "$d"
cp "$TOP/samples/config_file_vm1.txt" "$TOP/samples/instructions_vm1.txt" "$d/"
run_in "$d" -v config_file_vm1.txt || bad "config_file_vm1.txt: exit status $?: $(head -n 3 "$d/err")"
expect_dump "$d/out" config_file_vm1.txt "${VM1[@]}"

# Both VMs in one run (as `make demo` does): each dump complete.
d=$tmp/both
mkdir -p "$d"
cp "$TOP"/samples/assembly_file_vm[12].txt "$TOP"/samples/instructions_vm[12].txt "$d/"
run_in "$d" -v assembly_file_vm1.txt -v assembly_file_vm2.txt ||
    bad "two VMs: exit status $?: $(head -n 3 "$d/err")"
n=$(grep -c '\$r[0-9]*=' "$d/out")
[ "$n" -eq 64 ] || bad "two VMs: $n register lines, expected 64"
grep -q '\$r12=178905088$' "$d/out" || bad "two VMs: vm1's \$r12 missing"
grep -q '\$r12=295451648$' "$d/out" || bad "two VMs: vm2's \$r12 missing"
grep -q '\$r7=-8100081$' "$d/out" || bad "two VMs: vm2's \$r7 missing"

# The SPIM-style samples run (their output is compared with spim by diff_spim.sh).
out=$(cd "$TOP/samples" && timeout 20 "$MYVMM" -v hello.s </dev/null 2>/dev/null)
[ "$out" = "Hello, world!" ] || bad "hello.s printed '$out'"

if [ $fail -ne 0 ]; then
    echo "samples: $fail problems"
    exit 1
fi
echo "samples: all ok"
