#!/usr/bin/env bash
# migrate_faults.sh -- faults during a migration between two real myvmm
# processes: a proxy flips one byte or cuts the connection at chosen
# offsets of either direction (the last bytes, where END, CONFIRM, GO and
# ACK travel, get their share), and the destination is killed at random
# moments.  Every time exactly one VM goes on, and the output and final
# state are the unmigrated run's.  (tests/check_migrate.c runs 130 more
# such cases in one process.)  MIGRATE_FAULT_CASES=N sets the count.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed for the fault proxy"; exit 77; }
. "$TOP/tests/e2e/migrate/lib.sh"
P=$TOP/tests/e2e/migrate
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
N=${MIGRATE_FAULT_CASES:-24}
sed 's/li    \$s1, 3000000/li    $s1, 30000000/' "$P/compute.s" >prog.s
timeout 60 "$MYVMM" --final-hash prog.s >ref.out 2>ref.err || { echo "reference run failed"; exit 1; }
ref_hash=$(final_hash ref.err)

# one NAME MODE OFFSET: a migration through the proxy; checks one copy
one() {
    local name=$1 mode=$2 off=$3
    rm -f port port.counts
    start_dest dst.out dst.err --final-hash || { bad "$name: no destination"; return; }
    python3 "$P/proxy.py" port "$DPORT" "$mode" "$off" &
    local ppid=$!
    for _ in $(seq 1 100); do [ -s port ] && break; sleep 0.05; done
    timeout 60 "$MYVMM" --final-hash --migrate "tcp:127.0.0.1:$(cat port)" --migrate-after 20000000 \
        prog.s >src.out 2>src.err
    local rc=$?
    if grep -q "summary: handed over" src.err; then
        wait_dest || bad "$name: destination exit $?: $(tail -n 2 dst.err)"
        cat src.out dst.out >both.out
        [ "$(final_hash dst.err)" = "$ref_hash" ] || bad "$name: destination final hash differs"
        [ -z "$(final_hash src.err)" ] || bad "$name: the source ran the VM to its end too"
        moved=$((moved + 1))
    else
        sleep 0.2 # a destination that took the VM would be running by now
        grep -q "running here" dst.err && bad "$name: source kept the VM and the destination runs it too"
        kill "$DPID" 2>/dev/null
        wait "$DPID" 2>/dev/null
        cp src.out both.out
        [ "$(final_hash src.err)" = "$ref_hash" ] || bad "$name: source final hash differs: $(tail -n 3 src.err)"
        kept=$((kept + 1))
    fi
    [ $rc -eq 0 ] || bad "$name: source exit $rc"
    cmp -s both.out ref.out || bad "$name: output differs from the unmigrated run"
    kill $ppid 2>/dev/null
    wait $ppid 2>/dev/null
}
moved=0 kept=0
# a clean run through the proxy gives the stream lengths
one clean flip 999999999999
read -r s2d d2s <port.counts
[ "${s2d:-0}" -gt 1000 ] || { echo "no stream length ($s2d)"; exit 1; }
echo "clean: $s2d bytes source->destination, $d2s back"
RANDOM=7
for i in $(seq 1 "$N"); do
    case $((i % 4)) in
        0) mode=flip; span=$s2d;;
        1) mode=cut; span=$s2d;;
        2) mode=rflip; span=$d2s;;
        3) mode=rcut; span=$d2s;;
    esac
    if [ $((i % 3)) -eq 0 ]; then off=$((span - 1 - RANDOM % 48)); else off=$(( (RANDOM * 32768 + RANDOM) % span )); fi
    [ $off -lt 0 ] && off=0
    one "$mode@$off" $mode $off
done
# the destination killed at random moments during a throttled migration
for i in 1 2 3 4 5 6; do
    start_dest dst.out dst.err --final-hash || continue
    timeout 60 "$MYVMM" --final-hash --migrate "tcp:127.0.0.1:$DPORT" --migrate-after 20000000 \
        --max-bandwidth 20M prog.s >src.out 2>src.err &
    spid=$!
    sleep "0.$((RANDOM % 9 + 1))"
    kill -9 "$DPID" 2>/dev/null
    wait "$DPID" 2>/dev/null
    wait $spid || bad "kill $i: source exit $?"
    if grep -q "summary: handed over" src.err; then
        # it was the destination's when it died: allowed, nothing runs twice
        [ -z "$(final_hash src.err)" ] || bad "kill $i: both ran"
    else
        cmp -s src.out ref.out || bad "kill $i: the source's output differs"
        [ "$(final_hash src.err)" = "$ref_hash" ] || bad "kill $i: source final hash differs"
        kept=$((kept + 1))
    fi
done
echo "migrate_faults: $((N + 7)) runs, $moved moved, $kept kept on the source, $fail failures"
[ $fail -eq 0 ]
