#!/usr/bin/env bash
# net_migrate.sh -- a VM with a network card survives live migration
# (docs/network.md, "Migration"): process A runs ping and pong on lan0,
# process B waits with --incoming and a --net-link to A's lan0; pong
# migrates to B mid-run.  Ping's exchanges come back in order, each
# number once; pong keeps its MAC on B's lan0 (B's MAC table has it on
# pong's port, A's behind the link, after pong's announce); and every
# frame lost at the switch-over is counted: ping's resends are exactly
# its late answers plus the frames dropped on both sides (--stats).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
. "$TOP/tests/e2e/migrate/lib.sh"
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
N=${NET_MIGRATE_COUNT:-1500}
sed "s/li	\$s1, 2000		# COUNT/li	\$s1, $N		# COUNT/" "$TOP/samples/net/seqping.s" >seqping.s
grep -q "li	\$s1, $N	" seqping.s || bad "could not set the count"
printf 'vm_binary = seqping.s\nvm_name = ping\nvm_net = lan0\nvm_mac = 02:00:00:00:00:01\n' >ping.cfg
printf 'vm_binary = %s\nvm_name = pong\nvm_net = lan0\nvm_mac = 02:00:00:00:00:02\n' \
    "$TOP/samples/net/seqpong.s" >pong.cfg

# B: the destination, its lan0 waiting for A's link
start_dest b.out b.err --stats --net-link lan0=listen:tcp:127.0.0.1:0 --pcap lan0=b.pcap || exit 1
LPORT=
for _ in $(seq 1 100); do
    LPORT=$(sed -n 's/^myvmm: lan0: waiting for a link on tcp:127.0.0.1:0 (port \([0-9]*\))$/\1/p' b.err)
    [ -n "$LPORT" ] && break
    sleep 0.05
done
[ -n "$LPORT" ] || { bad "B's link does not wait: $(cat b.err)"; exit 1; }
# A: ping and pong; pong leaves after 40 M instructions: at exchange 400
# at the latest (each costs pong 100,000 instructions of work), of 1500
timeout 60 "$MYVMM" -j 2 --stats --net-link "lan0=tcp:127.0.0.1:$LPORT" \
    --migrate "pong=tcp:127.0.0.1:$DPORT" --migrate-after 40000000 \
    -v ping.cfg -v pong.cfg >a.out 2>a.err
rc=$?
grep -q "summary: handed over" a.err || kill "$DPID" 2>/dev/null
wait_dest
drc=$?
[ $rc -eq 0 ] || bad "A exit $rc: $(grep -v '^\[' a.err | tail -n 5)"
[ $drc -eq 0 ] || bad "B exit $drc: $(grep -v '^\[' b.err | tail -n 5)"
grep -q "myvmm: pong: migrated to" a.err || bad "pong did not migrate: $(grep -v '^\[' a.err)"
grep -q "summary: VM received and running here" b.err || bad "B did not take pong: $(cat b.err)"

# ping: every number once, in order
grep '^ping | ping [0-9]*$' a.out | sed 's/^ping | ping //' >seq.txt
seq 1 "$N" | cmp -s - seq.txt || bad "ping's numbers are not 1..$N once each: $(seq 1 "$N" | diff - seq.txt | head -n 5)"
line=$(sed -n 's/^ping | ping: done, \([0-9]*\) resends, \([0-9]*\) late answers$/\1 \2/p' a.out)
[ -n "$line" ] || bad "no summary from ping: $(tail -n 3 a.out)"
read -r resends late <<<"${line:-0 0}"
# pong answered on both sides, its numbers once each, and ended on ping's bye
cat a.out b.out | sed -n 's/^\(pong | \)\{0,1\}pong \([0-9]*\)$/\2/p' >pong.txt
seq 1 "$N" | cmp -s - pong.txt || bad "pong's numbers across A and B are not 1..$N: $(seq 1 "$N" | diff - pong.txt | head -n 5)"
[ -s b.out ] && grep -q '^pong: bye$' b.out || bad "pong did not end on B with ping's bye: $(tail -n 2 b.out)"
grep -q '^pong [0-9]' b.out || bad "pong answered nothing on B"

# where pong's MAC is: on B's pong port; on A, behind the link
grep -q '^\[lan0\]   02:00:00:00:00:02 -> pong$' b.err || bad "B's switch has not pong's MAC on pong's port: $(grep '^\[lan0\]' b.err)"
grep -q '^\[lan0\]   02:00:00:00:00:02 -> link ' a.err || bad "A's switch has not learnt that pong's MAC moved behind the link: $(grep '^\[lan0\]' a.err)"
grep -q '^\[lan0\] port pong: .*' a.err || bad "A's pong port is not in --stats"

# B announced pong once, as QEMU does: a broadcast RARP from its MAC
if command -v tcpdump >/dev/null; then
    tcpdump -r b.pcap -e -n 'ether proto 0x8035' 2>/dev/null >rarp.txt
    [ "$(wc -l <rarp.txt)" -eq 1 ] && grep -q '02:00:00:00:00:02 > ff:ff:ff:ff:ff:ff, ethertype Reverse ARP (0x8035), length 60: Reverse Request who-is 02:00:00:00:00:02 tell 02:00:00:00:00:02' rarp.txt ||
        bad "B's capture: not one RARP announce from pong: $(cat rarp.txt)"
fi

# every lost frame is counted: resends = late answers + drops (A and B)
drops=$(cat a.err b.err | sed -n 's/^\[lan0\] port .*, \([0-9]*\) dropped$/\1/p' | paste -sd+ | bc)
[ -n "$drops" ] || bad "no port counts in --stats"
[ "$resends" -eq $((late + ${drops:-0})) ] ||
    bad "ping resent $resends frames; late answers $late + dropped ${drops:-?} do not add up: $(grep '^\[lan0\] port' a.err b.err)"
# --net with --incoming: the arriving card keeps its LAN
"$MYVMM" --incoming tcp:127.0.0.1:0 --net lan0 >/dev/null 2>err
[ $? -eq 2 ] && grep -q "no --net with it" err || bad "--incoming --net: $(cat err)"

echo "net_migrate: $N exchanges, $resends resends = $late late + ${drops:-?} dropped ($(sed -n "s/.*summary: handed over to the destination; //p" a.err | head -n 1))"
echo "net_migrate: $fail failures"
[ $fail -eq 0 ]
