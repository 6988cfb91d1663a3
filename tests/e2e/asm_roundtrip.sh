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
# A file that another one `.include`s is a part (samples/os/kernel.s):
# it goes round with the file that includes it.
parts=$(grep -rho --include='*.s' '^[[:space:]]*\.include[[:space:]]*"[^"]*"' tests samples |
    sed 's/.*"\(.*\)"/\1/' | sort -u)
while IFS= read -r f; do
    case "$(basename "$f")" in *err*|*bad*) continue;; esac
    if grep -qxF "$(basename "$f")" <<<"$parts" &&
        grep -qs "^[[:space:]]*\.include[[:space:]]*\"$(basename "$f")\"" "$(dirname "$f")"/*.s; then
        continue
    fi
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
