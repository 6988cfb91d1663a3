#!/usr/bin/env bash
# display.sh -- the bitmap display (docs/devices.md), pictures compared
# by pixel value (display/pngpix.py decodes PNGs), never by file bytes:
#  - a MARS Bitmap Display program of our own (display/draw.asm: units
#    4x4, display 128x64, base $gp) gives the picture display/draw.spec
#    describes by hand;
#  - samples/display/life.cfg prints its line and draws docs/display-life.png;
#  - --display png:FILE alone: MARS's defaults (512x256 units of 1x1);
#  - the PNG is written at each SNAPSHOT and at SIGUSR1, not only at exit;
#  - the display's geometry is in snapshots (--snapshot-info, a restore);
#  - several VMs: FILE with each VM's name, NAME= picks one;
#  - a loopback live migration carries the geometry (a SECTION message):
#    the destination's --display png draws the run's last picture;
#  - --display term on a terminal: 24-bit colour half blocks, at most 30
#    frames a second, the console's line, the terminal given back;
#  - mistakes are refused with their reason.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
D=$TOP/tests/e2e/display
. "$TOP/tests/e2e/migrate/lib.sh"
pix() { python3 "$D/pngpix.py" "$@"; }
tmp=$(mktemp -d)
pid=
DPID=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; [ -n "$DPID" ] && kill -9 $DPID 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# --- a MARS bitmap program of our own
"$MYVMM" --display png:draw.png -v "$D/draw.cfg" >draw.out 2>draw.err || bad "draw: exit $?: $(cat draw.err)"
pix write expect.png 32 16 "$D/draw.spec"
[ "$(pix info draw.png)" = "32x16 depth 8 colour type 2" ] || bad "draw.png is $(pix info draw.png)"
pix same draw.png expect.png || bad "draw.png is not the picture draw.spec describes"
cmp -s draw.png expect.png && bad "the two encoders wrote the same bytes: the comparison proves nothing"
# the comparison can fail: one unit off
sed 's/^4 3 9 7 ff0000/4 3 9 7 ff0001/' "$D/draw.spec" >off.spec
pix write off.png 32 16 off.spec
pix same draw.png off.png >/dev/null 2>&1 && bad "a picture with a unit changed compares equal"

# --- the life sample: its output and its picture in docs/
out=$("$MYVMM" --display png:life.png -v "$TOP/samples/display/life.cfg" 2>&1)
[ "$out" = "generation 60: 93 cells alive" ] || bad "life printed: $out"
pix same life.png "$TOP/docs/display-life.png" || bad "life.png is not docs/display-life.png"

# --- --display alone: MARS's defaults (512 x 256 units at 0x10010000)
cat >corner.s <<'S'
	.text
main:	li	$t0, 0x10010000
	li	$t1, 0x00123456
	sw	$t1, 0($t0)		# unit (0, 0)
	sw	$t1, 2044($t0)		# unit (0, 511)
	li	$t2, 0x0007fffc		# unit (255, 511): 4 * (256 * 512 - 1)
	addu	$t2, $t2, $t0
	sw	$t1, 0($t2)
	li	$v0, 10
	syscall
S
"$MYVMM" --display png:corner.png -v corner.s || bad "corner.s: exit $?"
[ "$(pix info corner.png)" = "512x256 depth 8 colour type 2" ] || bad "default size: $(pix info corner.png)"
# (0, 0), (511, 0) and (511, 255) written; (1, 0) and (0, 255) never: black
got=$(pix at corner.png 0 0 511 0 511 255 1 0 0 255 | tr '\n' ' ')
[ "$got" = "123456 123456 123456 000000 000000 " ] || bad "default geometry: pixels $got"

# --- at SNAPSHOT and at SIGUSR1, before the VM ends (it is killed -9)
cat >snap.s <<'S'
	.text
main:	li	$t0, 0x10010000
	li	$t1, 0x00ff0000
	sw	$t1, 0($t0)		# red
	SNAPSHOT snap.bin
	li	$t1, 0x000000ff
	sw	$t1, 0($t0)		# then blue, and spin
spin:	b	spin
S
"$MYVMM" --display png:snap.png -v snap.s 2>snap.err & pid=$!
for _ in $(seq 100); do [ -s snap.png ] && break; sleep 0.05; done
[ "$(pix at snap.png 0 0 2>&1)" = ff0000 ] || bad "the PNG at SNAPSHOT: $(pix at snap.png 0 0 2>&1)"
rm -f snap.png
kill -USR1 $pid
for _ in $(seq 100); do [ -s snap.png ] && break; sleep 0.05; done
[ "$(pix at snap.png 0 0 2>&1)" = 0000ff ] || bad "the PNG at SIGUSR1: $(pix at snap.png 0 0 2>&1)"
kill -9 $pid; wait $pid 2>/dev/null; pid=

# --- the geometry in snapshots
"$MYVMM" --snapshot-on-exit draw.snap -v "$D/draw.cfg" >/dev/null || bad "draw.snap: exit $?"
"$MYVMM" --snapshot-info draw.snap >info.txt || bad "--snapshot-info: exit $?"
grep -qx 'display: 128x64 pixels of 4x4 units (32x16 units), framebuffer at 0x10008000' info.txt ||
    bad "--snapshot-info: $(grep -i display info.txt)"
grep -q '^  DISPLAY v1 .* 20 bytes' info.txt || bad "no DISPLAY section: $(cat info.txt)"
"$MYVMM" --display png:restored.png -s draw.snap || bad "restore: exit $?"
pix same restored.png expect.png || bad "the restored VM's picture (its snapshot's geometry) differs"
"$MYVMM" --snapshot-on-exit plain.snap -v corner.s || bad "plain.snap: exit $?"
"$MYVMM" --snapshot-info plain.snap | grep -qi display && bad "a VM without a display has a DISPLAY section"

# --- several VMs
"$MYVMM" --display png:pic.png -v "$D/draw.cfg" -v corner.s >/dev/null 2>&1 || bad "two VMs: exit $?"
pix same pic.vm1.png expect.png || bad "pic.vm1.png"
[ "$(pix info pic.vm2.png)" = "512x256 depth 8 colour type 2" ] || bad "pic.vm2.png: $(pix info pic.vm2.png 2>&1)"
[ -e pic.png ] && bad "pic.png written with two VMs"
"$MYVMM" --display vm2=png:two.png -v "$D/draw.cfg" -v corner.s >/dev/null 2>&1 || bad "vm2=: exit $?"
[ "$(pix at two.png 511 255 2>&1)" = 123456 ] || bad "--display vm2=png:two.png: $(pix at two.png 511 255 2>&1)"
[ -e two.vm1.png ] && bad "vm2= wrote vm1's picture"

# --- a loopback migration: life for 2000 generations (710 M instructions: a
# third of a second with the translation tier, to outlive the migration),
# handed over after 5M instructions; the destination has --display but no
# geometry of its own
sed 's/GENS  60/GENS  2000/' "$TOP/samples/display/life.asm" >life2000.asm
sed 's/^vm_binary.*/vm_binary = life2000.asm/' "$TOP/samples/display/life.cfg" >life2000.cfg
"$MYVMM" --display png:life2000.png -v life2000.cfg >life2000.out 2>&1 || bad "life2000: $(cat life2000.out)"
start_dest dst.out dst.err --display png:dst.png || bad "no destination"
timeout 60 "$MYVMM" --migrate "tcp:127.0.0.1:$DPORT" --migrate-after 5000000 -v life2000.cfg \
    >src.out 2>src.err || bad "migration source: $(tail -n 3 src.err)"
grep -q "summary: handed over" src.err || { bad "the source did not hand over: $(tail -n 3 src.err)"; kill "$DPID" 2>/dev/null; }
wait_dest || bad "destination: $(tail -n 3 dst.err)"
DPID=
cmp -s dst.out life2000.out || bad "migrated output: $(cat dst.out)"
[ "$(pix info dst.png 2>&1)" = "64x32 depth 8 colour type 2" ] || bad "dst.png: $(pix info dst.png 2>&1)"
pix same dst.png life2000.png || bad "the migrated VM's picture differs from the run's"

# --- term: a pseudo-terminal of 80 x 24 (ptyout.py)
sed 's/GENS  60/GENS  2000/' "$TOP/samples/display/life.asm" >life.asm
sed 's/^vm_binary.*/vm_binary = life.asm/' "$TOP/samples/display/life.cfg" >life.cfg
start=$(date +%s.%N)
python3 "$D/ptyout.py" tty.out 80 24 "$MYVMM" --display term -v life.cfg 2>tty.err || bad "term: exit $?: $(cat tty.err)"
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{print b-a}')
python3 - tty.out "$secs" <<'PY' || bad "term output"
import re, sys
d = open(sys.argv[1], "rb").read()
secs = float(sys.argv[2])
ok = True
def no(why):
    global ok
    print("term:", why)
    ok = False
# 64 x 32 units on 80 x 24: every unit, 16 lines; the console below them
if not d.startswith(b"\x1b[0m\x1b[H\x1b[2J\x1b[17;24r\x1b[17;1H"):
    no("does not set the scrolling region below 16 lines: %r" % d[:40])
frames = d.count(b"\x1b7\x1b[1;1H")
if frames < 2 or frames > 30 * secs + 2:
    no("%d frames in %.2f s" % (frames, secs))
if b"\x1b[38;2;255;192;32m" not in d or b"\x1b[48;2;16;32;64m" not in d:
    no("no 24-bit colours of life's cells")
last = d.rfind(b"\x1b7\x1b[1;1H")
if d[last:].count(b"\xe2\x96\x80") != 64 * 16:
    no("the last frame has %d half blocks, not 64 x 16" % d[last:].count(b"\xe2\x96\x80"))
if b"generation 2000: " not in d:
    no("the console's line is missing")
if not d.endswith(b"\x1b7\x1b[r\x1b8"):
    no("the scrolling region is not given back: %r" % d[-20:])
sys.exit(0 if ok else 1)
PY
"$MYVMM" --display term -v corner.s >not_tty.out 2>not_tty.err && bad "term without a terminal ran"
grep -q "display term draws on a terminal" not_tty.err || bad "term without a terminal: $(cat not_tty.err)"

# --- mistakes
"$MYVMM" --display gif:x.gif -v corner.s 2>e1.err; [ $? = 2 ] || bad "--display gif: not a usage error"
grep -q "takes png:FILE or term" e1.err || bad "--display gif: $(cat e1.err)"
"$MYVMM" --display term -v corner.s -v corner.s 2>e2.err && bad "term for two VMs ran"
grep -q "say which: --display vm1=term" e2.err || bad "term for two VMs: $(cat e2.err)"
"$MYVMM" --display vm3=png:x.png -v corner.s 2>e3.err; [ $? = 2 ] || bad "vm3=: not a usage error"
grep -q "no VM is called 'vm3'" e3.err || bad "vm3=: $(cat e3.err)"
"$MYVMM" --display png:nodir/x.png -v corner.s 2>e4.err && bad "an unwritable PNG path passed"
grep -q "nodir/x.png" e4.err || bad "unwritable PNG: $(cat e4.err)"

if [ $fail -ne 0 ]; then
    echo "display: $fail problems"
    exit 1
fi
echo "display: all ok"
