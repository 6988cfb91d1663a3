#!/usr/bin/env bash
# devices.sh -- the device bus, the rtc and the interval timer, end to end:
# samples/clock.s's ticks fall every period of virtual time; --trace-exits
# shows each register access (console bytes with their characters) and
# each expiration on the budget exit at its deadline; --stats counts the
# accesses by device as the trace shows them; a refused access is a bus
# error; the timer's state survives a snapshot and a loopback migration
# (the resumed run prints what the uninterrupted one does); the bare
# machine has the same devices at kseg1 0xbfff0300.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
. "$TOP/tests/e2e/migrate/lib.sh"
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
CLOCK=$TOP/samples/clock.s

# 1. The sample: tick k at k periods (100 us) after the start.
"$MYVMM" -v "$CLOCK" >ref.out 2>ref.err || bad "clock.s: exit $?: $(cat ref.err)"
: >want.out
for k in 1 2 3 4 5; do echo "tick $k at +$((k * 100)) us" >>want.out; done
cmp -s ref.out want.out || bad "clock.s output: $(diff ref.out want.out | head -n 4)"

# 2. --trace-exits: the expirations, at the deadline the enabling write set
# (one instruction is one virtual ns: 100 us = 100000 instructions), and
# within the poll loop's two instructions of it.
"$MYVMM" --trace-exits --stats -v "$CLOCK" >/dev/null 2>trace || bad "trace run: $(tail -n 2 trace)"
n_exp=$(grep -c 'exit budget .*interval timer expired (1)' trace)
[ "$n_exp" = 5 ] || bad "$n_exp expirations traced, the program waits for 5"
en=$(sed -n 's/.*mmio write timer.ctrl = 0x1 .* after \([0-9]*\) instructions/\1/p' trace)
first=$(grep -m1 'interval timer expired' trace | sed -n 's/.* after \([0-9]*\) instructions.*/\1/p')
if [ -z "$en" ] || [ -z "$first" ]; then
    bad "no enabling write or no expiration in the trace: $(head -n 5 trace)"
elif [ $((first - en)) -lt 100000 ] || [ $((first - en)) -gt 100002 ]; then
    bad "first expiration after $first instructions, the timer was enabled after $en"
fi
grep -q '^\[vm1\] mmio read rtc.time_lo = 0x[0-9a-f]* at 0x[0-9a-f]* (main+16) after ' trace ||
    bad "no rtc read traced at main+16 (after two li): $(grep -m2 mmio trace)"
# --stats counts what the trace shows, by device
tr=$(grep -c 'mmio read timer\.' trace)
tw=$(grep -c 'mmio write timer\.' trace)
rr=$(grep -c 'mmio read rtc\.' trace)
[ "$tw" = 8 ] || bad "$tw timer writes traced (period, enable, 5 acknowledgements, stop)"
[ "$rr" = 6 ] || bad "$rr rtc reads traced (the start and 5 ticks)"
grep -q "^\[vm1\] mmio: $((tr + tw + rr)) device accesses (rtc $rr reads, 0 writes; timer $tr reads, $tw writes)$" trace ||
    bad "--stats mmio line: $(grep 'mmio:' trace), the trace shows rtc $rr, timer $tr/$tw"

# 3. The console's registers, by name, with the characters written; a
# byte store; a refused access (a half-word read of the timer).
cat >con.s <<'S'
        .text
main:   li $t0, 0xffff0000
        li $t1, 'H'
        sw $t1, 12($t0)
        li $t1, 'i'
        sb $t1, 12($t0)
        li $t1, 10
        sw $t1, 12($t0)
        lw $t2, 8($t0)
        lh $t2, 0x310($t0)
S
"$MYVMM" --trace-exits --stats -v con.s >con.out 2>con.err && bad "the half-word timer read did not stop the VM"
[ "$(cat con.out)" = "Hi" ] || bad "console output '$(cat con.out)'"
grep -q "mmio write console.tx_data = 0x48 'H' at 0x[0-9a-f]* (main+8) after " con.err || bad "no 'H' store traced: $(cat con.err)"
grep -q "mmio write console.tx_data (byte) = 0x69 'i'" con.err || bad "no byte store traced"
grep -q "mmio write console.tx_data = 0xa at" con.err || bad "the newline is not shown as 0xa"
grep -q "mmio read console.tx_ctrl = 0x1 at" con.err || bad "transmitter control read not traced (ready bit)"
grep -q "mmio read timer.period (half): bus error" con.err || bad "the refused read is not traced as a bus error: $(grep timer con.err)"
grep -q "mmio: 5 device accesses (console 1 read, 3 writes; timer 1 read, 0 writes)" con.err ||
    bad "--stats: $(grep 'mmio:' con.err)"

# 4. A snapshot between expirations: the restored VM prints the rest.
"$MYVMM" --snapshot-every 250000 -v "$CLOCK" >snap.out 2>snap.err || bad "snapshot run: $(cat snap.err)"
snap=$(ls -t ./*.snap* 2>/dev/null | tail -n 1)
if [ -z "$snap" ]; then
    bad "no snapshot written: $(ls)"
else
    "$MYVMM" --snapshot-info "$snap" >info 2>&1 || bad "--snapshot-info: $(cat info)"
    grep -Eq '^  CLOCK +v1 +32 bytes' info || bad "--snapshot-info has no CLOCK section: $(cat info)"
    n=$(sed -n 's/^instructions: //p' info)
    done_ticks=$(( (n - 20) / 100000 ))
    "$MYVMM" -v "$CLOCK" -s "$snap" >rest.out 2>rest.err || bad "restore: $(cat rest.err)"
    tail -n $((5 - done_ticks)) ref.out >want_rest
    cmp -s rest.out want_rest || bad "restored at $n instructions: $(diff rest.out want_rest | head -n 4)"
fi

# 5. A loopback migration while the timer runs: 30 expirations of 1 ms
# (30 million instructions, long enough for the migration to connect).
sed -e 's/li   \$t0, 100$/li   $t0, 1000/' -e 's/blt  \$s3, 5, poll/blt  $s3, 30, poll/' "$CLOCK" >long.s
"$MYVMM" -v long.s >long.out 2>long.err || bad "long.s: $(cat long.err)"
[ "$(wc -l <long.out)" = 30 ] && [ "$(tail -n 1 long.out)" = "tick 30 at +30000 us" ] ||
    bad "long.s output: $(tail -n 2 long.out)"
start_dest dst.out dst.err --final-hash || bad "no destination"
timeout 60 "$MYVMM" --final-hash --migrate "tcp:127.0.0.1:$DPORT" --migrate-after 5000000 \
    -v long.s >src.out 2>src.err || bad "migration source: $(tail -n 3 src.err)"
grep -q "summary: handed over" src.err || { bad "the source did not hand over: $(tail -n 3 src.err)"; kill "$DPID" 2>/dev/null; }
wait_dest || bad "destination: $(tail -n 3 dst.err)"
cat src.out dst.out >both.out
cmp -s both.out long.out || bad "migrated output: $(diff both.out long.out | head -n 4)"
[ -s dst.out ] || bad "the destination printed nothing"

# 6. The bare machine: the rtc at kseg1 0xbfff0300; the board powers off
# with the low byte of the microseconds since 2024-01-01 minus the start.
cat >bare.s <<'S'
        .ktext
__start: li $t0, 0xbfff0300
        lw $t1, 0($t0)
        lw $t2, 4($t0)
        li $t3, 0xbfff0100
        andi $t1, $t1, 0x7f
        sw $t1, 0($t3)
S
"$MYVMM" --machine bare --trace-exits -v bare.s 2>bare.err
rc=$?
grep -q "mmio read rtc.time_hi = 0x0 " bare.err && bad "time_hi is 0: the rtc counts from 1970"
grep -q "mmio write board.power = 0x$(printf %x $rc) at" bare.err || bad "bare machine: status $rc: $(cat bare.err)"

[ $fail = 0 ] && echo "devices: ok" || echo "devices: $fail failure(s)"
exit $fail
