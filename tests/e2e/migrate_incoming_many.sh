#!/usr/bin/env bash
# migrate_incoming_many.sh -- a destination given --incoming twice: the
# second VM arrives while the first runs there; it is received (not
# refused as "busy", after which the destination waited forever), and
# runs once the first ends.  Both programs' output is whole.
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
# the first VM runs for a few seconds at the destination: long enough for
# the second to arrive meanwhile, whatever the machine's speed; the second
# (330 M instructions, a third of a second with the translation tier) must
# not end at its source before it is handed over (the migration starts by
# count, but connecting and the handshake take host time)
compute_n 60000000 long.s && compute_n 30000000 short.s || bad "could not make long.s and short.s"
timeout 120 "$MYVMM" short.s >short.ref 2>/dev/null
start_dest dst.out dst.err --incoming "tcp:127.0.0.1:0" || { echo "FAIL: no destination"; exit 1; }
timeout 120 "$MYVMM" --migrate "tcp:127.0.0.1:$DPORT" --migrate-after 1000000 long.s \
    >a.out 2>a.err || bad "first source exit $?"
grep -q "migrated to" a.err || bad "first VM not migrated: $(grep migrate a.err | tail -n 2)"
timeout 120 "$MYVMM" --migrate "tcp:127.0.0.1:$DPORT" --migrate-after 1000000 short.s \
    >b.out 2>b.err || bad "second source exit $?"
grep -q "migrated to" b.err || bad "second VM refused: $(grep migrate b.err | tail -n 2)"
grep -q "received while another runs" dst.err ||
    echo "note: the first VM ended before the second arrived (a slow machine?)"
wait_dest || bad "destination exit $?: $(tail -n 3 dst.err)"
# the second VM's lines: the source's, then the destination's ("vm1 | ")
# (the first prints 600 lines in all, the second as many as short.ref)
n=$(grep -c '^vm1 | ' dst.out)
want=$((600 - $(wc -l <a.out) + $(wc -l <short.ref) - $(wc -l <b.out)))
[ "$n" -eq "$want" ] || bad "destination printed $n lines, expected both VMs' rest ($want)"
sed -n 's/^vm1 | //p' dst.out | tail -n "$(($(wc -l <short.ref) - $(wc -l <b.out)))" >b.rest
cat b.out b.rest | cmp -s - short.ref || bad "the second VM's output is not whole"
[ $fail -eq 0 ] && echo "migrate_incoming_many: all passed" || echo "migrate_incoming_many: $fail failed"
[ $fail -eq 0 ]
