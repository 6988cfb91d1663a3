#!/usr/bin/env bash
# bare_machine.sh -- the bare machine (--machine bare, vm_machine=bare):
# a guest kernel that owns the machine (docs/devices.md).
#  1. tests/bare/hello.s: the kernel maps the user's pages in the TLB,
#     drops to user mode, serves its syscalls, maps its stack on a TLB
#     refill at 0x80000000, kills it for a store to a kernel address and
#     powers off: exact output, exit status 0, the TLB counters in --stats;
#  2. the same through a config file's vm_machine=bare;
#  3. the value stored to the board's power register is the exit status;
#  4. a syscall with no guest handler: the monitor reports Sys (the
#     monitor emulates no syscall on this machine);
#  5. the reset vector: code at 0xbfc00000 starts there with BEV = ERL = 1;
#  6. bad input: vm_machine=other, --machine other, no .ktext;
#  7. a snapshot taken in user mode (inside the user's loop, TLB loaded)
#     resumes identically: the output before it and after it make the
#     whole output, the final hashes agree, --snapshot-info shows the
#     MMU section, and a resume as a SPIM-style machine is refused;
#  8. a loopback live migration in the middle of the user's (longer)
#     loop: the destination builds a bare machine from HELLO, gets the
#     TLB in the MMU message and ends as an unmigrated run does.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
. "$TOP/tests/e2e/migrate/lib.sh"
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

cat >hello.want <<'T'
hello from user mode
AB
kernel: user process killed, exception code 5
kernel: TLB refills: 2
kernel: power off
T

# 1. the demo kernel
timeout 20 "$MYVMM" --machine bare --stats -v "$TOP/tests/bare/hello.s" </dev/null >out 2>err
rc=$?
[ $rc -eq 0 ] || bad "hello: exit $rc: $(cat err)"
cmp -s out hello.want || bad "hello: output differs: $(diff hello.want out)"
grep -q '^\[vm1\] tlb: 2 refills, 4 guest TLB writes, ' err || bad "hello: --stats: $(grep tlb err)"
grep -q ' 0 syscall, ' err || bad "hello: the monitor emulated syscalls: $(grep exits err)"

# 2. the config key
printf 'vm_binary=%s\nvm_machine=bare\n' "$TOP/tests/bare/hello.s" >hello.cfg
timeout 20 "$MYVMM" -v hello.cfg </dev/null >out 2>err || bad "cfg: exit $?: $(cat err)"
cmp -s out hello.want || bad "cfg: output differs: $(diff hello.want out)"

# 3. the power register's value is the exit status
cat >off.s <<'T'
        .ktext
__start: li $t0, 0xbfff0100
        li $t1, 3
        sw $t1, 0($t0)
        li $t1, 9
        sw $t1, 0($t0)
T
timeout 20 "$MYVMM" --machine bare --trace-exits -v off.s </dev/null >out 2>err
rc=$?
[ $rc -eq 3 ] || bad "power off: exit $rc, want 3: $(cat err)"
grep -q 'exit poweroff .*board powered off: exit 3' err || bad "power off: --trace-exits: $(cat err)"

# 4. no handler for a syscall
cat >sys.s <<'T'
        .ktext 0x80001000
__start: li $v0, 10
        syscall
T
timeout 20 "$MYVMM" --machine bare -v sys.s </dev/null >out 2>err
rc=$?
[ $rc -ne 0 ] || bad "syscall without a handler: exit 0"
grep -q 'Sys' err || bad "syscall without a handler: message: $(cat err)"

# 5. the reset vector
cat >reset.s <<'T'
        .ktext 0xbfc00000
reset:  mfc0 $t1, $12                   # Status at reset
        li $t0, 0xbfff000c
        srl $t2, $t1, 22                # BEV
        addiu $t2, $t2, 48
        sb $t2, 0($t0)
        andi $t2, $t1, 4                # ERL
        srl $t2, $t2, 2
        addiu $t2, $t2, 48
        sb $t2, 0($t0)
        li $t0, 0xbfff0100
        sw $zero, 0($t0)
T
timeout 20 "$MYVMM" --machine bare -v reset.s </dev/null >out 2>err || bad "reset: exit $?: $(cat err)"
[ "$(cat out)" = "11" ] || bad "reset: BEV, ERL printed '$(cat out)', want 11"

# 6. bad input
printf 'vm_binary=off.s\nvm_machine=other\n' >bad.cfg
"$MYVMM" -v bad.cfg </dev/null >out 2>err && bad "vm_machine=other accepted"
grep -q 'vm_machine must be spim or bare, not .other.' err || bad "vm_machine=other: $(cat err)"
"$MYVMM" --machine other -v off.s </dev/null >out 2>err && bad "--machine other accepted"
grep -q -- '--machine takes spim or bare' err || bad "--machine other: $(cat err)"
printf '        .text\nmain: li $v0, 10\n        syscall\n' >user.s
"$MYVMM" --machine bare -v user.s </dev/null >out 2>err && bad "no .ktext accepted"
grep -q 'has no .ktext' err || bad "no .ktext: $(cat err)"

# 7. a snapshot in user mode
timeout 20 "$MYVMM" --machine bare --final-hash -v "$TOP/tests/bare/hello.s" </dev/null >/dev/null 2>cold.err
timeout 20 "$MYVMM" --machine bare --max-instructions 70 --snapshot-on-exit mid.snap \
    -v "$TOP/tests/bare/hello.s" </dev/null >pre.out 2>err
[ $? -eq 4 ] || bad "snapshot run: not stopped by the limit: $(cat err)"
"$MYVMM" --snapshot-info mid.snap >info 2>&1 || bad "--snapshot-info: $(cat info)"
grep -q '^machine: bare (docs/devices.md), 2 of 32 TLB entries valid' info || bad "info: $(cat info)"
grep -q '^pc: 0x00400004 (spin+0)' info || bad "the snapshot is not in the user's loop: $(grep pc info)"
grep -q '^cp0: user mode; Status 0x[0-9a-f]* (IE [01], IM 0x[0-9a-f]*), Cause ' info ||
    bad "info: no CP0 line for user mode: $(grep cp0 info)"
grep -q '^  MMU  *v1 ' info || bad "info: no MMU section: $(cat info)"
timeout 20 "$MYVMM" --final-hash -s mid.snap </dev/null >post.out 2>post.err || bad "resume: exit $?: $(cat post.err)"
cat pre.out post.out | cmp -s - hello.want || bad "resume: output differs: $(cat pre.out post.out)"
[ "$(grep final-hash cold.err)" = "$(grep final-hash post.err)" ] ||
    bad "resume: final hash $(grep final-hash post.err), cold $(grep final-hash cold.err)"
"$MYVMM" --machine spim -s mid.snap </dev/null >out 2>err && bad "a bare snapshot resumed as SPIM-style"
grep -q 'the snapshot is of a bare machine, the VM a SPIM-style one' err || bad "spim resume: $(cat err)"

# 8. a live migration
sed 's/li    \$t3, 40 /li    $t3, 30000000 /' "$TOP/tests/bare/hello.s" >long.s
timeout 60 "$MYVMM" --machine bare --final-hash -v long.s </dev/null >ref.out 2>ref.err ||
    bad "long: exit $?: $(cat ref.err)"
cmp -s ref.out hello.want || bad "long: output differs: $(cat ref.out)"
if start_dest dst.out dst.err --final-hash </dev/null; then
    timeout 60 "$MYVMM" --machine bare --final-hash --migrate "tcp:127.0.0.1:$DPORT" \
        --migrate-after 1000000 -v long.s </dev/null >src.out 2>src.err
    rc=$?
    grep -q "summary: handed over" src.err || kill "$DPID" 2>/dev/null
    wait_dest
    drc=$?
    [ $rc -eq 0 ] && [ $drc -eq 0 ] || bad "migration: exits $rc, $drc: $(tail -n 2 src.err dst.err)"
    grep -q "summary: handed over" src.err || bad "migration: not handed over: $(cat src.err)"
    cat src.out dst.out | cmp -s - ref.out || bad "migration: output differs: $(cat src.out dst.out)"
    [ "$(final_hash ref.err)" = "$(final_hash dst.err)" ] ||
        bad "migration: final hash $(final_hash dst.err), unmigrated $(final_hash ref.err)"
else
    bad "migration: no destination"
fi

[ $fail -eq 0 ] || exit 1
echo "summary: demo kernel, config key, power-off status, Sys without handler, reset vector, 3 errors, user-mode snapshot, live migration"
