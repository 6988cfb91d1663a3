#!/usr/bin/env bash
# migrate_slowloris.sh -- a destination that cannot be held: a client that
# connects and trickles a byte every 0.5 s (the magic, then zeroes) sits on
# the destination when a real source arrives; the real migration must
# succeed, and the destination say it dropped the slow one.  With and
# without a key.  Loopback only; the trickler stops by itself (60 bytes).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
. "$TOP/tests/e2e/migrate/lib.sh"
P=$TOP/tests/e2e/migrate
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
"$MYVMM" --gen-psk k || bad "--gen-psk"
# compute.s at 1.1 G instructions: the source must not end before the
# destination, which first drops the slow client, took the VM
compute_n 100000000 compute100.s || bad "could not make compute100.s"
timeout 60 "$MYVMM" --final-hash compute100.s >ref.out 2>ref.err

# trickle PORT READY: connect, then one byte every 0.5 s; READY is written
# once the first byte went (the destination has accepted the connection).
trickle() {
    python3 - "$1" "$2" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
data = b"\x7fBHMIG\r\n" + bytes(52)
for i, b in enumerate(data):
    try:
        s.send(bytes([b]))
    except OSError:
        break  # dropped: what we expect
    if i == 0:
        open(sys.argv[2], "w").close()
    time.sleep(0.5)
PY
}

for keyed in no yes; do
    key=()
    [ $keyed = yes ] && key=(--migrate-psk k)
    rm -f ready
    start_dest dst.out dst.err --final-hash "${key[@]}" || { bad "$keyed: no destination"; continue; }
    trickle "$DPORT" ready &
    TPID=$!
    for _ in $(seq 1 100); do [ -e ready ] && break; sleep 0.05; done
    sleep 1.5 # the trickler has been pending for a while now
    t0=$(date +%s)
    timeout 60 "$MYVMM" --final-hash --migrate "tcp:127.0.0.1:$DPORT" --migrate-after 1000000 \
        "${key[@]}" compute100.s >src.out 2>src.err || bad "key $keyed: source exit $?"
    grep -q "migrated to" src.err || { kill "$DPID" 2>/dev/null; bad "key $keyed: not migrated: $(grep migrate src.err | tail -n 2)"; }
    wait_dest || bad "key $keyed: destination exit $?"
    cat src.out dst.out | cmp -s - ref.out || bad "key $keyed: output differs"
    grep -q "dropped: another connection arrived while this one" dst.err ||
        bad "key $keyed: the slow client was not dropped: $(cat dst.err)"
    kill "$TPID" 2>/dev/null; wait "$TPID" 2>/dev/null
    echo "key $keyed: the source finished in $(($(date +%s) - t0)) s"
done
[ $fail -eq 0 ] && echo "migrate_slowloris: all passed" || echo "migrate_slowloris: $fail failed"
[ $fail -eq 0 ]
