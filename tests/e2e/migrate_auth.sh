#!/usr/bin/env bash
# migrate_auth.sh -- authenticated migration (--migrate-psk) with real
# processes on loopback: --gen-psk and the key file's checks; matching keys
# migrate; a wrong key, a key on one side only, a recorded stream replayed
# to a fresh destination and a flipped byte in one record are each refused
# with their reason, and the destination goes on serving; without a key a
# non-loopback address is refused unless --insecure.  All traffic stays on
# 127.0.0.1 (0.0.0.0 is only ever a listener here).
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
seen=0
ok() { # a case's verdict: ok only when it added no failure
    [ $fail -eq $seen ] && echo "$1: ok" || echo "$1: FAILED"
    seen=$fail
}
# compute.s at 1.1 G instructions (half a second and more with the
# translation tier, two with the interpreter): a source that migrates at
# 1 M must not end before its destination took the VM (on a loaded machine
# connecting and the handshake alone may take 100 ms); wait_dest fails the
# case rather than wait forever if it does
compute_n 100000000 compute100.s || bad "could not make compute100.s"
PROG=$PWD/compute100.s

# --gen-psk: 32 bytes, mode 0600, never over an existing file
"$MYVMM" --gen-psk k1 2>err || bad "gen-psk: $(cat err)"
"$MYVMM" --gen-psk k2 2>err || bad "gen-psk: $(cat err)"
[ "$(stat -c '%a %s' k1)" = "600 32" ] || bad "gen-psk: $(stat -c '%a %s' k1), not '600 32'"
cmp -s k1 k2 && bad "gen-psk: two keys are the same"
cp k1 k1.before
"$MYVMM" --gen-psk k1 2>err && bad "gen-psk overwrote an existing file"
cmp -s k1 k1.before || bad "gen-psk changed an existing key"
grep -q "exists" err || bad "gen-psk over a file: $(cat err)"
ok gen-psk

# the key file: private, and long enough
cp k1 open.key && chmod 644 open.key
"$MYVMM" --incoming tcp:127.0.0.1:0 --migrate-psk open.key 2>err && bad "a 0644 key was taken"
grep -q "group or others may read it" err || bad "0644 key: $(cat err)"
head -c 16 k1 >short.key && chmod 600 short.key
"$MYVMM" --incoming tcp:127.0.0.1:0 --migrate-psk short.key 2>err && bad "a 16-byte key was taken"
grep -q "16 bytes, a key needs at least 32" err || bad "short key: $(cat err)"
ok key-file

# src_run OUT ERR PORT [args]: a source of compute.s that migrates early
src_run() {
    local out=$1 err=$2 port=$3
    shift 3
    timeout 60 "$MYVMM" --final-hash --migrate "tcp:127.0.0.1:$port" --migrate-after 1000000 \
        "$@" "$PROG" >"$out" 2>"$err"
}

# matching keys: migrated, the output whole
timeout 60 "$MYVMM" --final-hash "$PROG" >ref.out 2>ref.err
start_dest dst.out dst.err --final-hash --migrate-psk k1 || bad "no destination"
src_run src.out src.err "$DPORT" --migrate-psk k1 || bad "keyed source: $(tail -n 3 src.err)"
wait_dest || bad "keyed destination exit $?: $(tail -n 3 dst.err)"
grep -q "migrated to" src.err || bad "keyed: not migrated: $(cat src.err)"
cat src.out dst.out | cmp -s - ref.out || bad "keyed: output differs"
[ "$(final_hash dst.err)" = "$(final_hash ref.err)" ] || bad "keyed: final hash differs"
ok matching-keys

# a wrong key: refused on both sides, by name; the destination then takes
# a source with the right key
start_dest dst.out dst.err --final-hash --migrate-psk k1 || bad "no destination"
src_run src.out src.err "$DPORT" --migrate-psk k2 || bad "wrong-key source exit $?"
grep -q "wrong key: the destination's --migrate-psk differs" src.err ||
    bad "wrong key, source: $(grep migrate src.err)"
# what to do next comes last, after what the source does (docs/messages.md)
[ "$(grep -A1 "wrong key" src.err | tail -n 1)" = \
  "  help: copy the key file to the other host as it is (scp), and give both sides that file" ] ||
    bad "wrong key, source: no help line last: $(grep -A1 "wrong key" src.err)"
grep -q "migrated to" src.err && bad "wrong key: the VM moved"
cmp -s src.out ref.out || bad "wrong key: the source's run is not whole"
grep -q "wrong key: the source's --migrate-psk differs" dst.err ||
    bad "wrong key, destination: $(cat dst.err)"
src_run src.out src.err "$DPORT" --migrate-psk k1 || bad "good source after a wrong one"
wait_dest || bad "destination after a wrong key: exit $?"
grep -q "migrated to" src.err || bad "after a wrong key: not migrated: $(tail -n 3 src.err)"
ok wrong-key

# a key on one side only: both sides say so
start_dest dst.out dst.err --migrate-psk k1 || bad "no destination"
src_run src.out src.err "$DPORT" || bad "keyless source exit $?"
grep -q "the destination has a --migrate-psk but this side has none" src.err ||
    bad "key on the destination only, source: $(grep migrate src.err)"
grep -q "the source has no --migrate-psk but this side has one" dst.err ||
    bad "key on the destination only, destination: $(cat dst.err)"
kill "$DPID"; wait "$DPID" 2>/dev/null
start_dest dst.out dst.err || bad "no destination"
src_run src.out src.err "$DPORT" --migrate-psk k1 || bad "keyed source exit $?"
grep -q "the destination has no --migrate-psk but this side has one" src.err ||
    bad "key on the source only, source: $(grep migrate src.err)"
grep -q "the source has a --migrate-psk but this side has none" dst.err ||
    bad "key on the source only, destination: $(cat dst.err)"
kill "$DPID"; wait "$DPID" 2>/dev/null
ok one-side-key

# a recorded stream replayed to a fresh destination with the same key
start_dest dst.out dst.err --migrate-psk k1 || bad "no destination"
python3 "$P/proxy.py" rec.port "$DPORT" record 0 &
PPID_=$!
for _ in $(seq 1 100); do [ -s rec.port ] && break; sleep 0.05; done
src_run src.out src.err "$(cat rec.port)" --migrate-psk k1 || bad "recorded source exit $?"
wait_dest || bad "recorded destination exit $?"
grep -q "migrated to" src.err || bad "recording: not migrated: $(tail -n 3 src.err)"
kill "$PPID_" 2>/dev/null; wait "$PPID_" 2>/dev/null
[ -s rec.port.rec ] || bad "nothing recorded"
start_dest dst2.out dst2.err --migrate-psk k1 || bad "no fresh destination"
python3 - "$DPORT" rec.port.rec <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
try:
    s.sendall(open(sys.argv[2], "rb").read())
except OSError:
    pass  # refused and closed before the end: expected
try:
    while s.recv(65536):
        pass
except OSError:
    pass
PY
for _ in $(seq 1 200); do grep -q "incoming migration failed" dst2.err && break; sleep 0.05; done
grep -q "replayed or forged stream" dst2.err || bad "replay: $(cat dst2.err)"
grep -q "running here" dst2.err && bad "replay: the recorded VM runs"
# the destination still serves a real source
src_run src.out src.err "$DPORT" --migrate-psk k1 || bad "source after a replay"
wait_dest || bad "destination after a replay: exit $?"
grep -q "migrated to" src.err || bad "after a replay: not migrated: $(tail -n 3 src.err)"
ok replay

# one flipped byte in a record (well inside the first pages): refused by
# its tag, the source resumes, the destination goes on
start_dest dst.out dst.err --migrate-psk k1 || bad "no destination"
rm -f flip.port
python3 "$P/proxy.py" flip.port "$DPORT" flip 100000 &
PPID_=$!
for _ in $(seq 1 100); do [ -s flip.port ] && break; sleep 0.05; done
src_run src.out src.err "$(cat flip.port)" --migrate-psk k1 || bad "tampered source exit $?"
grep -q "migrated to" src.err && bad "tampered: the VM moved"
cmp -s src.out ref.out || bad "tampered: the source's run is not whole"
grep -q "tampered or forged record: message [0-9]* (PAGES" dst.err || bad "tampered: $(cat dst.err)"
kill "$PPID_" 2>/dev/null; wait "$PPID_" 2>/dev/null
src_run src.out src.err "$DPORT" --migrate-psk k1 || bad "source after tampering"
wait_dest || bad "destination after tampering: exit $?"
grep -q "migrated to" src.err || bad "after tampering: not migrated"
ok tamper

# no key off loopback: refused on either side unless --insecure
"$MYVMM" --incoming tcp:0.0.0.0:0 2>err && bad "a keyless 0.0.0.0 listener started"
grep -q "not a loopback address, and there is no key" err || bad "0.0.0.0 listener: $(cat err)"
"$MYVMM" --incoming tcp:0.0.0.0:0 --insecure >/dev/null 2>ins.err &
IPID=$!
for _ in $(seq 1 100); do grep -q "waiting for a VM" ins.err && break; sleep 0.05; done
grep -q "waiting for a VM" ins.err || bad "--insecure listener: $(cat ins.err)"
kill "$IPID"; wait "$IPID" 2>/dev/null
"$MYVMM" --incoming tcp:0.0.0.0:0 --migrate-psk k1 >/dev/null 2>key.err &
IPID=$!
for _ in $(seq 1 100); do grep -q "waiting for a VM" key.err && break; sleep 0.05; done
grep -q "waiting for a VM" key.err || bad "keyed 0.0.0.0 listener: $(cat key.err)"
kill "$IPID"; wait "$IPID" 2>/dev/null
# a source is checked before it connects anywhere
ip=$(hostname -I 2>/dev/null | awk '{print $1}')
for a in 0.0.0.0 ${ip:+$ip}; do
    "$MYVMM" --migrate "tcp:$a:9" "$PROG" >/dev/null 2>err && bad "keyless source to $a ran"
    grep -q "not a loopback address, and there is no key" err || bad "source to $a: $(cat err)"
done
ok non-loopback

[ $fail -eq 0 ] && echo "migrate_auth: all passed" || echo "migrate_auth: $fail failed"
[ $fail -eq 0 ]
