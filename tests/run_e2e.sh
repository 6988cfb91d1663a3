#!/usr/bin/env bash
# Runs every end-to-end test script tests/e2e/*.sh against the real binaries
# in $BUILD (build/ by default) and prints "N passed, N failed".
# Each script exits 0 (pass), 77 (skipped, with the reason on stdout) or
# anything else (fail).  E2E_ONLY=name runs the scripts whose name matches.
# A passing script's last line, when it starts with "summary: ", is shown
# next to its PASS line (what it checked, e.g. the count of doc examples).
set -u
cd "$(dirname "$0")/.."
export BUILD="${BUILD:-build}"
export BABYASM="$PWD/$BUILD/babyasm" MYVMM="$PWD/$BUILD/myvmm" TOP="$PWD"
pass=0 fail=0 skip=0 failed=()
for t in tests/e2e/*.sh; do
    [ -e "$t" ] || continue
    name=$(basename "$t" .sh)
    if [ -n "${E2E_ONLY:-}" ] && [[ "$name" != *"$E2E_ONLY"* ]]; then continue; fi
    log=$(mktemp)
    start=$(date +%s.%N)
    bash "$t" >"$log" 2>&1
    rc=$?
    secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
    case $rc in
        0) pass=$((pass + 1)); summary=$(tail -n 1 "$log")
           echo "PASS $name (${secs}s)${summary:+$([[ $summary == "summary: "* ]] && echo ": ${summary#summary: }")}";;
        77) skip=$((skip + 1)); echo "SKIP $name: $(tail -n 1 "$log")";;
        *) fail=$((fail + 1)); failed+=("$name"); echo "FAIL $name (exit $rc)"; sed 's/^/    /' "$log" | tail -n 40;;
    esac
    rm -f "$log"
done
echo "e2e: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
