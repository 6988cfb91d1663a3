#!/usr/bin/env bash
# progress_tty.sh -- a snapshot of a large VM (100 MiB of pages) and a
# loopback live migration of it draw a progress bar on stderr when stderr
# is a terminal (a pseudo-terminal here: progress/ptyrun.py), a line
# redrawn with \r that shows bytes, a rate and an ETA; with stderr on a
# pipe or a file they print exactly what they printed before (no bar
# byte), and a small snapshot stays quiet on a terminal too.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
. "$TOP/tests/e2e/migrate/lib.sh"
P=$TOP/tests/e2e/progress
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# bar FILE WHAT: a redrawn bar line (\r, bytes of bytes, percent, rate, ETA)
bar() {
    python3 - "$1" "$2" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
what = sys.argv[2].encode()
pat = (rb"\rmyvmm: vm1: " + what +
       rb": [0-9.]+ (B|KiB|MiB) / [0-9.]+ MiB +[0-9]+% ([0-9.]+ (B|KiB|MiB)|--)/s ETA [0-9-]+:[0-9-]+")
sys.exit(0 if re.search(pat, data) else 1)
PY
}
# no_bar FILE: not a byte of a bar (no \r, no escape sequence, no ETA)
no_bar() { ! grep -q -e $'\r' -e $'\033' -e 'ETA' "$1"; }

# --- a snapshot of 100 MiB of pages (no spin: the guest ends at once)
sed 's/900000000/1/' "$P/big.s" >big.s
python3 "$P/ptyrun.py" tty.err "$MYVMM" --memory 256M --snapshot-on-exit big.snap big.s \
    >tty.out || bad "snapshot on a tty: exit $?: $(cat -v tty.err)"
bar tty.err snapshot || bad "snapshot on a tty: no progress bar: $(cat -v tty.err | head -c 400)"
grep -q $'100%.*in [0-9.]* s\033\\[K\r$' tty.err ||
    bad "snapshot on a tty: the bar does not end its line at 100%: $(cat -v tty.err | tail -c 200)"
"$MYVMM" --memory 256M --snapshot-on-exit big2.snap big.s 2>&1 >pipe.out | cat >pipe.err
[ ! -s pipe.err ] || bad "snapshot to a pipe: stderr is not empty: $(cat -v pipe.err | head -c 400)"
[ -s big2.snap ] || bad "snapshot to a pipe: no file"
cmp -s tty.out pipe.out && [ "$(cat pipe.out)" = 42 ] || bad "snapshot: the guest's output changed"
# a small VM (under 64 MiB) stays quiet on a terminal
sed 's/104857600/1048576/; s/25600 /256 /' big.s >small.s
python3 "$P/ptyrun.py" small.err "$MYVMM" --snapshot-on-exit small.snap small.s >/dev/null ||
    bad "small snapshot on a tty: exit $?"
[ -s small.snap ] || bad "small snapshot: no file"
[ ! -s small.err ] || bad "small snapshot on a tty: not quiet: $(cat -v small.err)"

# --- a loopback live migration of it
migrate() { # migrate tty|pipe: the source's stderr in m$1.err
    start_dest dst.out dst.err || { bad "no destination"; return 1; }
    local src=("$MYVMM" --memory 256M --migrate "tcp:127.0.0.1:$DPORT" --migrate-after 1000000
               "$P/big.s")
    if [ "$1" = tty ]; then
        python3 "$P/ptyrun.py" mtty.err "${src[@]}" >/dev/null || bad "migration on a tty: exit $?"
    else
        { "${src[@]}" 2>&1 >/dev/null || bad "migration to a pipe: exit $?"; } | cat >mpipe.err
    fi
    wait_dest || bad "destination exit $?: $(tail -n 3 dst.err)"
    [ "$(cat dst.out)" = 42 ] || bad "the destination did not finish the guest: $(cat dst.out)"
}
migrate tty
bar mtty.err migrate || bad "migration on a tty: no progress bar: $(cat -v mtty.err | head -c 600)"
# the summary lines still come whole, each on a line of its own
grep -q $'^myvmm: vm1: migrate: summary: handed over.*\r$' mtty.err ||
    bad "migration on a tty: no summary line of its own: $(cat -v mtty.err)"
migrate pipe
no_bar mpipe.err || bad "migration to a pipe: bar bytes in stderr: $(cat -v mpipe.err)"
# what it printed before: the same lines, whatever their figures
sed 's/[0-9][0-9.]*/N/g' mpipe.err >mpipe.shape
tr -d '\r' <mtty.err | sed 's/.*\x1b\[K//; s/[0-9][0-9.]*/N/g' | grep -v '^$' >mtty.shape
diff mpipe.shape mtty.shape >/dev/null ||
    bad "migration: the tty's lines besides the bar differ: $(diff mpipe.shape mtty.shape | head -n 6)"
grep -q "summary: handed over" mpipe.err || bad "migration to a pipe: no hand-over: $(cat mpipe.err)"

echo "progress_tty: $fail failures"
[ $fail -eq 0 ]
