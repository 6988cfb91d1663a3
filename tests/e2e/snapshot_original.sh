#!/usr/bin/env bash
# snapshot_original.sh -- the original tool's snapshot flow and files:
#  1. samples/assembly_file_vm1.txt (vm_snapshot = snapshot_vm1.bin, a
#     SNAPSHOT snapshot_vm1.bin line) writes the file and goes on;
#     -s resumes at the instruction after SNAPSHOT and prints the same
#     DUMP_PROCESSOR_STATE lines.  The expected lines are computed here by a
#     small interpreter of the instruction file (li/add/sub/addi/mul/and/or/
#     xor/sll/srl, wrapping at 32 bits as the original did).
#  2. a hand-made 132-byte version-0 file (32 registers + PC index) restores,
#     with a one-line note on stderr that the format carries no checksum
#     (and none for a snapshot of today's format).
#  3. refusals, each with a message and without starting the VM: another
#     program (image hash), a newer format version, truncation, a flipped
#     bit, a wrong magic.
#  4. --snapshot-info describes; -s alone resumes from the embedded image.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$TOP"/samples/assembly_file_vm1.txt "$TOP"/samples/instructions_vm1.txt \
   "$TOP"/samples/instructions_vm2.txt "$tmp"/ || exit 1
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# --- the interpreter: run statements [from, end) of FILE on regs R[] ---
s32() { local v=$(( $1 & 0xffffffff )); [ $v -ge 2147483648 ] && v=$((v - 4294967296)); echo $v; }
declare -a R
val() { case $1 in \$*) echo "${R[${1#\$}]}";; *) echo $(($1));; esac; }
interp() { # FILE FROM
    local i=0 op a b c line
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line%%#*}; line=${line//$'\r'/}
        [ -z "${line//[[:space:]]/}" ] && continue
        if [ $i -ge "$2" ]; then
            read -r op rest <<<"$line"
            IFS=', ' read -r a b c <<<"$rest"
            a=${a#\$}
            case $op in
            li) R[$a]=$(s32 "$(val "$b")");;
            add|addi) R[$a]=$(s32 $(( $(val "$b") + $(val "$c") )));;
            sub) R[$a]=$(s32 $(( $(val "$b") - $(val "$c") )));;
            mul) R[$a]=$(s32 $(( $(val "$b") * $(val "$c") )));;
            and) R[$a]=$(s32 $(( $(val "$b") & $(val "$c") )));;
            or) R[$a]=$(s32 $(( $(val "$b") | $(val "$c") )));;
            xor) R[$a]=$(s32 $(( $(val "$b") ^ $(val "$c") )));;
            sll) R[$a]=$(s32 $(( $(val "$b") << $(val "$c") )));;
            srl) R[$a]=$(s32 $(( ($(val "$b") & 0xffffffff) >> $(val "$c") )));;
            SNAPSHOT) ;;
            DUMP_PROCESSOR_STATE) for r in $(seq 0 31); do echo "\$r$r=${R[$r]}"; done;;
            *) echo "interp: unknown $op" >&2; return 1;;
            esac
        fi
        i=$((i + 1))
    done <"$1"
}

# 1. the original flow.  Every register starts at 0, as in the original
# tool (myvmm does so for programs in the instruction-file form).
for r in $(seq 0 31); do R[$r]=0; done
interp instructions_vm1.txt 0 >expected || exit 1
[ "$(wc -l <expected)" = 32 ] || bad "interpreter gave $(wc -l <expected) lines"
timeout 20 "$MYVMM" -v assembly_file_vm1.txt >out1 2>err1 || bad "run: exit $?: $(cat err1)"
cmp -s expected out1 || { bad "whole run differs from the original's dump"; diff expected out1 | head; }
[ -s snapshot_vm1.bin ] || bad "no snapshot_vm1.bin written"
cp snapshot_vm1.bin keep.bin
sum_before=$(cksum <snapshot_vm1.bin)
timeout 20 "$MYVMM" -v assembly_file_vm1.txt -s snapshot_vm1.bin >out2 2>err2 || bad "restore: exit $?: $(cat err2)"
cmp -s expected out2 || { bad "restored run differs"; diff expected out2 | head; }
grep -q 'checksum' err2 && bad "a version-2 restore prints a checksum note: $(cat err2)"
[ "$(cksum <snapshot_vm1.bin)" = "$sum_before" ] || bad "the restore ran SNAPSHOT again (it must resume after it)"
# the info names the next instruction: line 10 (mul) of instructions_vm1.txt
snapline=$(grep -n SNAPSHOT instructions_vm1.txt | cut -d: -f1)
"$MYVMM" --snapshot-info keep.bin >info 2>&1 || bad "--snapshot-info: $(cat info)"
grep -q "instructions_vm1.txt:$((snapline + 1))" info || bad "--snapshot-info does not show line $((snapline + 1)): $(cat info)"
grep -q '^format version: 2' info || bad "info: no version line"
grep -q 'checksums (CRC32C) verified' info || bad "info: checksums not reported"
# -s alone: the program comes from the snapshot itself
timeout 20 "$MYVMM" -s keep.bin >out3 2>err3 || bad "-s alone: exit $?: $(cat err3)"
cmp -s expected out3 || bad "-s alone differs"

# 2. a hand-made version-0 file: registers, then the PC as a statement index
le32() { local v=$(( $1 & 0xffffffff )); printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((v & 255)) $((v >> 8 & 255)) $((v >> 16 & 255)) $((v >> 24 & 255)))"; }
addline=$(grep -n '^add ' instructions_vm1.txt | head -n 1 | cut -d: -f1)
pcindex=$((addline - 1)) # no comments or blank lines in the file: index = line - 1
for r in $(seq 0 31); do R[$r]=$(( r == 0 ? 0 : r * 1000 - 7 )); done
R[7]=-40000
{ for r in $(seq 0 31); do le32 "${R[$r]}"; done; le32 $pcindex; } >v0.bin
[ "$(wc -c <v0.bin)" = 132 ] || bad "v0 file is $(wc -c <v0.bin) bytes"
interp instructions_vm1.txt $pcindex >expected0 || exit 1
timeout 20 "$MYVMM" -v instructions_vm1.txt -s v0.bin >out0 2>err0 || bad "v0 restore: exit $?: $(cat err0)"
cmp -s expected0 out0 || { bad "v0 restore differs"; diff expected0 out0 | head; }
[ "$(grep -c 'original 132-byte snapshot format.*no checksum' err0)" = 1 ] && [ "$(wc -l <err0)" = 1 ] ||
    bad "v0 restore: not exactly a one-line note that the format has no checksum: $(cat err0)"
"$MYVMM" --snapshot-info v0.bin -v instructions_vm1.txt >info0 2>&1 || bad "info v0: $(cat info0)"
grep -q 'format version: 0' info0 || bad "info v0: $(cat info0)"
grep -q "instructions_vm1.txt:$addline" info0 || bad "info v0 does not map the PC to line $addline: $(cat info0)"

# 3. refusals: a message naming the problem, exit status 1, no guest output
refused() { # what expected-message args...
    local what=$1 want=$2
    shift 2
    timeout 20 "$MYVMM" "$@" >rout 2>rerr
    local rc=$?
    [ $rc = 1 ] || bad "$what: exit status $rc, expected 1"
    [ -s rout ] && bad "$what: the VM ran: $(head -c 100 rout)"
    grep -q -- "$want" rerr || bad "$what: message lacks '$want': $(cat rerr)"
}
refused "other program" "image hash mismatch" -v instructions_vm2.txt -s keep.bin
cp keep.bin newer.bin
printf '\x09' | dd of=newer.bin bs=1 seek=4 conv=notrunc status=none
refused "newer version" "version 9 is newer than this myvmm supports (version 2)" -v instructions_vm1.txt -s newer.bin
head -c 1000 keep.bin >trunc.bin
refused "truncated" "truncated" -v instructions_vm1.txt -s trunc.bin
cp keep.bin flip.bin
size=$(wc -c <flip.bin)
off=$((size / 2))
byte=$(od -An -tu1 -j $off -N1 flip.bin | tr -d ' ')
printf "\\x$(printf %02x $((byte ^ 16)))" | dd of=flip.bin bs=1 seek=$off conv=notrunc status=none
refused "flipped bit" "checksum mismatch" -v instructions_vm1.txt -s flip.bin
cp keep.bin magic.bin
printf 'X' | dd of=magic.bin bs=1 seek=1 conv=notrunc status=none
refused "wrong magic" "bad magic" -v instructions_vm1.txt -s magic.bin
head -c 131 v0.bin >v0short.bin
refused "131-byte file" "not a snapshot" -v instructions_vm1.txt -s v0short.bin
refused "info of a damaged file" "checksum mismatch" --snapshot-info flip.bin

echo "snapshot_original: $fail failures"
[ $fail -eq 0 ]
