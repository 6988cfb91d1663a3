#!/usr/bin/env bash
# migrate_netns.sh -- source and destination as two hosts: two network
# namespaces joined by a veth pair, 10.200.0.1/24 and 10.200.0.2/24 set
# INSIDE the namespaces only (nothing changes on the host's own network).
# The destination listens on 10.200.0.2, the source sends from 10.200.0.1.
# Skipped (77) where namespaces cannot be created (no root, no ip, a
# sandbox); the namespaces are removed whatever happens.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
command -v ip >/dev/null || { echo "skipped: the ip command (iproute2) is not installed"; exit 77; }
. "$TOP/tests/e2e/migrate/lib.sh"
P=$TOP/tests/e2e/migrate
A=bhmigA$$ B=bhmigB$$
tmp=$(mktemp -d)
cleanup() {
    kill $(jobs -p) 2>/dev/null
    ip netns del "$A" 2>/dev/null
    ip netns del "$B" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
if ! ip netns add "$A" 2>/dev/null || ! ip netns add "$B" 2>/dev/null; then
    echo "skipped: cannot create network namespaces here (needs root and CAP_SYS_ADMIN)"
    exit 77
fi
if ! ip -n "$A" link add vA type veth peer name vB netns "$B" 2>/dev/null; then
    echo "skipped: cannot create a veth pair between namespaces"
    exit 77
fi
ip -n "$A" addr add 10.200.0.1/24 dev vA && ip -n "$B" addr add 10.200.0.2/24 dev vB &&
    ip -n "$A" link set vA up && ip -n "$B" link set vB up &&
    ip -n "$A" link set lo up && ip -n "$B" link set lo up ||
    { echo "FAIL: could not configure the veth pair"; exit 1; }
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# the writer at 500 M instructions: its rounds converge before it ends,
# on a loaded machine too (at 151 M it once ended mid-migration)
sed 's/li    \$t3, 12$/li    $t3, 40/' "$P/writer.s" >writer40.s
timeout 60 "$MYVMM" --final-hash writer40.s >ref.out 2>ref.err
# off loopback a key is needed (or --insecure): as a user would run it
ip netns exec "$B" "$MYVMM" --incoming tcp:10.200.0.2:4455 2>nokey.err &&
    bad "a keyless destination listened on 10.200.0.2"
grep -q "not a loopback address, and there is no key" nokey.err || bad "no key: $(cat nokey.err)"
"$MYVMM" --gen-psk mig.key || bad "--gen-psk failed"
ip netns exec "$B" "$MYVMM" --incoming tcp:10.200.0.2:4455 --migrate-psk mig.key --final-hash \
    >dst.out 2>dst.err &
dpid=$!
for _ in $(seq 1 100); do grep -q "waiting for a VM" dst.err 2>/dev/null && break; sleep 0.05; done
timeout 60 ip netns exec "$A" "$MYVMM" --final-hash --migrate tcp:10.200.0.2:4455 \
    --migrate-psk mig.key --migrate-after 40000000 writer40.s >src.out 2>src.err || bad "source exit $?: $(tail -n 3 src.err)"
grep -q "summary: handed over" src.err || { kill $dpid 2>/dev/null; bad "no hand-over: $(cat src.err)"; }
wait $dpid || bad "destination exit $?: $(tail -n 3 dst.err)"
cat src.out dst.out | cmp -s - ref.out || bad "output differs from the unmigrated run"
[ "$(final_hash dst.err)" = "$(final_hash ref.err)" ] || bad "final hash differs"
grep "summary" src.err dst.err
echo "migrate_netns: $fail failures"
[ $fail -eq 0 ]
