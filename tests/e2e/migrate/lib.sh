# lib.sh: helpers for the migration e2e tests (sourced).
# start_dest OUT ERR [myvmm args...]: a destination on a free loopback
# port in the background; sets DPID and DPORT.
start_dest() {
    local out=$1 err=$2
    shift 2
    # an ERR left by an earlier case would be read before the new process
    # truncates it (the redirection happens after the fork): remove it
    rm -f "$err"
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
# final_hash FILE: the final-hash value in a stderr file
final_hash() { sed -n 's/.*final-hash \(0x[0-9a-f]*\).*/\1/p' "$1" | tail -n 1; }
