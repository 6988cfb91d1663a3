#!/usr/bin/env bash
# stats_csv.sh -- `myvmm --stats-csv FILE` writes one line per slice of
# every VM (docs/scheduling.md, "Slices as CSV"): the header; ten fields a
# line; each VM's slices add up to the instructions its summary line
# reports, and to the slices --stats counts; a VM's slices follow each
# other in time, on threads 0..j-1, and the last one says how it stopped;
# the guests' output does not change.  One VM works too.  A file that
# cannot be written is an error that names it (status 1), a missing file
# name a usage error (2).  docs/tour/timeline.py draws the file.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
S=$TOP/samples/tour
HEADER=vm,thread,round,start_s,wall_ns,cpu_ns,budget,instructions,exits,state

"$MYVMM" -j 2 --stats --stats-csv s.csv -v "$S/spin.s" -v "$S/spin.s" -v "$S/chatty.s" >out 2>err ||
    bad "three VMs: status $?"
"$MYVMM" -j 2 -v "$S/spin.s" -v "$S/spin.s" -v "$S/chatty.s" >out.plain 2>/dev/null
# The same bytes, whatever the order: how the VMs' lines interleave varies
# from run to run, and chatty.s's 300,000-byte line goes out in pieces
# (BH_CON_LINE_MAX bytes at a time, each with its prefix again) between
# other VMs' lines.
bytes() { sed -E 's/vm[0-9]+ \| //g' "$1" | tr -d '\n' | fold -w 1 | sort | uniq -c; }
for vm in vm1 vm2 vm3; do
    [ "$(grep -c "^$vm | " out)" -gt 0 ] || bad "$vm printed nothing"
done
cmp -s <(bytes out) <(bytes out.plain) || bad "the guests' output changed with --stats-csv"
[ "$(head -n 1 s.csv)" = "$HEADER" ] || bad "header: $(head -n 1 s.csv)"
awk -F, 'NR > 1 && NF != 10 { print "line " NR ": " NF " fields"; exit 1 }' s.csv || bad "a line without 10 fields"
for vm in vm1 vm2 vm3; do
    want=$(sed -nE "s/^myvmm: $vm: exited \(status 0\), ([0-9]+) instructions.*/\1/p" err)
    got=$(awk -F, -v vm=$vm '$1 == vm { s += $8 } END { print s + 0 }' s.csv)
    [ -n "$want" ] && [ "$got" = "$want" ] || bad "$vm: slices add up to $got instructions, the summary says '$want'"
    slices=$(sed -nE "s/^\[$vm\] scheduler: .*, ([0-9]+) slices .*/\1/p" err)
    n=$(awk -F, -v vm=$vm '$1 == vm' s.csv | wc -l)
    [ "$n" = "$slices" ] || bad "$vm: $n CSV lines, --stats says '$slices' slices"
    last=$(awk -F, -v vm=$vm '$1 == vm { s = $10 } END { print s }' s.csv)
    [ "$last" = exited ] || bad "$vm: last slice's state '$last'"
    awk -F, -v vm=$vm '$1 == vm { if ($4 + 2e-6 < end) { print "slice " NR " starts before the last ended"; exit 1 }
        end = $4 + $5 / 1e9 }' s.csv || bad "$vm: slices overlap"
done
awk -F, 'NR > 1 && $2 != 0 && $2 != 1 { exit 1 }' s.csv || bad "a thread other than 0 and 1 with -j 2"
# the chatty VM exits at every syscall, one in five of its instructions
# (300,001 syscalls in 1,500,005 instructions): more than one in six
awk -F, '$1 == "vm3" { e += $9; i += $8 } END { exit !(e * 6 > i) }' s.csv || bad "vm3: too few exits"

"$MYVMM" --stats-csv one.csv -v "$TOP/samples/hello.s" >/dev/null 2>&1 || bad "one VM: status $?"
[ "$(sed -n 2p one.csv | cut -d, -f1,2,3)" = vm1,0,0 ] || bad "one VM: $(sed -n 2p one.csv)"

"$MYVMM" --stats-csv nowhere/x.csv -v "$TOP/samples/hello.s" >/dev/null 2>e1
st=$?
[ $st = 1 ] && grep -q "^myvmm: --stats-csv nowhere/x.csv: No such file or directory" e1 ||
    bad "unwritable: status $st, $(cat e1)"
if [ -w /dev/full ]; then
    "$MYVMM" --stats-csv /dev/full -v "$TOP/samples/hello.s" >/dev/null 2>e2
    st=$?
    [ $st = 1 ] && grep -q "^myvmm: --stats-csv /dev/full: writing failed" e2 || bad "/dev/full: status $st, $(cat e2)"
fi
"$MYVMM" --stats-csv -v "$TOP/samples/hello.s" >/dev/null 2>e3
st=$?
[ $st = 2 ] && grep -q "needs a file name, not '-v'" e3 || bad "no file name: status $st, $(cat e3)"

out=$(python3 "$TOP/docs/tour/timeline.py" s.csv t.svg) || bad "timeline.py failed"
case $out in "t.svg: 3 VMs, "*" slices on 2 host threads over "*) ;; *) bad "timeline.py said: $out" ;; esac
[ "$(grep -c '<rect' t.svg)" -gt "$(($(wc -l <s.csv) - 1))" ] || bad "timeline.py drew too few bars"
printf 'vm,x\n' >notcsv.csv
python3 "$TOP/docs/tour/timeline.py" notcsv.csv u.svg 2>e4 && bad "timeline.py took a file without the columns"
grep -q "no column thread, start_s, wall_ns" e4 || bad "timeline.py: $(cat e4)"
[ $fail -eq 0 ] || exit 1
echo "summary: $(($(wc -l <s.csv) - 1)) slices of 3 VMs checked"
