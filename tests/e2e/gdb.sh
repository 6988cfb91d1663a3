#!/usr/bin/env bash
# gdb.sh -- the gdb stub (--gdb, docs/debugging.md) driven by the real
# gdb-multiarch in batch mode: a breakpoint at a label's address,
# registers and memory read and written (the program prints what gdb
# wrote), stepi, a watchpoint that fires (old and new value), Ctrl-C on
# a looping VM (gdb's interrupt from a timer), two VMs as two threads,
# a fault stopped as SIGSEGV, kill, a Unix socket, labels and source
# lines from babyasm --elf (break main, break FILE:LINE, list); then misbehaving
# clients on a raw socket (a packet split byte by byte, a bad checksum,
# garbage, a huge packet, a disconnect mid-packet, a second client),
# after each of which the VM runs on and ends with the right output.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
BABYASM=${BABYASM:-$TOP/build/babyasm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
command -v gdb-multiarch >/dev/null || { echo "gdb-multiarch is not installed (.ci/install-deps installs it)"; exit 1; }
tmp=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
has() { grep -qF -- "$2" "$3" || bad "$1: no '$2' in: $(cat "$3")"; }

SUM=$TOP/samples/gdb/sum.s
"$BABYASM" -l "$SUM" -o sum.bin >sum.lst || bad "babyasm sum.s"
# addr LABEL: the label's address from the listing
addr() { awk -v l="$1:" '$2 == l || $3 == l { print $1; exit }' sum.lst; }
LOOP=$(addr loop) DONE=$(addr done) TOTAL=$(addr total)
[ -n "$LOOP" ] && [ -n "$DONE" ] && [ -n "$TOTAL" ] || bad "labels not found in the listing"
STORE=$(printf '0x%08x' $((DONE + 4))) # sw after the lui of its address

# start NAME ARGS...: myvmm with the stub on a free port, waiting for gdb;
# sets PORT (or SOCK for unix:) and PID
start() {
    local name=$1
    shift
    "$MYVMM" "$@" >"$name.out" 2>"$name.err" &
    PID=$!
    pids+=("$PID")
    for _ in $(seq 100); do grep -q "listening on" "$name.err" && break; sleep 0.05; done
    PORT=$(sed -n 's/.*listening on tcp:127.0.0.1:\([0-9]*\).*/\1/p' "$name.err")
}
# gdbrun NAME TARGET CMDS...: gdb-multiarch batch against the stub
gdbrun() {
    local name=$1 target=$2
    shift 2
    local args=()
    for c in "$@"; do args+=(-ex "$c"); done
    timeout 60 gdb-multiarch -nx -batch -ex "set architecture mips" -ex "target remote $target" \
        "${args[@]}" >"$name.gdb" 2>&1
}
# finish NAME STATUS: myvmm ends with that status
finish() {
    local st=0
    for _ in $(seq 200); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$PID" 2>/dev/null && bad "$1: myvmm did not end"
    wait "$PID" || st=$?
    [ "$st" = "$2" ] || bad "$1: myvmm exit $st, wanted $2: $(cat "$1.err")"
}

# 1. A breakpoint, registers, memory, stepi; gdb changes the sum.
start brk --gdb tcp:127.0.0.1:0 --gdb-wait "$SUM"
[ -n "$PORT" ] || bad "brk: no port in: $(cat brk.err)"
gdbrun brk ":$PORT" "break *$STORE" "continue" "p \$t0" "p \$t1" "p/x \$pc" \
    "p *(int *)$TOTAL" "set \$t1 = 1234" "stepi" "p/x \$pc" "p *(int *)$TOTAL" \
    "set var *(int *)$TOTAL = 4321" "p \$sr" "delete" "continue"
finish brk 0
has brk "Breakpoint 1, $(printf '0x%08x' $((STORE)))" brk.gdb
has brk '$1 = 10' brk.gdb
has brk '$2 = 55' brk.gdb
has brk "\$3 = $(printf '0x%x' $((STORE)))" brk.gdb
has brk '$4 = 0' brk.gdb
has brk "\$5 = $(printf '0x%x' $((STORE + 4)))" brk.gdb
has brk '$6 = 1234' brk.gdb
has brk '$7 = ' brk.gdb
has brk '[Inferior 1 (Remote target) exited normally]' brk.gdb
[ "$(cat brk.out)" = "sum = 4321" ] || bad "brk: the program printed $(cat brk.out), not gdb's 4321"
has brk "client connected" brk.err

# 2. A watchpoint on total fires at the store, with old and new value.
start watch --gdb tcp:127.0.0.1:0 --gdb-wait "$SUM"
gdbrun watch ":$PORT" "watch *(int *)$TOTAL" "continue" "p/x \$pc" "p \$t1" "continue"
finish watch 0
has watch "Hardware watchpoint 1: *(int *)$TOTAL" watch.gdb
has watch "Old value = 0" watch.gdb
has watch "New value = 55" watch.gdb
has watch "\$1 = $(printf '0x%x' $((STORE + 4)))" watch.gdb
[ "$(cat watch.out)" = "sum = 55" ] || bad "watch: output $(cat watch.out)"

# 3. Ctrl-C on two looping VMs: both are threads, both stop.
cat >spin.s <<'SRC'
        .text
main:   li $t0, 0
spin:   addiu $t0, $t0, 1
        j spin
SRC
cat >intr.gdb <<'SRC'
python
import threading
threading.Timer(0.5, lambda: gdb.post_event(lambda: gdb.execute("interrupt"))).start()
end
continue
info threads
p $t0 > 1000
thread 2
p $t0 > 1000
kill
SRC
start intr --gdb tcp:127.0.0.1:0 --gdb-wait -v spin.s -v spin.s
timeout 60 gdb-multiarch -nx -batch -ex "set architecture mips" -ex "target remote :$PORT" -x intr.gdb >intr.gdb.out 2>&1
finish intr 0
has intr "received signal SIGINT" intr.gdb.out
has intr "Thread 1 (vm1 (paused))" intr.gdb.out
has intr "Thread 2 (vm2 (paused))" intr.gdb.out
[ "$(grep -c '= 1$' intr.gdb.out)" = 2 ] || bad "intr: both VMs did not run: $(cat intr.gdb.out)"
has intr "killed by the client" intr.err

# 4. A fault stops as SIGSEGV at its instruction; continuing ends the VM.
cat >fault.s <<'SRC'
        .text
main:   li $t0, 3
        lw $t1, 0($zero)
        li $v0, 10
        syscall
SRC
start fault --gdb tcp:127.0.0.1:0 --gdb-wait fault.s
gdbrun fault ":$PORT" "continue" "p \$t0" "continue"
finish fault 3
has fault "received signal SIGSEGV" fault.gdb
has fault '$1 = 3' fault.gdb
has fault "exited with code 03" fault.gdb
has fault "address error on load" fault.err

# 5. A Unix socket, mode 0600, gone at the end.
start unix --gdb unix:"$tmp/g.sock" --gdb-wait "$SUM"
[ "$(stat -c %a g.sock 2>/dev/null)" = 600 ] || bad "unix: g.sock is not mode 600"
gdbrun unix "$tmp/g.sock" "p/x \$pc" "continue"
finish unix 0
has unix "exited normally" unix.gdb
[ ! -e g.sock ] || bad "unix: the socket file stayed"

# 7. With babyasm's ELF file: labels, source lines, list.
"$BABYASM" --elf "$SUM" -o sum.elf || bad "babyasm --elf"
start elf --gdb tcp:127.0.0.1:0 --gdb-wait "$SUM"
timeout 60 gdb-multiarch -nx -batch sum.elf -ex "target remote :$PORT" -ex "break main" \
    -ex "break sum.s:14" -ex "continue" -ex "continue" -ex "p \$t1" -ex "list 13,14" \
    -ex "stepi" -ex "info symbol \$pc" -ex "continue" >elf.gdb 2>&1
finish elf 0
has elf "Breakpoint 1 at $(addr main | sed 's/^0x00*/0x/'): file $SUM, line 9." elf.gdb
has elf "Breakpoint 1, main () at $SUM:9" elf.gdb
has elf "Breakpoint 2, done () at $SUM:14" elf.gdb
has elf '$1 = 55' elf.gdb
has elf "13	        blt \$t0, 10, loop" elf.gdb
has elf "done + 4 in section .text" elf.gdb
has elf "exited normally" elf.gdb

# 6. Misbehaving clients: each leaves the VM running; the next client works.
CLIENT=$TOP/tests/e2e/gdb/client.py
start raw --gdb tcp:127.0.0.1:0 -v spin.s
for c in split badsum garbage huge midpacket second; do
    timeout 30 python3 "$CLIENT" "$PORT" "$c" >"raw-$c.txt" 2>&1 || bad "client $c: $(cat "raw-$c.txt")"
done
# the VM still runs: a real gdb stops it (its counter went on) and ends it
# (its counter may have wrapped after seconds of running: not 0 is enough)
sed -e '/^thread 2/,/^p \$t0/d' -e 's/^p \$t0 > 1000/p $t0 != 0/' intr.gdb >intr1.gdb
timeout 60 gdb-multiarch -nx -batch -ex "set architecture mips" -ex "target remote :$PORT" -x intr1.gdb >raw.gdb 2>&1
finish raw 0
has raw "received signal SIGINT" raw.gdb
has raw '$1 = 1' raw.gdb
has split "stop: T05thread:1;" raw-split.txt
has midpacket "client disconnected: the VMs run on" raw.err
has split "qC: QC1" raw-split.txt
has badsum "ack: -" raw-badsum.txt
has badsum "qAttached: 1" raw-badsum.txt
has badsum "m0: E14" raw-badsum.txt
has badsum "mzz: E22" raw-badsum.txt
has garbage "client dropped: no packet in 65536 bytes" raw.err
has huge "client dropped: a packet longer than 16384 bytes" raw.err
has second "a second client refused" raw.err
has second "D: OK" raw-second.txt

[ $fail -eq 0 ] || exit 1
echo "summary: 7 sessions of gdb-multiarch and 6 misbehaving clients"
