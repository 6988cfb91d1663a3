#!/usr/bin/env bash
# snapshot_kill9.sh -- crash safety: a program that snapshots in a loop
# with 8 MiB of touched memory is killed with SIGKILL at random moments
# (KILLS times: 20 under make check, KILLS=100 for the full campaign);
# after every kill the file at the path must load (--snapshot-info verifies
# the header and every CRC32C), i.e. it is the previous snapshot or the new
# one, never a torn write.  No debris: after every kill at most one other
# file (the one temporary of that path) sits beside the snapshot, and a
# clean write at the end leaves none.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
pid= pid2=
trap '[ -n "$pid" ] && kill -9 $pid $pid2 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
kills=${KILLS:-20}
cat >loop.s <<'S'
# Touch 8 MiB, then forever: stamp every page with the round, SNAPSHOT.
	.text
main:	li	$v0, 9
	li	$a0, 8388608
	syscall
	move	$s0, $v0
	li	$s2, 0
round:	move	$t0, $s0
	li	$t1, 2048
fill:	sw	$s2, 0($t0)
	sw	$t1, 4($t0)
	addiu	$t0, $t0, 4096
	addiu	$t1, $t1, -1
	bnez	$t1, fill
	SNAPSHOT big.bin
	addiu	$s2, $s2, 1
	b	round
S
cat >once.s <<'S'
# One clean write to the same path, then exit.
	.text
main:	SNAPSHOT big.bin
	li	$v0, 10
	syscall
S
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# A first snapshot, so there is always an "old" file to keep.
"$MYVMM" --memory 16M -v loop.s >/dev/null 2>err & pid=$!
for _ in $(seq 200); do [ -s big.bin ] && break; sleep 0.05; done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; pid=
[ -s big.bin ] || { echo "no first snapshot: $(cat err)"; exit 1; }
sums=""
most=0
for i in $(seq "$kills"); do
    "$MYVMM" --memory 16M -v loop.s >/dev/null 2>>err & pid=$!
    sleep "$(printf '0.%03d' $((RANDOM % 400 + 20)))"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    pid=
    if ! "$MYVMM" --snapshot-info big.bin >info 2>&1; then
        bad "after kill $i the snapshot does not load: $(cat info)"
        break
    fi
    sums="$sums $(cksum <big.bin | cut -d' ' -f1)"
    # Files beside the snapshot: whatever the writer may leave (big.bin.*).
    debris=$(ls -A | grep -c '^big\.bin.' || true)
    [ "$debris" -gt "$most" ] && most=$debris
done
distinct=$(echo $sums | tr ' ' '\n' | sort -u | wc -l)
echo "$kills kills: $distinct distinct snapshots seen, at most $most file(s) beside the snapshot"
[ "$distinct" -ge 2 ] || bad "the snapshot never changed: the kills did not land during the run"
[ "$most" -le 1 ] || bad "$most files beside big.bin after a kill (at most 1): $(ls -A | grep '^big\.bin.' | head -3 | tr '\n' ' ')"
# Two writers of one path at once (two myvmm processes), killed together:
# neither may tear the other's file or fail its write, nor leave more than
# one temporary.
for i in $(seq $((kills / 4 + 1))); do
    "$MYVMM" --memory 16M -v loop.s >/dev/null 2>err2 & pid=$!
    "$MYVMM" --memory 16M -v loop.s >/dev/null 2>>err2 & pid2=$!
    sleep "$(printf '0.%03d' $((RANDOM % 600 + 200)))"
    kill -9 $pid $pid2 2>/dev/null
    wait $pid $pid2 2>/dev/null
    pid=
    "$MYVMM" --snapshot-info big.bin >info 2>&1 || { bad "two writers, round $i: the snapshot does not load: $(cat info)"; break; }
    [ -s err2 ] && { bad "two writers, round $i: $(head -n 2 err2)"; break; }
    debris=$(ls -A | grep -c '^big\.bin.' || true)
    [ "$debris" -le 1 ] || { bad "two writers, round $i: $debris files beside big.bin"; break; }
done
# A clean write after the crashes: the path's temporary is gone too.
"$MYVMM" -v once.s >/dev/null 2>>err || bad "the clean write failed: $(tail -n 2 err)"
"$MYVMM" --snapshot-info big.bin >info 2>&1 || bad "after the clean write the snapshot does not load: $(cat info)"
left=$(ls -A | grep '^big\.bin.' | tr '\n' ' ')
[ -z "$left" ] || bad "a clean write left files beside the snapshot: $left"
echo "snapshot_kill9: $fail failures"
[ $fail -eq 0 ]
