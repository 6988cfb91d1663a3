#!/usr/bin/env bash
# snapshot_kill9.sh -- crash safety: a program that snapshots in a loop
# with 8 MiB of touched memory is killed with SIGKILL at random moments
# (KILLS times, default 100); after every kill the file at the path must
# load (--snapshot-info verifies the header and every CRC32C), i.e. it is
# the previous snapshot or the new one, never a torn write.  Stray
# temporary files (NAME.tmp.XXXXXX) show that kills landed mid-write.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
kills=${KILLS:-100}
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
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# A first snapshot, so there is always an "old" file to keep.
"$MYVMM" --memory 16M -v loop.s >/dev/null 2>err & pid=$!
for _ in $(seq 200); do [ -s big.bin ] && break; sleep 0.05; done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; pid=
[ -s big.bin ] || { echo "no first snapshot: $(cat err)"; exit 1; }
sums=""
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
done
distinct=$(echo $sums | tr ' ' '\n' | sort -u | wc -l)
torn=$(ls | grep -c '^big\.bin\.tmp\.' || true)
echo "$kills kills: $distinct distinct snapshots seen, $torn interrupted writes left as temp files"
[ "$distinct" -ge 2 ] || bad "the snapshot never changed: the kills did not land during the run"
echo "snapshot_kill9: $fail failures"
[ $fail -eq 0 ]
