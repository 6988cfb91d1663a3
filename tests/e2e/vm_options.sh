#!/usr/bin/env bash
# vm_options.sh -- myvmm's option table from outside: --help is the checked
# copy tests/cli/myvmm_help.txt byte for byte; every option it names is
# known; the forms --name=VALUE, --name VALUE and SPIM's single dash
# (-name VALUE) work; unknown options and missing values keep their
# messages.  (tests/check_options.c checks the parser itself.)
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
run() { timeout 20 "$MYVMM" "$@" >out 2>err </dev/null; rc=$?; }
# usage ARGS... -- MESSAGE: exit status 2 and exactly that message
usage() {
    local args=() msg
    while [ "$1" != -- ]; do args+=("$1"); shift; done
    msg=$2
    run "${args[@]}"
    [ "$rc" = 2 ] || bad "${args[*]}: exit status $rc, expected 2"
    printf 'myvmm: %s\nTry '\''myvmm --help'\''.\n' "$msg" | cmp -s - err ||
        bad "${args[*]}: stderr '$(cat err)', expected 'myvmm: $msg'"
}

for h in --help -h; do
    run $h
    [ "$rc" = 0 ] || bad "$h: exit status $rc"
    cmp -s out "$TOP/tests/cli/myvmm_help.txt" || bad "$h differs from tests/cli/myvmm_help.txt"
    [ -s err ] && bad "$h: stderr $(cat err)"
done

# every option --help names is one the parser knows
for o in $(grep -o -- '--[a-z][a-z-]*' "$TOP/tests/cli/myvmm_help.txt" | sort -u) -v -s -j -h; do
    run "$o"
    grep -q "unknown option" err && bad "--help names $o, but it is unknown"
done

cat >count.s <<'S'
main:   li $t0, 0
loop:   addi $t0, $t0, 1
        blt $t0, 1000, loop
        li $v0, 1
        move $a0, $t0
        syscall
        li $v0, 10
        syscall
S
for form in "--max-instructions 50" "--max-instructions=50" "-max-instructions 50" \
    "-max-instructions=50"; do
    run $form -v count.s
    [ "$rc" = 4 ] || bad "$form: exit status $rc, expected 4 (instruction limit): $(cat err)"
done
for form in "-j 1" "-j1" "--jobs 1" "--jobs=1" "-jobs 1" "--memory=1M" "-memory 1M" "-seed 3"; do
    run $form count.s
    [ "$rc" = 0 ] && [ "$(cat out)" = 1000 ] || bad "$form: exit status $rc, stdout '$(cat out)'"
done

usage --bogus -- "unknown option '--bogus'"
usage -bogus -- "unknown option '-bogus'"
usage --trace=1 -v count.s -- "unknown option '--trace=1'
  help: '--trace' takes no value"
usage --stat -v count.s -- "unknown option '--stat'
  help: did you mean '--stats'?"
usage -vcount.s -- "unknown option '-vcount.s'"
usage -v -- "-v needs a file"
usage -v count.s -s -- "-s needs a snapshot file"
usage -v count.s --memory -- "--memory needs a size like 16M or 1G, not ''"
usage -v count.s --memory= -- "--memory needs a size like 16M or 1G, not ''"
usage -v count.s -j -- "-j needs a number of threads from 1 to 1024, not ''"
usage -v count.s --migrate -- "--migrate needs [NAME=]tcp:HOST:PORT"
usage -v count.s --snapshot-on-exit -- "--snapshot-on-exit needs a file name"
# SPIM's spelling: -file runs the program, words after it are the guest's
run -quiet -mapped_io -file count.s
[ "$rc" = 0 ] && [ "$(cat out)" = 1000 ] || bad "-quiet -mapped_io -file: exit $rc, stdout '$(cat out)'"
# what SPIM's -quiet hides, a stderr line per exception a handler takes,
# myvmm never writes (--help says so)
for q in -quiet ""; do
    run $q -file "$TOP/tests/spim/ktext_handler.s"
    [ "$rc" = 0 ] && [ -s out ] && [ ! -s err ] || bad "${q:-no -quiet}: ktext_handler.s: exit $rc, stderr '$(cat err)'"
done
usage -file -- "-file needs a file"
# SPIM's delay slots: the slot after the taken beq runs (t0 = 2) and the
# lw's value arrives one instruction late (t1 still 5 at the addu); -bare
# brings both, and SPIM's bare assembler (no pseudo-instructions)
cat >slots.s <<'S'
main:   addiu   $t0, $0, 1
        addiu   $t1, $0, 5
        addiu   $sp, $sp, -4
        sw      $0, 0($sp)
        beq     $0, $0, over
        addiu   $t0, $0, 2
        addiu   $t0, $0, 3
over:   lw      $t1, 0($sp)
        addu    $a0, $t0, $t1
        addiu   $v0, $0, 1
        syscall
        addiu   $sp, $sp, 4
        jr      $ra
        sll     $0, $0, 0
S
for opts in "" "-delayed_branches" "-delayed_loads" "-delayed_branches -delayed_loads" "-bare"; do
    run $opts -file slots.s
    case $opts in
        "") want=1 ;; -delayed_branches) want=2 ;; -delayed_loads) want=6 ;; *) want=7 ;;
    esac
    [ "$rc" = 0 ] && [ "$(cat out)" = $want ] || bad "${opts:-no options}: slots.s: exit $rc, stdout '$(cat out)', expected $want"
done
run -bare -file count.s
[ "$rc" = 1 ] && grep -q "the bare machine (--bare) has none" err || bad "-bare, count.s with pseudo-instructions: exit $rc, stderr '$(cat err)'"
usage -file count.s -exception_file -- "-exception_file needs a file"
[ $fail -eq 0 ]
