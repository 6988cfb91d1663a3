#!/usr/bin/env bash
# spim_words.sh FILE.s: print, one per line in hex, the words SPIM 8.0
# assembles for FILE's user text (from 0x00400024 on).  Used by hand to
# check babyasm's pseudo-instruction expansions against the original; spim
# only answers its interactive commands on a terminal, hence `script`.
set -eu
f=$(readlink -f "$1")
out=$(mktemp)
(printf 'read "%s"\n' "$f"; sleep 0.3; printf 'dumpnative "%s"\n' "$out"; sleep 0.3; printf 'quit\n') |
    timeout 10 script -qc spim /dev/null >/dev/null 2>&1 || true
od -An -tx4 -w4 -v "$out" | tr -d ' '
rm -f "$out"
