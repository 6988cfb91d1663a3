#!/usr/bin/env bash
# babyasm --elf: samples assembled both ways, the ELF file read by binutils
# and gdb and held against what babyasm -l lists for the same source (and
# the image's own header and disassembly), so each fact comes from two
# independent places:
#   - readelf -h: the entry is the image's (its header, docs/image-format.md);
#   - readelf -S: each segment's section starts where the listing's first
#     address in that segment is, a text section ends after its last word;
#   - readelf -s: every label of the image (babyasm -d names them all) is a
#     symbol, and each label the listing shows is at the listed address;
#   - readelf --debug-dump=line: a row for every word the listing shows
#     (none for SPIM's start-up code); the first word of a statement is
#     a statement row whose file and line hold the listed source text; the
#     other words of an expansion are rows of the same line, not statements;
#   - objdump -d: the words of the executable sections are the listing's,
#     address for address;
#   - gdb-multiarch (no target): info line, info symbol and list of the
#     first text label name the .s file, the line and the label;
#   - gdb-multiarch on myvmm's gdb stub (--gdb): break at a label, stepi
#     from line to line, a backtrace through labels and lines.
# Then the bad cases: errors in the source, an unwritable output.
set -u
cd "$TOP"
t=$(mktemp -d)
vm=
trap '[ -n "$vm" ] && kill "$vm" 2>/dev/null; rm -rf "$t"' EXIT
fail() { echo "$*"; exit 1; }
# hex("0x1f") = 31 in any awk (mawk has no strtonum).
HEX='function hex(s,  i, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
    for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }'
READELF=mipsel-linux-gnu-readelf
OBJDUMP=mipsel-linux-gnu-objdump
for tool in $READELF $OBJDUMP gdb-multiarch; do
    command -v $tool >/dev/null || fail "$tool not installed (bash .ci/install-deps installs it)"
done

# hello: text, data, start-up code; recursion: calls; linked_list: data;
# exceptions: ktext and kdata only; os/demo: three .include files, all
# four segments, __start.
samples="samples/hello.s samples/recursion.s samples/linked_list.s samples/exceptions.s samples/os/demo.s"
nsym=0 nrow=0 nword=0 npad=0
for s in $samples; do
    n=$(basename "$s" .s)
    "$BABYASM" -l "$s" -o "$t/$n.bin" > "$t/$n.lst" 2> "$t/err" || { cat "$t/err"; fail "$s: babyasm -l failed"; }
    "$BABYASM" --elf "$s" -o "$t/$n.elf" 2> "$t/err" || { cat "$t/err"; fail "$s: babyasm --elf failed"; }
    [ -s "$t/err" ] && { cat "$t/err"; fail "$s: --elf printed diagnostics"; }
    "$BABYASM" -g "$s" -o "$t/$n.g.elf" || fail "$s: babyasm -g failed"
    cmp -s "$t/$n.elf" "$t/$n.g.elf" || fail "$s: -g and --elf wrote different files"
    # The listing: address, word (blank for data), source from column 25.
    awk '{ printf "%s %s %s\n", substr($0, 1, 10), (substr($0, 13, 2) == "0x" ? substr($0, 13, 10) : "-"), substr($0, 25) }' \
        "$t/$n.lst" > "$t/$n.cols"

    # Header: ELF32 little-endian MIPS executable, the image's entry.
    $READELF -h "$t/$n.elf" > "$t/h" || fail "$s: readelf -h failed"
    grep -q 'Class:.*ELF32' "$t/h" && grep -q 'little endian' "$t/h" && grep -q 'Type:.*EXEC' "$t/h" &&
        grep -q 'Machine:.*MIPS' "$t/h" || { cat "$t/h"; fail "$s: not an ELF32 LE MIPS executable"; }
    grep -q 'Flags:.*noreorder, o32, mips32' "$t/h" || { cat "$t/h"; fail "$s: flags are not MIPS32 o32 noreorder"; }
    want=$(od -An -tx4 -j16 -N4 "$t/$n.bin" | tr -d ' ')
    got=$(awk '/Entry point address/ { print $4 }' "$t/h")
    [ $((got)) -eq $((0x$want)) ] || fail "$s: entry $got, the image's is 0x$want"

    # Sections where the listing puts each segment.
    $READELF -W -S "$t/$n.elf" > "$t/S" || fail "$s: readelf -S failed"
    for seg in ".text 00400000 10000000" ".data 10000000 80000000" ".ktext 80000000 90000000" ".kdata 90000000 ffff0000"; do
        set -- $seg
        lo=$((0x$2)) hi=$((0x$3))
        first=$(awk -v lo=$lo -v hi=$hi "$HEX"'{ a = hex($1) } a >= lo && a < hi { printf "%.0f\n", a; exit }' "$t/$n.cols")
        last=$(awk -v lo=$lo -v hi=$hi "$HEX"'{ a = hex($1) } a >= lo && a < hi && $2 != "-" { m = a } END { printf "%.0f\n", m }' "$t/$n.cols")
        line=$(grep -F " $1 " "$t/S")
        if [ -z "$first" ]; then
            [ -z "$line" ] || fail "$s: section $1 for a segment the listing does not show"
            continue
        fi
        [ -n "$line" ] || fail "$s: no section $1, the listing starts it at $(printf 0x%08x "$first")"
        addr=$(awk '{ for (i = 1; i <= NF; i++) if ($i == "'"$1"'") print $(i + 2) }' <<<"$line")
        size=$(awk '{ for (i = 1; i <= NF; i++) if ($i == "'"$1"'") print $(i + 4) }' <<<"$line")
        [ $((0x$addr)) -eq "$first" ] || fail "$s: $1 at 0x$addr, the listing starts it at $(printf 0x%08x "$first")"
        if [ "$1" = .text ] || [ "$1" = .ktext ]; then
            [ $((0x$addr + 0x$size)) -eq $((last + 4)) ] || fail "$s: $1 ends at $(printf 0x%x $((0x$addr + 0x$size))), its last word is at $(printf 0x%x "$last")"
        fi
    done

    # Symbols: the image's labels, each listed one at its address.
    $READELF -W -s "$t/$n.elf" > "$t/s" || fail "$s: readelf -s failed"
    awk '$1 ~ /^[0-9]+:$/ && $8 != "" { print $8, $2 }' "$t/s" | sort > "$t/syms"
    cp "$t/syms" "$t/$n.syms"
    # (and __start, SPIM's name, for the start-up code babyasm put in front of main)
    { "$BABYASM" -d "$t/$n.bin" | sed -n -E 's/^([A-Za-z_.][A-Za-z0-9_.$]*):.*/\1/p'
      grep -q '# start-up code' "$t/$n.lst" && echo __start; } | sort > "$t/labels"
    cut -d' ' -f1 "$t/syms" | sort | diff - "$t/labels" > "$t/d" ||
        { cat "$t/d"; fail "$s: the ELF symbols are not the image's labels (< ELF, > image)"; }
    awk '$3 ~ /^[A-Za-z_.][A-Za-z0-9_.]*:/ { split($3, p, ":"); print p[1], substr($1, 3) }' "$t/$n.cols" |
        while read -r name addr; do
            grep -qx "$name $addr" "$t/syms" || fail "$s: label $name: the listing says 0x$addr, the ELF file: $(grep "^$name " "$t/syms")"
        done || exit 1
    [ -s "$t/labels" ] || fail "$s: no labels"
    nsym=$((nsym + $(wc -l < "$t/syms")))

    # Line rows (readelf decodes the line program) against the listing.
    $READELF -W --debug-dump=line "$t/$n.elf" > "$t/raw" 2> "$t/err" || fail "$s: readelf --debug-dump=line failed"
    [ -s "$t/err" ] && { cat "$t/err"; fail "$s: readelf complains about the DWARF"; }
    grep -q 'DWARF Version: *3' "$t/raw" || fail "$s: the line program is not DWARF 3"
    $READELF -W --debug-dump=decodedline "$t/$n.elf" |
        awk "$HEX"'$3 ~ /^0x/ && $2 ~ /^[0-9]+$/ { printf "%.0f %s %s %s\n", hex($3), $1, $2, ($NF == "x" ? "x" : "-") }' > "$t/rows"
    # One line of the source file, as the listing shows it (leading blanks off).
    awk -v rowsf="$t/rows" "$HEX"'
        BEGIN { while ((getline l < rowsf) > 0) { split(l, f, " "); file[f[1]] = f[2]; line[f[1]] = f[3]; stmt[f[1]] = f[4]; nrows++ } }
        function text(fname, n,   l, i) {
            if (!(fname in cache)) { i = 0; while ((getline l < fname) > 0) src[fname, ++i] = l; cache[fname] = 1 }
            l = src[fname, n]; sub(/^[ \t]+/, "", l); return l
        }
        substr($0, 13, 2) != "0x" { next }  # data: no word
        { a = sprintf("%.0f", hex($1)); src_text = substr($0, 25) }
        src_text ~ /^# start-up code/ { startup = hex($1) + 9 * 4 }  # SPIM start-up code: 9 words
        startup && hex($1) < startup { if (a in file) { print "start-up word " $1 " has a line row"; bad = 1 } next }
        {
            words++
            if (!(a in file)) { print "no line row for " $1; bad = 1; next }
            if (src_text != "") {
                if (stmt[a] != "x") { print $1 ": first word of a statement, not is_stmt"; bad = 1 }
                if (text(file[a], line[a]) != src_text) {
                    print $1 ": row says " file[a] ":" line[a] " \"" text(file[a], line[a]) "\", the listing \"" src_text "\""; bad = 1
                }
                lastf = file[a]; lastl = line[a]
            } else {
                if (stmt[a] == "x") { print $1 ": inside an expansion, yet is_stmt"; bad = 1 }
                if (file[a] != lastf || line[a] != lastl) { print $1 ": inside an expansion of " lastf ":" lastl ", row says " file[a] ":" line[a]; bad = 1 }
            }
        }
        END { if (words != nrows) { print words " words listed, " nrows " rows"; bad = 1 } exit bad }
    ' "$t/$n.lst" > "$t/d" || { head -20 "$t/d"; fail "$s: line rows differ from the listing"; }
    nrow=$((nrow + $(wc -l < "$t/rows")))
    cp "$t/rows" "$t/$n.rows"

    # objdump's words are the listing's; any other word of a text section
    # is the zero padding of a gap (".ktext 0x80000180" after the refill
    # handler at 0x80000000).
    $OBJDUMP -d -z "$t/$n.elf" > "$t/dis" || fail "$s: objdump -d failed"
    awk "$HEX"'$1 ~ /^[0-9a-f]+:$/ && $2 ~ /^[0-9a-f]+$/ && length($2) == 8 { printf "0x%08x 0x%s\n", hex(substr($1, 1, length($1) - 1)), $2 }' \
        "$t/dis" | sort > "$t/objdump.words"
    awk '$2 != "-" { print $1, $2 }' "$t/$n.cols" | sort > "$t/listing.words"
    join "$t/listing.words" "$t/objdump.words" | awk '$2 != $3' > "$t/d"
    [ -s "$t/d" ] && { head -20 "$t/d"; fail "$s: objdump -d words differ from the listing (address, listing, objdump)"; }
    join -v 1 "$t/listing.words" "$t/objdump.words" > "$t/d"
    [ -s "$t/d" ] && { head -20 "$t/d"; fail "$s: listed words objdump -d does not show"; }
    join -v 2 "$t/listing.words" "$t/objdump.words" > "$t/pad"
    grep -v ' 0x00000000$' "$t/pad" > "$t/d"
    [ -s "$t/d" ] && { head -20 "$t/d"; fail "$s: objdump -d shows words the listing does not"; }
    nword=$((nword + $(wc -l < "$t/listing.words")))

    # gdb: main, or else the first label of code (not the start-up code's).
    fn=$(awk '$4 == "FUNC" && $3 > 0 && $8 != "__start" { print $8; exit }' "$t/s")
    grep -qx main <(cut -d' ' -f1 "$t/syms") && fn=main
    addr=0x$(grep -m1 "^$fn " "$t/syms" | cut -d' ' -f2)
    srcline=$(grep -m1 "^$addr " "$t/$n.lst" | cut -c 25-)
    row=$(awk -v a=$((addr)) '$1 == a { print $2, $3 }' "$t/rows")
    [ -n "$row" ] || fail "$s: no line row at $fn ($addr)"
    file=${row% *} line=${row#* }
    # and a word of padding, which no source line may claim.
    pad=$(head -n 1 "$t/pad" | cut -d' ' -f1)
    gdb-multiarch -batch -nx "$t/$n.elf" -ex "info line $fn" -ex "info symbol $(printf 0x%x $((addr + 4)))" -ex "list $fn" \
        ${pad:+-ex "info line *$pad"} > "$t/gdb" 2> "$t/gdb.err" || { cat "$t/gdb.err"; fail "$s: gdb-multiarch failed"; }
    if [ -n "$pad" ]; then
        grep -qF "No line number information available for address $(printf 0x%x $((pad)))" "$t/gdb" ||
            { cat "$t/gdb"; fail "$s: gdb gives the padding word at $pad a source line"; }
        npad=$((npad + 1))
    fi
    grep -qF "Line $line of \"$file\" starts at address $(printf 0x%x $((addr))) <$fn>" "$t/gdb" ||
        { cat "$t/gdb"; fail "$s: gdb's info line $fn does not say $file:$line at $addr"; }
    grep -qxF "$fn + 4 in section $(awk -v a=$((addr)) 'BEGIN { print (a >= 2147483648 ? ".ktext" : ".text") }')" "$t/gdb" ||
        { cat "$t/gdb"; fail "$s: gdb's info symbol does not name $fn + 4"; }
    grep -qF "$(printf '%s\t%s' "$line" "$(sed -n "${line}p" "$file")")" "$t/gdb" ||
        { cat "$t/gdb"; fail "$s: gdb's list $fn does not show $file:$line"; }
    [ "$srcline" = "$(sed -n "${line}p" "$file" | sed 's/^[ \t]*//')" ] || fail "$s: $fn's listing line is not $file:$line"
done

[ $npad -gt 0 ] || fail "no sample has padding in a text section (os/demo.s should)"

# The included files are file entries of their own.
$READELF -W --debug-dump=line "$t/demo.elf" |
    awk '/The File Name Table/ { on = 1; next } /Line Number Statements/ { on = 0 } on && $1 ~ /^[0-9]+$/ { print $NF }' > "$t/files"
for f in samples/os/demo.s samples/os/kernel.s samples/os/user.s; do
    grep -qx "$f" "$t/files" || { cat "$t/files"; fail "demo: no file entry $f"; }
done
grep -q 'DW_AT_comp_dir *: '"$TOP"'$' <($READELF --debug-dump=info "$t/demo.elf") || fail "demo: DW_AT_comp_dir is not $TOP"

# A live program: recursion.bin run by myvmm, waiting for gdb on a unix
# socket; gdb with recursion.elf stops at fact, steps two instructions and
# asks for the backtrace.
sock="$t/gdb.sock"
"$MYVMM" --gdb "unix:$sock" --gdb-wait -v "$t/recursion.bin" > "$t/vm.out" 2>&1 &
vm=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { cat "$t/vm.out"; fail "myvmm --gdb: no socket $sock"; }
timeout 60 gdb-multiarch -batch -nx "$t/recursion.elf" -ex "target remote $sock" -ex 'break fact' \
    -ex continue -ex stepi -ex stepi -ex bt -ex kill > "$t/gdb" 2>&1
wait "$vm"
vm=
fact=$(awk '$1 == "fact" { print $2 }' "$t/recursion.syms")
lines=()
for off in 0 4 8; do
    lines+=("$(awk -v a=$((0x$fact + off)) '$1 == a { print $3 }' "$t/recursion.rows")")
done
f=samples/recursion.s
grep -qxF "Breakpoint 1, fact () at $f:${lines[0]}" "$t/gdb" || { cat "$t/gdb"; fail "gdb on the stub: no stop at fact, $f:${lines[0]}"; }
for l in "${lines[@]}"; do
    grep -qxF "$(printf '%s\t%s' "$l" "$(sed -n "${l}p" "$f")")" "$t/gdb" || { cat "$t/gdb"; fail "gdb on the stub: line $l not shown"; }
done
grep -qxF "#0  fact () at $f:${lines[2]}" "$t/gdb" && grep -qE "^#1  0x[0-9a-f]+ in [A-Za-z_]+ \(\) at $f:[0-9]+\$" "$t/gdb" ||
    { cat "$t/gdb"; fail "gdb on the stub: the backtrace names no labels and lines"; }

# The default output name, and --elf with -d refused.
cp samples/hello.s "$t/p.s"
"$BABYASM" --elf "$t/p.s" || fail "--elf without -o failed"
[ -s "$t/p.elf" ] && [ ! -e "$t/p.bin" ] || fail "--elf without -o: p.elf not written (or p.bin written)"
"$BABYASM" -d "$t/hello.bin" --elf 2> "$t/err"; rc=$?
[ $rc -eq 2 ] && grep -q -- '-d takes only' "$t/err" || fail "-d with --elf: exit $rc"

# Errors in the source: the usual file:line:col messages, no output file.
printf 'main:\n\taddd $t0, $t1, $t2\n\tjr $ra\n' > "$t/bad.s"
"$BABYASM" --elf "$t/bad.s" -o "$t/bad.elf" 2> "$t/err"; rc=$?
[ $rc -eq 1 ] || fail "--elf of a bad source: exit $rc"
grep -q "bad.s:2:2: error: unknown instruction 'addd'" "$t/err" || { cat "$t/err"; fail "--elf of a bad source: no file:line:col error"; }
[ ! -e "$t/bad.elf" ] || fail "--elf of a bad source wrote an output file"
# An output nobody can write: a clear message naming the path.
"$BABYASM" --elf samples/hello.s -o "$t/no/such/dir/x.elf" 2> "$t/err"; rc=$?
[ $rc -eq 1 ] || fail "unwritable output: exit $rc"
grep -q "^babyasm: cannot write $t/no/such/dir/x.elf: .*No such file or directory" "$t/err" ||
    { cat "$t/err"; fail "unwritable output: unclear message"; }
"$BABYASM" --elf samples/hello.s -o "$t" 2> "$t/err"; rc=$?
[ $rc -eq 1 ] && grep -q "^babyasm: cannot write $t: .*Is a directory" "$t/err" ||
    { cat "$t/err"; fail "a folder as the output: exit $rc, unclear message"; }

echo "summary: $(echo $samples | wc -w) samples; $nsym symbols, $nrow line rows, $nword words checked against babyasm -l, readelf, objdump and gdb; gdb on myvmm's stub"
