#!/usr/bin/env bash
# vm_config.sh -- config files on the real binary: paths relative to the
# config's folder (from any current directory), vm_stdin/vm_stdout,
# vm_name, vm_max_instructions, errors with file:line, the original
# tool's sample config.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
run() { timeout 20 "$MYVMM" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }

mkdir -p "$tmp/cfg/progs" "$tmp/elsewhere"
cat >"$tmp/cfg/progs/double.s" <<'S'
main:   li $v0, 5
        syscall
        addu $a0, $v0, $v0
        li $v0, 1
        syscall
        li $a0, 10
        li $v0, 11
        syscall
        li $v0, 10
        syscall
S
echo 21 >"$tmp/cfg/in.txt"
printf '# doubler\r\nvm_name = doubler\r\nvm_binary = progs/double.s\r\nvm_stdin = in.txt\r\nvm_stdout = result.txt\r\nvm_memory = 1M\r\n' >"$tmp/cfg/a.cfg"
cd "$tmp/elsewhere" || exit 1
run -v ../cfg/a.cfg
[ $rc = 0 ] || bad "relative paths: exit $rc: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && bad "vm_stdout: something reached stdout: $(cat "$tmp/out")"
[ "$(cat "$tmp/cfg/result.txt" 2>/dev/null)" = 42 ] || bad "vm_stdout: result.txt holds '$(cat "$tmp/cfg/result.txt" 2>/dev/null)'"

# vm_name in the prefix with two VMs; stdin from the terminal side
printf 'vm_binary=progs/double.s\nvm_name=left\n' >"$tmp/cfg/b.cfg"
printf 'vm_binary=progs/double.s\nvm_name=right\n' >"$tmp/cfg/c.cfg"
printf '1\n2\n' | timeout 20 "$MYVMM" -v "$tmp/cfg/b.cfg" -v "$tmp/cfg/c.cfg" >"$tmp/out" 2>"$tmp/err"
printf 'left | 2\nright | 4\n' >"$tmp/want"
cmp -s "$tmp/want" "$tmp/out" || bad "vm_name prefixes: $(cat -A "$tmp/out")"

# vm_max_instructions
printf 'main: b main\n' >"$tmp/cfg/progs/spin.s"
printf 'vm_binary=progs/spin.s\nvm_max_instructions=500\n' >"$tmp/cfg/spin.cfg"
run -v "$tmp/cfg/spin.cfg"
[ $rc = 4 ] || bad "vm_max_instructions: exit $rc"
grep -q "instruction limit of 500 reached" "$tmp/err" || bad "vm_max_instructions: '$(cat "$tmp/err")'"

# errors name file and line, nothing runs, status 1
printf 'vm_exec_slice_in_instructions=100\nvm_binary=progs/double.s\nvm_bianry=x\n' >"$tmp/cfg/typo.cfg"
run -v "$tmp/cfg/b.cfg" -v "$tmp/cfg/typo.cfg"
[ $rc = 1 ] || bad "typo: exit $rc"
grep -qF "typo.cfg:3: unknown key 'vm_bianry' (did you mean 'vm_binary'?)" "$tmp/err" || bad "typo: '$(cat "$tmp/err")'"
[ -s "$tmp/out" ] && bad "typo: the first VM ran before the error was reported"
printf 'vm_binary = nothere.s\n' >"$tmp/cfg/missing.cfg"
run -v "$tmp/cfg/missing.cfg"
[ $rc = 1 ] || bad "missing binary: exit $rc"
grep -qF "missing.cfg:1: vm_binary: cannot read" "$tmp/err" || bad "missing binary: '$(cat "$tmp/err")'"
printf 'vm_binary = progs/double.s\nvm_memory = 12Q\n' >"$tmp/cfg/badmem.cfg"
run -v "$tmp/cfg/badmem.cfg"
grep -qF "badmem.cfg:2: vm_memory must be a size" "$tmp/err" || bad "bad size: '$(cat "$tmp/err")'"

# the original tool's sample config, from another folder
if [ -f "$TOP/samples/assembly_file_vm1.txt" ]; then
    mkdir -p "$tmp/orig"
    cd "$tmp/orig" || exit 1
    run -v "$TOP/samples/assembly_file_vm1.txt"
    [ $rc = 0 ] || bad "samples/assembly_file_vm1.txt: exit $rc: $(head -n 3 "$tmp/err")"
    [ "$(grep -c '^\$r[0-9]*=' "$tmp/out")" = 32 ] || bad "samples/assembly_file_vm1.txt: no register dump"
    rm -f "$tmp/orig"/snapshot_vm1.bin
fi

echo "vm_config: $fail failures"
[ $fail -eq 0 ]
