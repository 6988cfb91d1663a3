#!/usr/bin/env bash
# Disassemble -> reassemble gives a byte-identical image for every .s file
# under tests/ and samples/ (and the original tool's instruction files).
# A file babyasm rejects fails the test, unless its name says it is meant
# to (err/bad in the name).
set -u
cd "$TOP"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0 bad=0
# A part of a program (a file another one includes, as samples/os/kernel.s
# and procs.s, which name each other's labels) round-trips inside the file
# that includes it, not alone.
declare -A part
while IFS= read -r f; do
    while IFS= read -r inc; do
        part["$(dirname "$f")/$inc"]=1
    done < <(sed -nE 's/^[[:space:]]*\.include[[:space:]]+"([^"]+)".*/\1/p' "$f")
done < <(find tests samples -name '*.s' | sort)
while IFS= read -r f; do
    case "$(basename "$f")" in *err*|*bad*) continue;; esac
    [ -z "${part[$f]:-}" ] || continue
    if ! "$BABYASM" "$f" -o "$t/a.bin" 2> "$t/err"; then
        echo "FAIL: $f does not assemble:"; head -5 "$t/err"; bad=$((bad + 1)); continue
    fi
    if ! "$BABYASM" -d "$t/a.bin" > "$t/d.s" 2> "$t/err"; then
        echo "FAIL: $f: disassembly failed:"; cat "$t/err"; bad=$((bad + 1)); continue
    fi
    if ! "$BABYASM" "$t/d.s" -o "$t/b.bin" 2> "$t/err"; then
        echo "FAIL: $f: the disassembly does not assemble:"; head -5 "$t/err"; bad=$((bad + 1)); continue
    fi
    if ! cmp -s "$t/a.bin" "$t/b.bin"; then
        echo "FAIL: $f: reassembled image differs"; bad=$((bad + 1)); continue
    fi
    n=$((n + 1))
done < <(find tests samples -name '*.s' -o -name 'instructions_*.txt' | sort)
echo "$n files round-tripped, $bad failed"
[ $n -gt 0 ] && [ $bad -eq 0 ]
