#!/usr/bin/env bash
# disk_kill9.sh -- kill -9 during disk writes (KILLS times: 12 under make
# check).  tests/e2e/disk/records.s writes record (pass, i) to sector i,
# pass after pass, and prints "pass i" after each write is DONE, while
# --snapshot-every saves the machine.  After every kill:
#  - the image holds everything the guest was told: every record up to
#    the last printed one is there, whole; the one after it is the new or
#    the old record (written, not yet told); the rest are the last pass's;
#  - every snapshot file loads (--snapshot-info checks every CRC);
#  - the newest snapshot, restored onto the image the kill left, runs to
#    the end and leaves exactly the image and the last lines of an
#    uninterrupted run.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
kills=${KILLS:-12}
prog=$TOP/tests/e2e/disk/records.s
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
truncate -s 1M ref.img
"$MYVMM" --disk ref.img "$prog" >ref.out || { echo "reference run failed"; exit 1; }
check_image() { # check_image IMAGE OUTPUT: the image agrees with what the guest was told
    python3 - "$1" "$2" <<'PY'
import struct, sys
img = open(sys.argv[1], 'rb').read()
lines = [l for l in open(sys.argv[2]).read().split('\n') if l]
p, i = map(int, lines[-1].split()) if lines else (0, -1)
def rec(q, j):
    return struct.pack('<128I', q, j, *[(q * 4096 + j + k) & 0xffffffff for k in range(2, 128)])
zero = bytes(512)
for j in range(2048):
    got = img[512 * j:512 * j + 512]
    old = rec(p - 1, j) if p > 0 else zero
    ok = got == rec(p, j) if j <= i else got in (rec(p, j), old) if j == i + 1 else got == old
    if not ok:
        sys.exit(f"sector {j}: not what the guest was told (last told: pass {p} record {i})")
PY
}
for k in $(seq "$kills"); do
    rm -f vm1.snap.* disk.img
    truncate -s 1M disk.img
    "$MYVMM" --disk disk.img --snapshot-every 150000 "$prog" >out 2>err & pid=$!
    sleep "$(printf '0.%03d' $((RANDOM % 250 + 20)))"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    pid=
    check_image disk.img out || bad "kill $k: the image after the kill"
    newest= most=-1
    for s in vm1.snap.[1-3]; do
        [ -e "$s" ] || continue
        "$MYVMM" --snapshot-info "$s" >info 2>&1 || { bad "kill $k: $s does not load: $(tail -n 2 info)"; continue; }
        n=$(sed -n 's/^instructions: //p' info)
        [ "$n" -gt "$most" ] && { most=$n; newest=$s; }
    done
    [ -n "$newest" ] || continue # killed before the first snapshot
    "$MYVMM" --disk disk.img -s "$newest" >rest.out 2>rest.err || bad "kill $k: restore of $newest: $(tail -n 2 rest.err)"
    cmp -s disk.img ref.img || bad "kill $k: after the restore of $newest the image differs from the uninterrupted run's"
    [ "$(tail -n 1 rest.out)" = "$(tail -n 1 ref.out)" ] || bad "kill $k: the restored run ends with '$(tail -n 1 rest.out)'"
done
echo "disk_kill9: $kills kills, $fail failures"
[ $fail -eq 0 ]
