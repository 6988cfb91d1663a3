#!/usr/bin/env bash
# net.sh -- the virtual network (docs/network.md): the ping-pong and the
# chat samples' output, on two threads and on one; the capture read back
# by tcpdump; --stats (ports, drops, the MAC table) and vm_mac; frames a
# card holds (ring and FIFO) across a snapshot and its restore; bad
# descriptors from a guest; --trace-exits naming the card's registers;
# the benchmark's guests at a small size; and the errors: a bad vm_mac,
# --net with two VMs, a bad --pcap, a
# --pcap for a LAN no VM is on, a restore without a card.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
S=$TOP/samples/net
N=$TOP/tests/e2e/net

# The ping-pong: each side's lines in order, on two threads and on one.
for j in 2 1; do
    "$MYVMM" -j $j -v "$S/ping.cfg" -v "$S/pong.cfg" >out 2>err || bad "ping-pong -j $j: $(cat err out)"
    want_ping="ping 1: pong 1 came back
ping 2: pong 2 came back
ping 3: pong 3 came back
ping 4: pong 4 came back
ping 5: pong 5 came back
ping: 5 exchanges"
    want_pong="pong 1
pong 2
pong 3
pong 4
pong 5
pong: 5 answered"
    [ "$(sed -n 's/^ping | //p' out)" = "$want_ping" ] || bad "ping-pong -j $j: ping said: $(cat out)"
    [ "$(sed -n 's/^pong | //p' out)" = "$want_pong" ] || bad "ping-pong -j $j: pong said: $(cat out)"
done

# The chat: each of three hears the six lines of the two others, in each
# speaker's order.
"$MYVMM" -j 2 -v "$S/alice.cfg" -v "$S/bob.cfg" -v "$S/carol.cfg" >out 2>err ||
    bad "chat: $(cat err out)"
for who in alice bob carol; do
    for other in alice bob carol; do
        [ $who = $other ] && continue
        got=$(sed -n "s/^$who | $who hears $other: //p" out)
        [ "$got" = "hello
is anyone there?
bye" ] || bad "chat: $who heard from $other: $got"
    done
    [ "$(grep -c "^$who | " out)" = 6 ] || bad "chat: $who: $(grep "^$who | " out)"
done

# The capture, read back by tcpdump: ten frames; the first ping is a
# broadcast, the rest unicast between the two MACs the switch learnt;
# timestamps of each sender's virtual clock, never decreasing.  A second
# run gives the same frames in the same order; their times may differ by
# a turn (a VM polls for the answer until its turn ends, and the length
# of a turn depends on the host's timing: docs/network.md).
if command -v tcpdump >/dev/null; then
    "$MYVMM" -j 1 --stats --pcap lan0=lan0.pcap -v "$S/ping.cfg" -v "$S/pong.cfg" >/dev/null 2>err ||
        bad "pcap: $(cat err)"
    tcpdump -r lan0.pcap -e -n 2>tcpdump.err >dump || bad "tcpdump -r: $(cat tcpdump.err)"
    grep -q "link-type EN10MB (Ethernet), snapshot length 65535" tcpdump.err ||
        bad "tcpdump: header: $(cat tcpdump.err)"
    grep -v '^[[:space:]]*0x' dump >frames
    [ "$(wc -l <frames)" = 10 ] || bad "pcap: $(wc -l <frames) frames: $(cat frames)"
    ping_mac=$(sed -n 's/^\[lan0\]   \(.*\) -> ping$/\1/p' err)
    pong_mac=$(sed -n 's/^\[lan0\]   \(.*\) -> pong$/\1/p' err)
    [ -n "$ping_mac" ] && [ -n "$pong_mac" ] || bad "stats: no MAC table: $(cat err)"
    head -n 1 frames | grep -q "^00:00:00.000000 $ping_mac > ff:ff:ff:ff:ff:ff, ethertype Unknown (0x88b5), length 60" ||
        bad "pcap: first frame: $(head -n 1 frames)"
    sed -n 2p frames | grep -q " $pong_mac > $ping_mac, ethertype Unknown (0x88b5), length 60" ||
        bad "pcap: second frame: $(sed -n 2p frames)"
    [ "$(grep -c " $ping_mac > $pong_mac, " frames)" = 4 ] || bad "pcap: unicast pings: $(cat frames)"
    for mac in "$ping_mac" "$pong_mac"; do
        grep " $mac > " frames | cut -d' ' -f1 | sort -c 2>/dev/null ||
            bad "pcap: $mac's times decrease: $(cat frames)"
    done
    tail -n 1 frames | grep -q "^00:00:00.00[0-9]\{4\} " || bad "pcap: virtual time: $(tail -n 1 frames)"
    tcpdump -r lan0.pcap -X -c 1 2>/dev/null | grep -q "0000 0100 0000 7069 6e67" ||
        bad "pcap: the first ping's bytes: $(tcpdump -r lan0.pcap -X -c 1 2>&1)"
    "$MYVMM" -j 1 --pcap lan0=again.pcap -v "$S/ping.cfg" -v "$S/pong.cfg" >/dev/null 2>&1
    untimed() { tcpdump -r "$1" -e -n -X 2>/dev/null | sed 's/^[0-9:.]* //'; }
    [ -n "$(untimed lan0.pcap)" ] && [ "$(untimed lan0.pcap)" = "$(untimed again.pcap)" ] ||
        bad "pcap: two runs differ: $(diff <(untimed lan0.pcap) <(untimed again.pcap))"
else
    bad "tcpdump is not installed (.ci/install-deps installs it)"
fi

# --stats: the ports and the MAC table; MACs from the names, stable,
# locally administered; vm_mac sets one.
"$MYVMM" -j 1 --stats -v "$S/ping.cfg" -v "$S/pong.cfg" >/dev/null 2>err
grep -q "^\[lan0\] port ping: in 5 frames (300 bytes), out 5 frames (300 bytes), 0 dropped" err ||
    bad "stats: port ping: $(grep lan0 err)"
grep -q "^\[lan0\] mac table: 2 entries" err || bad "stats: mac table: $(grep lan0 err)"
grep -q "^\[ping\] nic $ping_mac: 5 frames received (300 bytes), 5 sent (300 bytes, 0 without a link), 0 errors" err ||
    bad "stats: nic line: $(grep nic err)"
case $ping_mac in ?[2367abef]:*) ;; *) bad "MAC $ping_mac is not locally administered unicast";; esac
printf 'vm_binary = %s/ping.s\nvm_name = ping\nvm_net = lan0\nvm_mac = 02:00:00:00:00:01\n' "$S" >mac.cfg
"$MYVMM" -j 2 --stats -v mac.cfg -v "$S/pong.cfg" >/dev/null 2>err || bad "vm_mac: $(cat err)"
grep -q "^\[lan0\]   02:00:00:00:00:01 -> ping" err || bad "vm_mac: $(grep lan0 err)"

# Frames a card holds across a snapshot: send6 broadcasts six frames and
# ends; recv6 (run after it, on one thread) takes a snapshot with three in
# its ring and three in its FIFO, then prints them; the restore prints the
# same six.
printf 'vm_binary = %s/send6.s\nvm_name = send6\nvm_net = lan0\n' "$N" >send6.cfg
printf 'vm_binary = %s/recv6.s\nvm_name = recv6\nvm_net = lan0\n' "$N" >recv6.cfg
want=$(printf 'got %s\n' 1 2 3 4 5 6)
"$MYVMM" -j 1 -v send6.cfg -v recv6.cfg >out 2>err || bad "recv6: $(cat err)"
[ "$(sed -n 's/^recv6 | //p' out)" = "$want" ] || bad "recv6: $(cat out)"
"$MYVMM" --snapshot-info recv6.snap >info 2>&1 || bad "snapshot-info: $(cat info)"
grep -q "^nic: MAC .*receive ring 4 at 0x[0-9a-f]* (head 3, tail 3).*; 3 frames pending; 3 frames received, 0 sent" info ||
    bad "snapshot-info: nic line: $(grep -e nic -e NIC info)"
grep -q "^  NIC     v2" info || bad "snapshot-info: no NIC section"
grep -q "^nic: MAC [0-9a-f:]*, LAN lan0, " info || bad "snapshot-info: the LAN: $(grep '^nic' info)"
"$MYVMM" -v recv6.cfg -s recv6.snap >out 2>err || bad "recv6 restore: $(cat err)"
[ "$(cat out)" = "$want" ] || bad "recv6 restore: $(cat out)"

# Bad descriptors from a guest: ERROR, ERRADDR, HEAD unmoved; fixed, it
# goes on.
"$MYVMM" --net lan0 --stats "$N/bad.s" >out 2>err || bad "bad descriptors: $(cat err)"
[ "$(cat out)" = "6 at 0, head 0; fixed, head 1
3 at 8, head 1; fixed, head 0
5 at 0, head 0; fixed, head 1" ] || bad "bad descriptors: $(cat out)"
grep -q "3 sent (180 bytes, 0 without a link), 3 errors" err || bad "bad descriptors: stats: $(grep nic err)"

# The learner's view: the card's registers by name.
"$MYVMM" --net lan0 --trace-exits "$N/bad.s" >/dev/null 2>err
grep -q "mmio write nic.tx_tail = 0x1" err || bad "trace-exits: $(grep -m3 nic err)"
grep -q "mmio read nic.error = 0x6" err || bad "trace-exits: $(grep -m3 'nic.error' err)"

# Errors.
printf 'vm_binary = %s/ping.s\nvm_net = lan0\nvm_mac = 01:00:00:00:00:01\n' "$S" >badmac.cfg
"$MYVMM" -v badmac.cfg >/dev/null 2>err && bad "a multicast vm_mac accepted"
grep -q "badmac.cfg:3: vm_mac must be a unicast MAC address like 02:00:00:00:00:01 (six hex bytes, the first even), not '01:00:00:00:00:01'" err ||
    bad "bad vm_mac: $(cat err)"
printf 'vm_binary = %s/ping.s\nvm_mac = 02:00:00:00:00:01\n' "$S" >nocard.cfg
"$MYVMM" -v nocard.cfg >/dev/null 2>err && bad "vm_mac without a card accepted"
grep -q "vm1: vm_mac 02:00:00:00:00:01 is the MAC of a network card, and the VM has none (vm_net or --net gives it one)" err ||
    bad "vm_mac without a card: $(cat err)"
printf 'vm_binary = %s/ping.s\nvm_net = lan 0\n' "$S" >badnet.cfg
"$MYVMM" -v badnet.cfg >/dev/null 2>err && bad "a bad vm_net accepted"
grep -q "badnet.cfg:2: vm_net must be 1-23 letters" err || bad "bad vm_net: $(cat err)"
"$MYVMM" --net lan0 -v "$S/ping.s" -v "$S/pong.s" >/dev/null 2>err
[ $? -eq 2 ] && grep -q "net is the LAN of one VM" err || bad "--net with two VMs: $(cat err)"
"$MYVMM" --pcap lan0 -v "$S/ping.cfg" >/dev/null 2>err
[ $? -eq 2 ] && grep -q "pcap needs LAN=FILE (e.g. lan0=lan0.pcap), not 'lan0'" err || bad "--pcap lan0: $(cat err)"
"$MYVMM" --pcap lan9=x.pcap -v "$S/ping.cfg" >/dev/null 2>err
[ $? -eq 2 ] && grep -q "pcap lan9=x.pcap: no VM is on lan9" err || bad "--pcap lan9: $(cat err)"
[ -e x.pcap ] && bad "--pcap lan9: the file was created"
"$MYVMM" --pcap lan0=nodir/x.pcap -v "$S/ping.cfg" >/dev/null 2>err
[ $? -eq 1 ] && grep -q "nodir/x.pcap: No such file or directory" err || bad "--pcap nodir: $(cat err)"
"$MYVMM" --net "lan 0" -v "$S/ping.s" >/dev/null 2>err
[ $? -eq 2 ] && grep -q "net needs a LAN's name (1-23 letters, digits, '_', '.' or '-'), not 'lan 0'" err || bad "--net 'lan 0': $(cat err)"
"$MYVMM" --pcap "l/0=x.pcap" -v "$S/ping.cfg" >/dev/null 2>err
[ $? -eq 2 ] && grep -q "pcap l/0=...: a LAN's name is 1-23 letters" err || bad "--pcap l/0: $(cat err)"

# A restore without vm_net: the card the snapshot has, on the LAN its NIC
# section names (lan0), with the snapshot's MAC; --net still chooses.
mac=$(sed -n 's/^nic: MAC \([0-9a-f:]*\),.*/\1/p' info)
"$MYVMM" --stats -v "$N/recv6.s" -s recv6.snap >out 2>err || bad "restore without vm_net: $(cat err)"
[ "$(cat out)" = "$want" ] || bad "restore without vm_net: $(cat out)"
grep -q "^\[lan0\] port vm1: " err || bad "restore without vm_net: not on lan0: $(grep '^\[' err)"
grep -q "^\[vm1\] nic $mac: 6 frames received" err || bad "restore without vm_net: card: $(grep nic err)"
"$MYVMM" --stats --net lan5 -v "$N/recv6.s" -s recv6.snap >out 2>err || bad "restore with --net: $(cat err)"
grep -q "^\[lan5\] port vm1: " err && ! grep -q "^\[lan0\]" err || bad "restore with --net lan5: $(grep '^\[' err)"

# The benchmark's guests (tests/bench/net.sh) cannot rot: small runs of
# the stream (every frame arrives: the window never overfills a queue)
# and of the ping-pong next to the flood (every exchange completes).
out=$(NET_FRAMES=1600 NET_PINGS=200 NET_RUNS=1 BUILD=${BUILD:-build} MYVMM=$MYVMM \
    bash "$TOP/tests/bench/net.sh" 2>&1) || bad "bench net.sh: $out"
grep -q "^| stream of 1600 1500-byte frames" <<<"$out" && grep -q "^The pair keeps " <<<"$out" ||
    bad "bench net.sh: $out"
B=$TOP/${BUILD:-build}/bench/net
"$MYVMM" -j 2 --stats -v "$B/tx64.cfg" -v "$B/rx64.cfg" >/dev/null 2>err || bad "stream: $(cat err)"
grep -q "^\[lan0\] port rx64: in 100 frames (6000 bytes), out 1600 frames (102400 bytes), 0 dropped$" err ||
    bad "stream: $(grep '^\[lan0\]' err)"
"$MYVMM" -j 1 -v "$B/ping.cfg" -v "$B/pong.cfg" -v "$B/third3.cfg" >out 2>err || bad "flood: $(cat err)"
grep -q "^ping | 0 sent again$" out || bad "flood: $(cat out err)"

echo "net: $fail failures"
[ $fail -eq 0 ]
