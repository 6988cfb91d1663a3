#!/usr/bin/env bash
# disk.sh -- the block device (docs/devices.md): the sample's output and
# its restore; a disk round trip across snapshot/restore (the image
# written on after the snapshot is rewound by the restore, raw and zstd);
# the completion interrupt pending in a snapshot; the bare machine's
# physical registers and DMA; --trace-exits and
# --stats name the disk; vm_disk; and the errors: a bad image, a locked
# one, --disk with two VMs, a restore without a disk or with another size.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
expect() { # expect NAME FILE TEXT
    [ "$(cat "$2")" = "$3" ] || bad "$1: got: $(cat "$2")"
}

# The sample: a log, a snapshot between two appends, the restore.
truncate -s 64K log.img
"$MYVMM" --disk log.img "$TOP/samples/disk/log.s" >out 2>err || bad "sample: $(cat err)"
expect sample out "the log has 0 entries:
the log has 2 entries:
  boot
  after the snapshot"
"$MYVMM" --disk log.img -s disklog.snap >out 2>err || bad "sample restore: $(cat err)"
expect "sample restore" out "the log has 2 entries:
  boot
  after the snapshot"
"$MYVMM" --disk log.img "$TOP/samples/disk/log.s" >out 2>err || bad "sample again: $(cat err)"
grep -q "the log has 4 entries" out || bad "sample again: the disk did not keep the log: $(cat out)"
"$MYVMM" --snapshot-info disklog.snap >info 2>&1 || bad "snapshot-info: $(cat info)"
grep -q "^disk: 128 sectors (64 KiB), image log.img; 1 extents, 4096 bytes of data" info ||
    bad "snapshot-info: no disk line: $(cat info)"
grep -q "^  DISK    v1" info || bad "snapshot-info: no DISK section"
cp disklog.snap keep.snap

# A round trip: stop at an instruction count with --snapshot-on-exit, let
# another run write on the image, restore: output and image as one run.
W=$TOP/tests/e2e/migrate/disk_writer.s
truncate -s 1M ref.img
"$MYVMM" --disk ref.img "$W" >ref.out || bad "writer: reference run"
for z in "" --snapshot-compress; do
    rm -f d.img && truncate -s 1M d.img
    "$MYVMM" --disk d.img --max-instructions 50000000 --snapshot-on-exit s.snap $z "$W" >out1 2>err
    [ $? -eq 4 ] || bad "round trip$z: the first part: $(cat err)"
    "$MYVMM" --disk d.img --max-instructions 90000000 "$W" >/dev/null 2>&1 # writes on
    cmp -s d.img ref.img && bad "round trip$z: the image did not change after the snapshot"
    "$MYVMM" --disk d.img -s s.snap >out2 2>err || bad "round trip$z: restore: $(cat err)"
    cat out1 out2 | cmp -s - ref.out || bad "round trip$z: output differs"
    cmp -s d.img ref.img || bad "round trip$z: the image differs from one run's"
    [ -z "$z" ] || "$MYVMM" --snapshot-info s.snap | grep -q "stored (zstd)" || bad "round trip: not compressed"
done

# The interrupt: pending (unacknowledged) in the snapshot, taken after.
truncate -s 4K irq.img
"$MYVMM" --disk irq.img "$TOP/tests/e2e/disk/irq.s" >out 2>err || bad "irq: $(cat err)"
printf '1\n4\n' | cmp -s - out || bad "irq: got $(cat out)"
"$MYVMM" --disk irq.img -s irq.snap >out 2>err || bad "irq restore: $(cat err)"
printf '1\n4\n' | cmp -s - out || bad "irq restore: got $(cat out)"
"$MYVMM" --snapshot-info irq.snap | grep -q "control 0x1; interrupt pending (IP4)" ||
    bad "irq: the snapshot does not show the pending interrupt"

# The bare machine: physical registers and DMA addresses.
truncate -s 4K bare.img
printf 'hello from the disk\n' | dd of=bare.img bs=512 seek=1 conv=notrunc status=none
"$MYVMM" --machine bare --disk bare.img "$TOP/tests/e2e/disk/bare.s" >out 2>err || bad "bare: $(cat err)"
expect bare out "hello from the disk"
[ "$(head -c 20 bare.img)" = "hello from the disk" ] || bad "bare: sector 0 was not written"

# The learner's view: exits by device and register.
"$MYVMM" --disk irq.img --trace-exits "$TOP/tests/e2e/disk/irq.s" >/dev/null 2>err
grep -q "mmio write disk.command = 0x1" err || bad "trace-exits: $(grep -m3 mmio err)"
"$MYVMM" --disk irq.img --stats "$TOP/tests/e2e/disk/irq.s" >/dev/null 2>err
grep -q "mmio: .*disk" err || bad "stats: $(grep mmio err)"
grep -q "^\[vm1\] disk: 4 reads (4 sectors), 0 writes (0 sectors), 0 flushes, 0 errors" err ||
    bad "stats: no disk line: $(grep disk err)"

# vm_disk, relative to the config's folder
mkdir -p cfg && truncate -s 64K cfg/c.img
printf 'vm_binary = %s\nvm_disk = c.img\n' "$TOP/samples/disk/log.s" >cfg/vm.cfg
"$MYVMM" -v cfg/vm.cfg >out 2>err || bad "vm_disk: $(cat err)"
grep -q "the log has 2 entries" out || bad "vm_disk: $(cat out)"

# errors
printf 'x' >odd.img
"$MYVMM" --disk odd.img "$TOP/samples/hello.s" >/dev/null 2>err && bad "odd image accepted"
grep -q "disk odd.img is not a whole number of 512-byte sectors (1 bytes)" err || bad "odd image: $(cat err)"
"$MYVMM" --disk nope.img "$TOP/samples/hello.s" >/dev/null 2>err && bad "missing image accepted"
grep -q "disk nope.img: No such file or directory" err || bad "missing image: $(cat err)"
printf 'vm_binary = %s\nvm_disk = c.img\n' "$TOP/samples/hello.s" >cfg/other.cfg
"$MYVMM" -v cfg/vm.cfg -v cfg/other.cfg >/dev/null 2>err && bad "one image for two VMs accepted"
grep -q "disk cfg/c.img is in use by another VM (it is locked)" err || bad "locked: $(cat err)"
"$MYVMM" --disk log.img -v "$TOP/samples/hello.s" -v "$TOP/samples/hello.s" >/dev/null 2>err
[ $? -eq 2 ] && grep -q "disk is the disk of one VM" err || bad "--disk with two VMs: $(cat err)"
"$MYVMM" -s keep.snap >/dev/null 2>err && bad "restore without a disk accepted"
grep -q "the VM had a disk (log.img, 128 sectors) and this one has none" err || bad "no disk: $(cat err)"
truncate -s 128K big.img
"$MYVMM" --disk big.img -s keep.snap >/dev/null 2>err && bad "restore onto another size accepted"
grep -q "the snapshot's disk has 128 sectors (64 KiB), this VM's disk big.img has 256" err ||
    bad "other size: $(cat err)"
[ "$(od -An -tx1 big.img | tr -d ' \n*' | tr -d 0)" = "" ] || bad "a refused restore wrote the image"

echo "disk: $fail failures"
[ $fail -eq 0 ]
