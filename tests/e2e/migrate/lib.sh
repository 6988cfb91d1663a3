# lib.sh: helpers for the migration e2e tests (sourced).
# start_dest OUT ERR [myvmm args...]: a destination on a free loopback
# port in the background; sets DPID and DPORT.
start_dest() {
    local out=$1 err=$2
    shift 2
    # an ERR left by an earlier case would be read before the new process
    # truncates it (the redirection happens after the fork): remove it
    rm -f "$err"
    DERR=$err
    "$MYVMM" --incoming tcp:127.0.0.1:0 "$@" >"$out" 2>"$err" &
    DPID=$!
    DPORT=
    for _ in $(seq 1 100); do
        DPORT=$(sed -n 's/.*waiting for a VM on .* (port \([0-9]*\)).*/\1/p' "$err" | head -n 1)
        [ -n "$DPORT" ] && return 0
        sleep 0.05
    done
    echo "destination did not start: $(cat "$err")"
    return 1
}
# wait_dest: wait for the destination DPID to end, 120 s at most: one
# still waiting after that (for a VM that never came: the source's guest
# ended before the hand-over) is killed with a FAIL line naming it, rather
# than hanging the run.  Returns the destination's exit status, or 124.
wait_dest() {
    timeout 120 tail --pid="$DPID" -f /dev/null
    if kill -0 "$DPID" 2>/dev/null; then
        echo "FAIL: the destination still waits after 120 s (did the VM arrive?): $(tail -n 3 "$DERR")"
        kill "$DPID"
        wait "$DPID" 2>/dev/null
        return 124
    fi
    wait "$DPID"
}
# compute_n N FILE: tests/e2e/migrate/compute.s with N iterations (11
# instructions each; 3000000 as it is) in FILE.  A guest that must outlive
# a migration is sized by this count: the translation tier runs this loop
# at up to 2 G instructions a second, the interpreter at about 0.5 G.
compute_n() {
    sed "s/li    \$s1, 3000000 /li    \$s1, $1 /" "$TOP/tests/e2e/migrate/compute.s" >"$2" &&
        grep -q "li    \$s1, $1 " "$2"
}
# final_hash FILE: the final-hash value in a stderr file
final_hash() { sed -n 's/.*final-hash \(0x[0-9a-f]*\).*/\1/p' "$1" | tail -n 1; }
