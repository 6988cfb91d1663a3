# pinned.bash -- sourced by the differential tests (diff_spim.sh,
# mars_features.sh): the checks on a run whose expected outcome is checked
# in next to the program, so that both read the companion files the same
# way:
#   NAME.expected        stdout, compared byte for byte by the caller
#   NAME.status          exit status, or "nonzero" (0 when absent)
#   NAME.stderr          one extended regex per line, each must match stderr
#   NAME.expect-differs  why we differ from the reference simulator on purpose

# status_ok WANT GOT: WANT is a number or "nonzero"
status_ok() {
    case $1 in
    nonzero) [ "$2" -ne 0 ] ;;
    *) [ "$2" -eq "$1" ] ;;
    esac
}

# pinned_why DIR NAME RC ERRFILE: prints what our run (exit status RC,
# stderr in ERRFILE) got wrong against NAME.status and NAME.stderr;
# prints nothing when both hold.
pinned_why() {
    local want=0 re why=""
    [ -f "$1/$2.status" ] && want=$(cat "$1/$2.status")
    status_ok "$want" "$3" || why="exit status $3, expected $want"
    if [ -f "$1/$2.stderr" ]; then
        while IFS= read -r re; do
            [ -z "$re" ] && continue
            grep -Eq -- "$re" "$4" || why="$why; stderr lacks /$re/"
        done <"$1/$2.stderr"
    fi
    printf '%s' "${why#; }"
}

# differs_why DIR NAME EXT...: a NAME.expect-differs must give a reason,
# and NAME.EXT must exist for each EXT; prints what is missing, if anything.
differs_why() {
    local dir=$1 name=$2 ext missing=""
    shift 2
    [ -s "$dir/$name.expect-differs" ] || missing=" a reason"
    for ext in "$@"; do
        [ -f "$dir/$name.$ext" ] || missing="$missing a .$ext file"
    done
    [ -z "$missing" ] || printf '.expect-differs needs%s' "$missing"
}
