#!/usr/bin/env bash
# console_raw.sh -- MARS-style keyboard and display programs: samples/keys.s
# (a game on the MMIO receiver and transmitter) reads keys from a pipe,
# and from a terminal in raw mode (--console raw, on a pseudo-terminal:
# console/rawkeys.py) one key at a time without Enter and without echo,
# the terminal's settings restored at exit; MARS's display controls (form
# feed, bell with x/y in the word) become terminal escapes there; without
# a terminal --console raw is refused.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
MYVMM=${MYVMM:-$TOP/build/myvmm}
[ -x "$MYVMM" ] || { echo "myvmm not found at $MYVMM (run make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
KEYS=$TOP/samples/keys.s

# keys from a pipe: letters in order, a newline ignored
printf 't\ng\nm\n' | "$MYVMM" -v "$KEYS" >pipe.out 2>pipe.err || bad "pipe: exit $?: $(cat pipe.err)"
cat >want <<'W'
guess the letter (a-z)
t: earlier in the alphabet
g: later in the alphabet
m: found in 3 tries
W
cmp -s pipe.out want || bad "pipe: $(diff pipe.out want)"

# on a terminal in raw mode
python3 "$TOP/tests/e2e/console/rawkeys.py" "$MYVMM" "$KEYS" tgm >tty.out 2>tty.err ||
    bad "raw terminal: $(cat tty.err) / $(cat tty.out)"
cmp -s tty.out want || bad "raw terminal output: $(diff tty.out want | head -n 5)"

# MARS's display controls on a terminal: form feed clears, bell moves the
# cursor to x = bits 20-31, y = bits 8-19 (row y + 1, column x + 1)
cat >screen.s <<'S'
        .data
hello:  .asciiz "guess the letter (a-z)\n"
        .text
main:   li $s0, 0xffff0000
        li $t0, 12
        sw $t0, 12($s0)
        li $t0, 0x00500207          # bell: x = 5, y = 2
        sw $t0, 12($s0)
        li $t0, '*'
        sw $t0, 12($s0)
        la $t1, hello
p:      lbu $t0, 0($t1)
        beqz $t0, k
        sw $t0, 12($s0)
        addi $t1, $t1, 1
        j p
k:      lw $t0, 0($s0)
        andi $t0, $t0, 1
        beqz $t0, k
        lw $t0, 4($s0)
        sw $t0, 12($s0)
        li $t0, ':'
        sw $t0, 12($s0)
        li $v0, 10
        syscall
S
python3 "$TOP/tests/e2e/console/rawkeys.py" "$MYVMM" screen.s x >scr.out 2>scr.err || bad "screen: $(cat scr.err)"
printf '\033[2J\033[H\033[3;6H*guess the letter (a-z)\nx:' >scr.want
cmp -s scr.out scr.want || bad "screen escapes: $(od -c scr.out | head -n 4)"
# in line mode (a pipe) the controls pass through as the bytes they are
echo x | "$MYVMM" -v screen.s | head -c 3 | od -An -tx1 | grep -q '0c 07 2a' || bad "line mode changed the control bytes"

echo x | "$MYVMM" --console raw -v "$KEYS" >/dev/null 2>refused.err && bad "--console raw without a terminal ran"
grep -q "needs a terminal on stdin" refused.err || bad "refusal: $(cat refused.err)"

[ $fail = 0 ] && echo "console_raw: ok" || echo "console_raw: $fail failure(s)"
exit $fail
