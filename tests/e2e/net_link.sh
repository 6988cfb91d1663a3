#!/usr/bin/env bash
# net_link.sh -- two myvmm processes joined into one LAN over loopback
# (--net-link, docs/network.md): the ping-pong and the chat across the
# two give the same lines as in one process; --stats shows the link's
# port (counters, the MACs behind it); a capture on one side has the
# frames of both; hostile peers (garbage, an oversize length, another
# LAN's name, no hello) are refused with a message naming what was wrong
# while the VM runs on and the next peer is served; a peer that reads
# nothing costs a flooding VM dropped frames, never a wait; a connecting side
# with nobody to connect to says so once and its VM runs on; a process
# exits when its VMs end, link or not; and the option's errors.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# The samples, more patient: a VM waits 200 million polls (some seconds)
# for a frame instead of 20 million, as the second process starts a
# moment after the first.
cp -r "$TOP/samples/net" net
sed -i 's/li	\$t9, 20000000$/li	$t9, 200000000/' net/nic.s
grep -q '200000000' net/nic.s || bad "could not make the samples patient"
S=$tmp/net

# listen OUT ERR [myvmm args...]: a myvmm waiting for a link on a free
# loopback port, in the background; sets LPID and LPORT.
listen() {
    local out=$1 err=$2
    shift 2
    rm -f "$err"
    timeout 30 "$MYVMM" --net-link lan0=listen:tcp:127.0.0.1:0 "$@" >"$out" 2>"$err" &
    LPID=$!
    LPORT=
    for _ in $(seq 1 200); do
        LPORT=$(sed -n 's/^myvmm: lan0: waiting for a link on tcp:127.0.0.1:0 (port \([0-9]*\))$/\1/p' "$err" 2>/dev/null)
        [ -n "$LPORT" ] && return 0
        sleep 0.02
    done
    echo "the listener did not start: $(cat "$err")"
    return 1
}

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

# The ping-pong: pong in A (listening), ping in B (connecting); both
# print what they print in one process and exit 0.  --stats on both, a
# capture on B.
listen a.out a.err --stats -v "$S/pong.cfg" || bad "ping-pong: no listener"
timeout 30 "$MYVMM" --stats --pcap lan0=b.pcap --net-link "lan0=tcp:127.0.0.1:$LPORT" \
    -v "$S/ping.cfg" >b.out 2>b.err || bad "ping-pong: B exit $?: $(cat b.err)"
wait "$LPID" || bad "ping-pong: A exit $?: $(cat a.err)"
[ "$(cat b.out)" = "$want_ping" ] || bad "ping-pong: ping said: $(cat b.out)"
[ "$(cat a.out)" = "$want_pong" ] || bad "ping-pong: pong said: $(cat a.out)"
grep -q "^myvmm: lan0: linked with tcp:127.0.0.1:$LPORT$" b.err || bad "B: no 'linked' line: $(cat b.err)"
grep -q "^myvmm: lan0: linked with tcp:127.0.0.1:[0-9]*$" a.err || bad "A: no 'linked' line: $(cat a.err)"
# --stats: the link is a port named after the peer; it carried the 5
# frames each way; the MAC of the VM in the other process is behind it.
grep -q "^\[lan0\] port link tcp:127.0.0.1:$LPORT: in 5 frames (300 bytes), out 5 frames (300 bytes), 0 dropped$" b.err ||
    bad "B: stats of the link port: $(grep '^\[lan0\]' b.err)"
grep -q "^\[lan0\] port link tcp:127.0.0.1:[0-9]*: in 5 frames (300 bytes), out 5 frames (300 bytes), 0 dropped$" a.err ||
    bad "A: stats of the link port: $(grep '^\[lan0\]' a.err)"
ping_mac=$(sed -n 's/^\[lan0\]   \(.*\) -> ping$/\1/p' b.err)
pong_mac=$(sed -n 's/^\[lan0\]   \(.*\) -> pong$/\1/p' a.err)
[ -n "$ping_mac" ] && [ -n "$pong_mac" ] || bad "stats: no MAC tables: $(cat a.err b.err)"
grep -q "^\[lan0\]   $pong_mac -> link tcp:127.0.0.1:$LPORT$" b.err || bad "B: pong's MAC is not behind the link: $(grep '^\[lan0\]' b.err)"
grep -q "^\[lan0\]   $ping_mac -> link tcp:127.0.0.1:[0-9]*$" a.err || bad "A: ping's MAC is not behind the link: $(grep '^\[lan0\]' a.err)"
# The capture on B has the frames of both processes: ping's broadcast,
# and pong's answers (from A, with pong's virtual time).
if command -v tcpdump >/dev/null; then
    tcpdump -r b.pcap -e -n 2>/dev/null | grep -v '^[[:space:]]*0x' >frames
    [ "$(wc -l <frames)" = 10 ] || bad "pcap: $(wc -l <frames) frames: $(cat frames)"
    head -n 1 frames | grep -q " $ping_mac > ff:ff:ff:ff:ff:ff, ethertype Unknown (0x88b5), length 60" ||
        bad "pcap: first frame: $(head -n 1 frames)"
    [ "$(grep -c " $pong_mac > $ping_mac, ethertype Unknown (0x88b5), length 60" frames)" = 5 ] ||
        bad "pcap: pong's answers: $(cat frames)"
    [ "$(grep -c " $ping_mac > " frames)" = 5 ] || bad "pcap: ping's frames: $(cat frames)"
    [ "$(grep -vc '^00:00:0[0-9]\.' frames)" = 0 ] || bad "pcap: not virtual times: $(cat frames)"
else
    bad "tcpdump is not installed (.ci/install-deps installs it)"
fi

# The chat: alice and bob in A (two threads), carol in B; each hears the
# six lines of the two others, in each speaker's order.
listen a.out a.err -j 2 -v "$S/alice.cfg" -v "$S/bob.cfg" || bad "chat: no listener"
timeout 30 "$MYVMM" --net-link "lan0=tcp:127.0.0.1:$LPORT" -v "$S/carol.cfg" >b.out 2>b.err ||
    bad "chat: B exit $?: $(cat b.err)"
wait "$LPID" || bad "chat: A exit $?: $(cat a.err)"
sed 's/^/carol | /' b.out >chat.out
cat a.out >>chat.out
for who in alice bob carol; do
    for other in alice bob carol; do
        [ $who = $other ] && continue
        got=$(sed -n "s/^$who | $who hears $other: //p" chat.out)
        [ "$got" = "hello
is anyone there?
bye" ] || bad "chat: $who heard from $other: $got"
    done
    [ "$(grep -c "^$who | " chat.out)" = 6 ] || bad "chat: $who: $(grep "^$who | " chat.out)"
done

# Hostile peers, one after the other, at a listener whose pong waits:
# each is refused with the reason and the connection closed; then a real
# ping is served and the ping-pong runs.  hostile BYTES-IN-PYTHON: sends
# them, prints what came back until the listener closed (or "open" when
# it did not within 8 s).
hostile() {
    python3 - "$LPORT" "$1" <<'PY'
import socket, struct, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(eval(sys.argv[2], {"struct": struct}))
s.settimeout(8)
got = b""
try:
    while True:
        b = s.recv(4096)
        if not b:
            break
        got += b
except socket.timeout:
    print("open")
print(got.hex())
PY
}
hello=b'"b\"BHLK\\x01\\x04lan0\""'
listen a.out a.err -v "$S/pong.cfg" || bad "hostile: no listener"
r=$(hostile 'b"GET / HTTP/1.0\r\n\r\n"')
[ "$r" = "$(printf 'BHLK\001\004lan0' | od -An -tx1 | tr -d ' \n')" ] || bad "garbage: the listener said $r"
hostile 'b"BHLK\x01\x04lan0" + struct.pack("<HQ", 65535, 0) + b"x" * 100' >/dev/null
hostile 'b"BHLK\x01\x04lan9"' >/dev/null
hostile 'b"BHLK\x01\x04lan0" + struct.pack("<HQ", 0, 0)' >/dev/null
timeout 30 "$MYVMM" --net-link "lan0=tcp:127.0.0.1:$LPORT" -v "$S/ping.cfg" >b.out 2>b.err ||
    bad "hostile: the real peer: B exit $?: $(cat b.err)"
wait "$LPID" || bad "hostile: A exit $?: $(cat a.err)"
[ "$(cat b.out)" = "$want_ping" ] || bad "hostile: ping said: $(cat b.out)"
[ "$(cat a.out)" = "$want_pong" ] || bad "hostile: pong said: $(cat a.out)"
grep -q "^myvmm: lan0: the link with tcp:127.0.0.1:[0-9]* is dropped: not a myvmm link: the hello begins 47 45 54 20, not \"BHLK\"$" a.err ||
    bad "garbage: $(cat a.err)"
grep -q "^myvmm: lan0: the link with tcp:127.0.0.1:[0-9]* is dropped: a frame of 65535 bytes (a frame has 14 to 1514)$" a.err ||
    bad "oversize: $(cat a.err)"
grep -q "^myvmm: lan0: the link with tcp:127.0.0.1:[0-9]* is dropped: the peer's LAN is 'lan9', this one is 'lan0'$" a.err ||
    bad "another LAN: $(cat a.err)"
grep -q "^myvmm: lan0: the link with tcp:127.0.0.1:[0-9]* is dropped: a frame of 0 bytes (a frame has 14 to 1514)$" a.err ||
    bad "zero length: $(cat a.err)"

# A peer that says hello, sends one frame and then reads nothing: the VM,
# which floods once that frame came, never waits for it.  The link's
# queue fills, the frames beyond it are dropped and counted on the link's
# port, and the VM sends its 200,000 frames and ends; myvmm then gives
# the link a second to drain and exits.
cat >"$S/flood.s" <<'ASM'
	.data
	.align	2
frame:	.byte	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	.space	6
	.byte	0x88, 0xb5
	.space	46
sent:	.asciiz	"flood: sent\n"
	.text
main:	jal	nic_init
	la	$a0, frame
	addiu	$a0, $a0, 6
	jal	put_mac
	jal	nic_recv		# the peer's first frame: it is there
	li	$s0, 200000
more:	la	$a0, frame
	li	$a1, 60
	jal	nic_send
	addiu	$s0, $s0, -1
	bnez	$s0, more
	la	$a0, sent
	li	$v0, 4
	syscall
	li	$v0, 10
	syscall
	.include "nic.s"
ASM
listen a.out a.err --stats --net lan0 "$S/flood.s" || bad "flood: no listener"
python3 -c '
import socket, struct, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.sendall(b"BHLK\x01\x04lan0" + struct.pack("<HQ", 60, 0) + b"\xff" * 6 + b"\x02" + b"\x00" * 53)
time.sleep(60)' "$LPORT" &
spid=$!
start=$(date +%s)
wait "$LPID" || bad "flood: A exit $?: $(cat a.err)"
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
[ $(($(date +%s) - start)) -le 15 ] || bad "flood: A took $(($(date +%s) - start)) s"
[ "$(cat a.out)" = "flood: sent" ] || bad "flood: the VM said $(cat a.out)"
grep -q "^myvmm: lan0: linked with tcp:127.0.0.1:[0-9]*$" a.err || bad "flood: not linked: $(cat a.err)"
line=$(grep "^\[lan0\] port link tcp:127.0.0.1:[0-9]*: " a.err)
out=$(echo "$line" | sed -n 's/.*, out \([0-9]*\) frames .*/\1/p')
dropped=$(echo "$line" | sed -n 's/.* \([0-9]*\) dropped$/\1/p')
grep -q "^\[lan0\] port link tcp:127.0.0.1:[0-9]*: in 1 frames (60 bytes), " a.err || bad "flood: the peer's frame: $line"
echo "flood: $line"
[ -n "$out" ] && [ -n "$dropped" ] && [ "$dropped" -gt 0 ] && [ $((out + dropped)) = 200000 ] ||
    bad "flood: the link's port: $line"

# A connecting side with nobody at the address: it retries a few times,
# says so once, and its VM (reading stdin) runs on: it ends, with status
# 0, when the line it waits for comes after that message.
rm -f err
python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' >dead.port
printf 'main:\tli $v0, 5\n\tsyscall\n\tmove $a0, $v0\n\tli $v0, 1\n\tsyscall\n\tli $v0, 10\n\tsyscall\n' >read.s
{
    for _ in $(seq 1 300); do grep -q "no link" err 2>/dev/null && break; sleep 0.02; done
    echo 42
} | timeout 30 "$MYVMM" --net lan0 --net-link "lan0=tcp:127.0.0.1:$(cat dead.port)" read.s >out 2>err ||
    bad "no peer: exit $?: $(cat err)"
[ "$(grep -c "^myvmm: lan0: no link to tcp:127.0.0.1:$(cat dead.port) after 5 tries (.*Connection refused.*): the LAN goes on without it$" err)" = 1 ] ||
    bad "no peer: $(cat err)"
[ "$(cat out)" = 42 ] || bad "no peer: the VM said $(cat out)"

# A process exits when its VMs end: a listener that never got a peer, and
# a connected side whose peer goes on (A's pong waits for pings that do
# not come; B's VM is over at once).
printf 'main:\tli $v0, 10\n\tsyscall\n' >quit.s
listen a.out a.err -v "$S/pong.cfg" || bad "exit: no listener"
start=$(date +%s)
timeout 10 "$MYVMM" --net lan0 --net-link "lan0=tcp:127.0.0.1:$LPORT" quit.s >/dev/null 2>b.err ||
    bad "exit: B with a link open: exit $? $(cat b.err)"
[ $(($(date +%s) - start)) -le 3 ] || bad "exit: B took $(($(date +%s) - start)) s"
kill "$LPID"
wait "$LPID" 2>/dev/null
timeout 10 "$MYVMM" --net lan0 --net-link lan0=listen:tcp:127.0.0.1:0 quit.s >/dev/null 2>err ||
    bad "exit: a listener without a peer: exit $? $(cat err)"

# Errors.
"$MYVMM" --net-link lan0 -v "$S/ping.cfg" >/dev/null 2>err
[ $? -eq 2 ] && grep -q "net-link needs LAN=\[listen:\]tcp:HOST:PORT (e.g. lan0=tcp:127.0.0.1:5555), not 'lan0'" err ||
    bad "--net-link lan0: $(cat err)"
"$MYVMM" --net-link lan0=udp:127.0.0.1:5555 -v "$S/ping.cfg" >/dev/null 2>err
[ $? -eq 2 ] && grep -q "net-link lan0=udp:127.0.0.1:5555: 'udp:127.0.0.1:5555': an address is tcp:HOST:PORT (a link is tcp:HOST:PORT, or listen:tcp:HOST:PORT to wait for one)" err ||
    bad "--net-link udp: $(cat err)"
"$MYVMM" --net-link lan0=tcp:127.0.0.1:1 --net-link lan0=tcp:127.0.0.1:2 -v "$S/ping.cfg" >/dev/null 2>err
[ $? -eq 2 ] && grep -q "net-link lan0 is given twice (a LAN has one link)" err || bad "two links: $(cat err)"
"$MYVMM" --net-link lan9=tcp:127.0.0.1:1 -v "$S/ping.cfg" >/dev/null 2>err
[ $? -eq 2 ] && grep -q "net-link lan9=tcp:127.0.0.1:1: no VM is on lan9" err || bad "--net-link lan9: $(cat err)"
"$MYVMM" --net-link lan0=listen:tcp:0.0.0.0:0 -v "$S/ping.cfg" >/dev/null 2>err
[ $? -eq 1 ] && grep -q "net-link lan0=listen:tcp:0.0.0.0:0: not a loopback address, and a link has no key: anyone who reaches it joins lan0" err &&
    grep -q "help: give --insecure to link off loopback anyway" err || bad "off loopback: $(cat err)"
listen a.out a.err -v "$S/pong.cfg" || bad "busy port: no listener"
"$MYVMM" --net-link "lan0=listen:tcp:127.0.0.1:$LPORT" -v "$S/ping.cfg" >/dev/null 2>err
[ $? -eq 1 ] && grep -q "net-link lan0: listen on tcp:127.0.0.1:$LPORT: Address already in use" err ||
    bad "busy port: $(cat err)"
kill "$LPID"
wait "$LPID" 2>/dev/null

echo "net_link: $fail failures"
[ $fail -eq 0 ]
