#!/usr/bin/env bash
# jit_dump.sh -- --jit-dump FILE (docs/jit.md): every block the tier
# translates is written with its guest instructions, their source lines
# and the host code made for each, disassembled by Capstone.  Checks, on
# samples/recursion.s at threshold 1: one block header per block that
# --stats counts; the blocks are named by their labels; the source line of
# fact's first instruction is shown with the host code that loads, adds
# and stores $sp in the guest register file; every block leaves through
# the exit stub; each block is whole (its guest addresses one after the
# other from the header's first to its last, its host offsets rising
# inside its bytes).  The program's output is the same with the dump on.
# Then two VMs on two host threads into one dump: no block is broken by
# the other VM's lines.  A VM the tier does not run (delay slots) gets
# one line saying so.  Then the errors: a dump file that cannot be
# created, --jit-dump without --jit.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A build without the tier (make JIT=0) takes --jit-dump as it takes
# --jit, and the dump says there is no tier.
if ! "$MYVMM" --jit --stats -v "$TOP/samples/hello.s" </dev/null 2>&1 | grep -q '^\[vm1\] jit:'; then
    "$MYVMM" --jit --jit-dump "$tmp/d" -v "$TOP/samples/hello.s" </dev/null >"$tmp/out" 2>&1 ||
        { echo "FAIL: --jit-dump without the tier: exit $?"; exit 1; }
    grep -qx '\[vm1\] this myvmm has no translation tier (built with JIT=0 or for a host other than x86-64): nothing to dump' "$tmp/d" ||
        { echo "FAIL: the dump of a build without the tier: $(cat "$tmp/d")"; exit 1; }
    echo "summary: a build without the tier says so in the dump"
    exit 0
fi
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
prog=$TOP/samples/recursion.s

# Each block whole: prints "ok N" (N blocks), or what is wrong.
whole() {
    python3 - "$1" <<'EOF'
import re, sys
blocks, cur, err = 0, None, []
head = re.compile(r'^\[(\S+)\] block (\d+): (?:\S+ \()?0x([0-9a-f]{8})\)? to (?:\S+ \()?0x([0-9a-f]{8})\)?, (\d+) guest '
                  r'instructions?, (\d+) bytes of host code at 0x([0-9a-f]+) in the code cache')
def done(b):
    if b and b['next'] != b['end'] + 4:
        err.append('%s block %s: guest instructions end at 0x%x, not 0x%x' % (b['vm'], b['n'], b['next'] - 4, b['end']))
    if b and b['stubs'] == 0:
        err.append('%s block %s: no jump to the exit stub' % (b['vm'], b['n']))
for line in open(sys.argv[1]):
    m = head.match(line)
    if m:
        done(cur)
        blocks += 1
        vm, n, start, end, k, size, off = m.groups()
        cur = dict(vm=vm, n=n, start=int(start, 16), end=int(end, 16), next=int(start, 16),
                   lo=int(off, 16), hi=int(off, 16) + int(size),
                   last=-1, stubs=0)
        if cur['end'] - cur['start'] != 4 * (int(k) - 1):
            err.append('%s block %s: %s instructions from 0x%s to 0x%s' % (vm, n, k, start, end))
        continue
    if cur is None:
        err.append('a line before any block: ' + line.rstrip())
        continue
    g = re.match(r'^  0x([0-9a-f]{8})  [0-9a-f]{8} ', line)
    h = re.match(r'^ +([0-9a-f]+):  ', line)
    if g:
        if int(g.group(1), 16) != cur['next']:
            err.append('%s block %s: guest 0x%s where 0x%x was next' % (cur['vm'], cur['n'], g.group(1), cur['next']))
        cur['next'] += 4
    elif h:
        a = int(h.group(1), 16)
        if not (cur['lo'] <= a < cur['hi']) or a <= cur['last']:
            err.append('%s block %s: host offset %x out of order or outside [%x, %x)' % (cur['vm'], cur['n'], a, cur['lo'], cur['hi']))
        cur['last'] = a
        cur['stubs'] += 'the exit stub' in line
    elif not line.startswith('  side exit: ') and not line.startswith("  exit at the block's end: "):
        err.append('%s block %s: a stray line: %s' % (cur['vm'], cur['n'], line.rstrip()))
done(cur)
print('\n'.join(err[:10]) if err else 'ok %d' % blocks)
EOF
}

# One VM, threshold 1: the dump against --stats, and the output unchanged.
"$MYVMM" --jit --jit-threshold 1 --stats -v "$prog" </dev/null >"$tmp/plain.out" 2>"$tmp/plain.err"
echo "status $?" >>"$tmp/plain.out"
"$MYVMM" --jit --jit-threshold 1 --jit-dump "$tmp/dump" --stats -v "$prog" </dev/null >"$tmp/dump.out" 2>"$tmp/dump.err"
echo "status $?" >>"$tmp/dump.out"
cmp -s "$tmp/plain.out" "$tmp/dump.out" || bad "the output changed with the dump on: $(diff "$tmp/plain.out" "$tmp/dump.out" | head -5)"
blocks=$(sed -nE 's/^\[vm1\] jit: ([0-9]+) blocks translated.*/\1/p' "$tmp/dump.err")
heads=$(grep -c '^\[vm1\] block [0-9]*: ' "$tmp/dump")
[ -n "$blocks" ] && [ "$blocks" -gt 3 ] || bad "--stats counts '$blocks' blocks (expected several)"
[ "$heads" = "$blocks" ] || bad "$heads block headers in the dump, $blocks blocks translated under --stats"
grep -Eq ' ms translating, [0-9]+ instructions in translated code' "$tmp/dump.err" ||
    bad "no translation time in the jit line: $(grep 'jit:' "$tmp/dump.err")"
for label in fact fib floop; do
    grep -Eq "^\[vm1\] block [0-9]+: $label \(0x[0-9a-f]{8}\) to " "$tmp/dump" ||
        bad "no block starts at label $label"
done
# fact's first instruction: its source line (as the file has it), then
# the host code for addiu $sp, $sp, -8 on the guest register file ($sp is
# r29, at rbx + 4*29).
n=$(grep -n '^fact:' "$prog" | cut -d: -f1)
src="recursion.s:$n: $(sed -n "${n}p" "$prog" | tr '\t' ' ' | sed -E 's/ +$//')"
grep -A4 -F "$src" "$tmp/dump" >"$tmp/fact" || bad "no line shows '$src'"
grep -q 'addiu \$sp, \$sp, -8' "$tmp/fact" || bad "fact's guest line is not disassembled: $(head -1 "$tmp/fact")"
for host in 'mov eax, dword ptr \[rbx \+ 0x74\]' 'add eax, -8' 'mov dword ptr \[rbx \+ 0x74\], eax'; do
    grep -Eq "^ +[0-9a-f]+:  $host" "$tmp/fact" || bad "no host '$host' under fact's first instruction"
done
grep -Eq '^ +[0-9a-f]+:  jmp [0-9a-fx]+ +; the exit stub' "$tmp/dump" || bad "no jump to the exit stub"
grep -Eq '^  side exit: the interpreter runs sw \$ra, 4\(\$sp\) at fact\+4 ' "$tmp/dump" ||
    bad "no side exit before fact's sw (its soft-TLB miss)"
r=$(whole "$tmp/dump")
[[ $r == "ok $blocks" ]] || bad "the dump's blocks: $r"

# '-' writes the dump to stdout, before the program's own output ends.
"$MYVMM" --jit --jit-threshold 1 --jit-dump - -v "$prog" </dev/null >"$tmp/stdout" 2>/dev/null
[ "$(grep -c '^\[vm1\] block [0-9]*: ' "$tmp/stdout")" = "$blocks" ] || bad "--jit-dump - wrote no whole dump to stdout"

# Two VMs on two threads, one dump: every block whole, each VM's count.
"$MYVMM" --jit --jit-threshold 1 --jit-dump "$tmp/two" --stats -j 2 -v "$prog" -v "$prog" </dev/null \
    >/dev/null 2>"$tmp/two.err" || bad "two VMs: exit $?"
for vm in vm1 vm2; do
    b=$(sed -nE "s/^\[$vm\] jit: ([0-9]+) blocks translated.*/\1/p" "$tmp/two.err")
    h=$(grep -c "^\[$vm\] block [0-9]*: " "$tmp/two")
    [ -n "$b" ] && [ "$h" = "$b" ] || bad "$vm: $h block headers, '$b' blocks translated"
done
r=$(whole "$tmp/two")
[[ $r == ok* ]] || bad "two VMs' dump: $r"

# A VM the tier does not run (delay slots): one line says so.
"$MYVMM" --jit --jit-dump "$tmp/ds" -delayed_branches -v "$TOP/samples/hello.s" </dev/null >/dev/null 2>&1 ||
    bad "-delayed_branches with a dump: exit $?"
[ "$(cat "$tmp/ds")" = "[vm1] the translation tier does not run this VM (stage 1 translates the SPIM-style machine without delay slots): nothing to dump" ] ||
    bad "-delayed_branches: the dump holds $(head -3 "$tmp/ds")"

# Errors: the file cannot be created; the tier is off.
"$MYVMM" --jit --jit-dump "$tmp/no/such/dir/dump" -v "$prog" </dev/null >"$tmp/e.out" 2>"$tmp/e.err"
rc=$?
[ $rc = 1 ] || bad "an uncreatable dump file: exit $rc, not 1"
grep -q "^myvmm: --jit-dump $tmp/no/such/dir/dump: No such file or directory" "$tmp/e.err" ||
    bad "an uncreatable dump file: $(cat "$tmp/e.err")"
[ -s "$tmp/e.out" ] && bad "the program ran without its dump"
# the tier off (--no-jit: not BH_JIT=1 from the environment)
"$MYVMM" --no-jit --jit-dump "$tmp/d" -v "$prog" </dev/null >/dev/null 2>"$tmp/e.err"
rc=$?
[ $rc = 2 ] && grep -q -- '--jit-dump .*give --jit' "$tmp/e.err" ||
    bad "--jit-dump without --jit: exit $rc, $(cat "$tmp/e.err")"

[ $fail = 0 ] || exit 1
echo "summary: $blocks blocks dumped as --stats counts them, two VMs' blocks whole in one dump"
