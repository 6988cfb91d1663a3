#!/usr/bin/env bash
# vm_cli.sh -- myvmm's command line on real programs: stdout carries only
# guest output and stderr only myvmm's messages; exit statuses (0, exit2 N,
# 1 assembly error, 2 usage, 3 fault, 4 instruction limit); images and
# sources; guest argv; two VMs with line prefixes; the trace options.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
BABYASM=${BABYASM:-$TOP/build/babyasm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# run ARGS...: stdout to out, stderr to err, status in rc
run() { timeout 20 "$MYVMM" "$@" >out 2>err; rc=$?; }
expect_rc() { [ "$rc" = "$1" ] || bad "$2: exit status $rc, expected $1; stderr: $(head -n 3 err)"; }

cat >hello.s <<'S'
        .data
msg:    .asciiz "hello\n"
        .text
main:   la $a0, msg
        li $v0, 4
        syscall
        li $v0, 10
        syscall
S
run -v hello.s
expect_rc 0 hello
[ "$(cat out)" = hello ] || bad "hello: stdout '$(cat out)'"
[ -s err ] && bad "hello: stderr not empty: $(cat err)"

# the same through an image
if [ -x "$BABYASM" ] && "$BABYASM" hello.s -o hello.bin 2>/dev/null; then
    run -v hello.bin
    expect_rc 0 image
    [ "$(cat out)" = hello ] || bad "image: stdout '$(cat out)'"
fi

# program without -v, as spim -file
run hello.s
[ "$(cat out)" = hello ] || bad "bare program: stdout '$(cat out)'"

cat >exit7.s <<'S'
main:   li $a0, 42
        li $v0, 1
        syscall
        li $a0, 7
        li $v0, 17
        syscall
S
run -v exit7.s
expect_rc 7 exit2
[ "$(cat out)" = 42 ] || bad "exit2: stdout '$(cat out)'"
grep -q "exited with status 7" err || bad "exit2: stderr '$(cat err)'"

# assembly errors: exactly babyasm's diagnostics, status 1, nothing run
printf 'main:   li $a0, 1\n        addd $t0, $t1, $t2\n        li $v0, 1\n        syscall\n' >broken.s
run -v broken.s
expect_rc 1 "assembly error"
[ -s out ] && bad "assembly error: something ran: $(cat out)"
grep -q "broken.s:2:" err || bad "assembly error: no broken.s:2: in '$(cat err)'"
if [ -x "$BABYASM" ]; then
    "$BABYASM" broken.s -o broken.bin 2>asm_err >/dev/null
    cmp -s err asm_err || bad "assembly error: differs from babyasm's: $(diff asm_err err | head -n 6)"
fi

# usage errors
run --frobnicate -v hello.s
expect_rc 2 "unknown option"
grep -q "unknown option '--frobnicate'" err || bad "unknown option: '$(cat err)'"
run
expect_rc 2 "no program"
run --help
expect_rc 0 help
grep -q -- "--fs-root" out || bad "help: no --fs-root in usage"
run -v missing.s
expect_rc 1 "missing file"
grep -q "missing.s" err || bad "missing file: '$(cat err)'"

# fault: message names kind, PC, label, source line; output before it kept
cat >fault.s <<'S'
main:   li $a0, 5
        li $v0, 1
        syscall
here:   lw $t0, 3($zero)
        li $v0, 10
        syscall
S
run -v fault.s
expect_rc 3 fault
[ "$(cat out)" = 5 ] || bad "fault: stdout '$(cat out)'"
for want in "(AdEL)" "PC 0x004" "here" "fault.s:4" "lw \$t0, 3(\$zero)"; do
    grep -qF -- "$want" err || bad "fault: stderr lacks '$want': $(cat err)"
done

# bad syscall
printf 'main:   li $v0, 99\n        syscall\n' >badsys.s
run -v badsys.s
expect_rc 3 "bad syscall"
grep -q "bad syscall 99" err || bad "bad syscall: '$(cat err)'"

# instruction limit
printf 'main:   addiu $t0, $t0, 1\n        b main\n' >loop.s
run --max-instructions 1000 -v loop.s
expect_rc 4 "instruction limit"
grep -q "instruction limit of 1000 reached" err || bad "limit: '$(cat err)'"

# memory limit
cat >mem.s <<'S'
main:   li $s0, 0x10010000
loop:   sw $zero, 0($s0)
        addiu $s0, $s0, 4096
        b loop
S
run --memory 256K -v mem.s
expect_rc 3 "memory limit"
grep -q "memory limit exceeded" err || bad "memory limit: '$(cat err)'"

# input: read_int and read_string from stdin
cat >io.s <<'S'
        .data
buf:    .space 16
        .text
main:   li $v0, 5
        syscall
        move $a0, $v0
        addiu $a0, $a0, 1
        li $v0, 1
        syscall
        la $a0, buf
        li $a1, 16
        li $v0, 8
        syscall
        li $v0, 4
        syscall
        li $v0, 10
        syscall
S
printf '41 9\nrest of it\n' | timeout 20 "$MYVMM" -v io.s >out 2>err
[ "$(cat out)" = "42rest of it" ] || bad "input: stdout '$(cat out)'"

# guest argv: argc and argv[1] as SPIM passes them
cat >args.s <<'S'
main:   move $s0, $a1
        li $v0, 1
        syscall
        lw $a0, 4($s0)
        li $v0, 4
        syscall
        li $v0, 10
        syscall
S
run -v args.s -- alpha beta
[ "$(cat out)" = 3alpha ] || bad "argv with --: stdout '$(cat out)'"
run args.s alpha beta
[ "$(cat out)" = 3alpha ] || bad "argv after the program: stdout '$(cat out)'"
if command -v spim >/dev/null 2>&1; then
    want=$(timeout 10 spim -file args.s alpha beta </dev/null | tail -n +6)
    [ "$(cat out)" = "$want" ] || bad "argv: ours '$(cat out)' spim '$want'"
fi

# two VMs: each line prefixed and whole; the VMs run at once, so the order
# of lines between VMs is not fixed: compare sorted
run -v hello.s -v exit7.s
expect_rc 7 "two VMs"
printf 'vm1 | hello\nvm2 | 42\n' >want
sort out | cmp -s want - || bad "two VMs: stdout $(cat -A out)"

# traces go to stderr, stdout unchanged
run --trace-exits -v hello.s
[ "$(cat out)" = hello ] || bad "trace-exits: stdout changed"
grep -q "exit syscall at 0x" err || bad "trace-exits: '$(head -n 3 err)'"
grep -q "4 print_string: emulated" err || bad "trace-exits: no print_string line"
run --trace -v exit7.s
[ "$(cat out)" = 42 ] || bad "trace: stdout changed"
grep -q "main" err || bad "trace: no label in '$(head -n 3 err)'"
grep -q '\$a0=42' err || bad "trace: no register change \$a0=42 in '$(head -n 3 err)'"
run --stats -v hello.s
[ "$(cat out)" = hello ] || bad "stats: stdout changed"
grep -q "instructions in" err || bad "stats: '$(cat err)'"
grep -q "exits:" err || bad "stats: no exits line"

# not programs: a folder, and binary junk that is no image
mkdir -p adir
run -v adir
expect_rc 1 "folder"
grep -q "adir: is a folder" err || bad "folder: '$(cat err)'"
printf 'junk\0\1\2\3' >junk.bin
run -v junk.bin
expect_rc 1 "binary junk"
grep -q "junk.bin: not a program: no babyasm image magic, and not text" err || bad "junk: '$(head -c 300 err)'"

echo "vm_cli: $fail failures"
[ $fail -eq 0 ]
