#!/usr/bin/env bash
# tests/layers.py, the include-rule checker, on small synthetic trees: a
# clean one passes, and each kind of broken rule fails with its own message.
# Then it checks this repository's tree and its objects in $BUILD
# (docs/architecture.md states the rules).
set -u
cd "${TOP:-$(dirname "$0")/../..}"
top=$PWD
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# mk TREE FILE INCLUDE...: FILE in TREE with one #include "..." per argument.
mk() {
    local tree=$1 f=$2
    shift 2
    mkdir -p "$(dirname "$tree/$f")"
    : > "$tree/$f"
    for i in "$@"; do printf '#include "%s"\n' "$i" >> "$tree/$f"; done
}

# The clean tree: every include points down or sideways, in both spellings
# ("layer/x.h" and bare names), plus an include of a generated header.
c=$t/clean
mk $c include/vm.h
mk $c include/bh_util.h
mk $c include/babyasm.h bh_util.h
mk $c common/util.c bh_util.h
mk $c asm/asm_int.h babyasm.h
mk $c asm/pass.c asm_int.h bh_util.h
mk $c asm/lexer.re asm_int.h parser.h
mk $c vm/dev/dev.h bh_util.h
mk $c vm/dev/dev.c dev.h
mk $c vm/dev/console.h dev/dev.h
mk $c vm/mem/mem.h vm.h dev/dev.h
mk $c vm/mem/mem.c mem/mem.h
mk $c vm/core/cpu.h
mk $c vm/core/cpu.c core/cpu.h mem/mem.h
mk $c vm/machine/vm_internal.h dev/dev.h mem/mem.h core/cpu.h
mk $c vm/machine/vm.c vm_internal.h
mk $c vm/machine/config.h
mk $c vm/state/snapshot.h vm.h
mk $c vm/state/snapshot.c state/snapshot.h machine/config.h
mk $c vm/host/monitor.h vm.h
mk $c vm/host/monitor.c monitor.h state/snapshot.h babyasm.h
mk $c vm/host/sched.h
mk $c vm/host/sched.c sched.h monitor.h

out=$(python3 "$top/tests/layers.py" "$c") || fail "clean tree rejected: $out"
[ "$out" = "layers: 23 files, 27 includes, no circle, no upward include" ] ||
    fail "clean tree: summary is '$out'"

# bad NAME EXPECTED FILE INCLUDE...: the clean tree with FILE given these
# includes must fail, and a line of the report must match EXPECTED.
bad() {
    local name=$1 want=$2 f=$3
    shift 3
    local b=$t/$name
    cp -r "$c" "$b"
    mk "$b" "$f" "$@"
    out=$(python3 "$top/tests/layers.py" "$b")
    local rc=$?
    [ $rc -eq 1 ] || fail "$name: exit $rc, want 1: $out"
    grep -Eq -- "$want" <<<"$out" || fail "$name: no line matching '$want' in: $out"
}

bad circle '^vm/host/monitor.h:2: include circle: vm/host/monitor -> vm/host/sched -> vm/host/monitor$' \
    vm/host/monitor.h vm.h sched.h
bad core_up '^vm/core/cpu.c:3: upward include: vm/core/cpu.c \(vm/core, 2\) -> vm/machine/config.h \(vm/machine, 3\)$' \
    vm/core/cpu.c core/cpu.h mem/mem.h machine/config.h
bad dev_core '^vm/dev/dev.c:2: device contract: a device may include only vm/dev/dev.h, common/ and include/, not vm/core/cpu.h$' \
    vm/dev/dev.c dev.h core/cpu.h
bad private '^vm/state/snapshot.c:2: private header: vm/machine/vm_internal.h is private to vm/machine/$' \
    vm/state/snapshot.c state/snapshot.h machine/vm_internal.h
bad core_dev '^vm/core/cpu.c:2: sibling rule: vm/core may not include vm/dev' \
    vm/core/cpu.c core/cpu.h dev/dev.h
bad mem_core '^vm/mem/mem.c:2: sibling rule: vm/mem may include neither vm/core nor a device' \
    vm/mem/mem.c mem/mem.h core/cpu.h
bad mem_dev '^vm/mem/mem.c:2: sibling rule: vm/mem may include neither vm/core nor a device \(only vm/dev/dev.h\): vm/dev/console.h' \
    vm/mem/mem.c mem/mem.h dev/console.h
bad asm_vm '^asm/pass.c:2: program boundary: asm/ may not include anything in vm/ \(vm/host/monitor.h\)' \
    asm/pass.c asm_int.h host/monitor.h
bad vm_asm '^vm/host/sched.c:2: program boundary: vm/ may not include anything in asm/ \(asm/asm_int.h\)' \
    vm/host/sched.c sched.h asm_int.h
bad common_up '^common/util.c:2: upward include: common/util.c \(common, 1\) -> vm/mem/mem.h' \
    common/util.c bh_util.h mem/mem.h
bad unresolved '^vm/host/sched.c:2: unresolved include: "nosuch.h"' \
    vm/host/sched.c sched.h nosuch.h
bad no_layer '^vm/misc/x.c:1: unknown layer' vm/misc/x.c

# --objects: the same rules on calls, read with nm from objects of small C
# files (cc -c), named as the Makefile names them (BUILD/vm/<layer>/x.o).
if command -v cc >/dev/null && command -v nm >/dev/null; then
    # obj TREE FILE CODE: FILE's source in TREE, compiled to TREE/build.
    obj() {
        mkdir -p "$(dirname "$1/$2")" "$(dirname "$1/build/${2%.c}.o")"
        printf '%s\n' "$3" > "$1/$2"
        cc -c -o "$1/build/${2%.c}.o" "$1/$2" || fail "cc $2"
    }
    o=$t/objects
    cp -r "$c" "$o"
    obj $o vm/mem/mem.c 'int mem_read(int a) { return a; }'
    obj $o vm/core/cpu.c 'int mem_read(int); int cpu_run(int n) { return mem_read(n); }'
    obj $o vm/machine/vm.c 'int cpu_run(int); int vm_run(void) { return cpu_run(1); }'
    out=$(python3 "$top/tests/layers.py" "$o" --objects "$o/build") || fail "clean objects: $out"
    grep -q '; 3 objects, 2 calls, no call circle, no upward call$' <<<"$out" ||
        fail "clean objects: summary is '$out'"
    obj $o vm/core/cpu.c 'int mem_read(int); int vm_run(void);
int cpu_run(int n) { return n ? mem_read(n) : vm_run(); }'
    out=$(python3 "$top/tests/layers.py" "$o" --objects "$o/build") && fail "upward call passed"
    grep -q '^vm/core/cpu.c: upward call: vm/core/cpu.c (vm/core, 2) -> vm/machine/vm.c (vm/machine, 3) (vm_run)$' <<<"$out" ||
        fail "upward call not reported: $out"
    grep -q '^vm/core/cpu.c: call circle: vm/core/cpu -> vm/machine/vm -> vm/core/cpu (vm_run)$' <<<"$out" ||
        fail "call circle not reported: $out"
else
    echo "layers: no cc or nm here, the --objects self-test is skipped"
fi
echo "layers: self-tests passed"

python3 "$top/tests/layers.py" "$top" --objects "$top/${BUILD:-build}" || fail "the tree breaks the layer rules"
exit 0
