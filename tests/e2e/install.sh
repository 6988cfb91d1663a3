#!/usr/bin/env bash
# install.sh -- make install and make uninstall, as a Unix tool installs:
# make install DESTDIR=tmp PREFIX=/usr puts exactly the programs, their man
# pages, the bash completion and the samples in their places; the installed
# programs run; both man pages render with man -l, without warnings, and
# name every option the program's --help prints (and no option it does
# not); the completion offers the options and the dialects; make uninstall
# removes exactly what make install put there.  (make deb is a separate
# target: it takes minutes, see README.md, Install.)
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build}
command -v man >/dev/null 2>&1 || { echo "man (man-db) is not installed: run .ci/install-deps"; exit 77; }
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
cd "$TOP" || exit 1
mk() { make --no-print-directory -s "$@" DESTDIR="$d/root" PREFIX=/usr BUILD="$BUILD" >"$d/make.out" 2>&1 ||
           bad "make $1: $(cat "$d/make.out")"; }

# The tree: exactly these files.
mk install
{
    printf '%s\n' usr/bin/babyasm usr/bin/myvmm usr/share/man/man1/babyasm.1 \
        usr/share/man/man1/myvmm.1 usr/share/bash-completion/completions/myvmm \
        usr/share/bash-completion/completions/babyasm
    if [ -e .git ]; then git ls-files samples; else find samples -type f; fi |
        sed 's|^|usr/share/baby-hypervisor/|'
} | sort >"$d/want"
(cd "$d/root" && find . ! -type d | sed 's|^\./||' | sort) >"$d/have"
diff "$d/want" "$d/have" >"$d/diff" || bad "installed tree differs (- missing, + extra): $(cat "$d/diff")"
[ "$(readlink "$d/root/usr/share/bash-completion/completions/babyasm")" = myvmm ] ||
    bad "babyasm's completion is not a link to myvmm's"
for p in babyasm myvmm; do
    [ -x "$d/root/usr/bin/$p" ] || bad "usr/bin/$p is not executable"
done
out=$("$d/root/usr/bin/myvmm" -v "$d/root/usr/share/baby-hypervisor/samples/hello.s" 2>&1)
[ "$out" = "Hello, world!" ] || bad "installed myvmm on the installed hello.s: '$out'"
"$d/root/usr/bin/babyasm" "$d/root/usr/share/baby-hypervisor/samples/hello.s" -o "$d/hello.bin" ||
    bad "installed babyasm did not assemble hello.s"

# Options as --help prints them and as the page shows them: -x, --name, -name.
options() { grep -oE '(^|[^[:alnum:]_-])--?[[:alpha:]][[:alnum:]_-]*' | sed -E 's/^[^-]*//' | sort -u; }
for p in babyasm myvmm; do
    page=$d/root/usr/share/man/man1/$p.1
    LC_ALL=C MANWIDTH=250 man --warnings -l "$page" >"$d/$p.txt" 2>"$d/$p.warn" ||
        bad "$p.1: man -l failed: $(cat "$d/$p.warn")"
    [ -s "$d/$p.warn" ] && bad "$p.1: man -l warns: $(head -n 5 "$d/$p.warn")"
    grep -q "^NAME" "$d/$p.txt" || bad "$p.1: rendered without a NAME section"
    "$d/root/usr/bin/$p" --help | options >"$d/$p.help"
    [ -s "$d/$p.help" ] || bad "$p --help names no option"
    options <"$d/$p.txt" >"$d/$p.page"
    missing=$(comm -23 "$d/$p.help" "$d/$p.page" | tr '\n' ' ')
    [ -z "$missing" ] || bad "$p.1 lacks options that $p --help prints: $missing"
    sed -n '/^OPTIONS/,/^[A-Z]/p' "$d/$p.txt" | options >"$d/$p.listed"
    gone=$(comm -13 "$d/$p.help" "$d/$p.listed" | tr '\n' ' ')
    [ -z "$gone" ] || bad "$p.1 lists options that $p --help does not print: $gone"
done

# One version everywhere: the programs', the pages' and the package's.
v=$("$d/root/usr/bin/myvmm" --version | awk '{print $NF}')
[ "$("$d/root/usr/bin/babyasm" --version | awk '{print $NF}')" = "$v" ] || bad "babyasm's version is not $v"
for p in babyasm myvmm; do
    grep -qx "\.Os baby_hypervisor $v" "docs/man/$p.1" || bad "docs/man/$p.1: .Os does not say version $v"
done
head -n 1 debian/changelog | grep -q "^baby-hypervisor ($v) " ||
    bad "debian/changelog: the first entry is not version $v: $(head -n 1 debian/changelog)"

# The completion, as bash runs it, with the installed programs on PATH.
complete_words() { # COMMAND WORD...: what completing the last word offers
    PATH="$d/root/usr/bin:$PATH" bash -c '
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _baby_hypervisor; printf "%s\n" "${COMPREPLY[@]}"' _ \
        "$d/root/usr/share/bash-completion/completions/$1" "${@:2}"
}
[ "$(complete_words myvmm myvmm --snapshot-i)" = --snapshot-info ] ||
    bad "completion of 'myvmm --snapshot-i': '$(complete_words myvmm myvmm --snapshot-i)'"
[ "$(complete_words babyasm babyasm --dia)" = --dialect ] ||
    bad "completion of 'babyasm --dia': '$(complete_words babyasm babyasm --dia)'"
[ "$(complete_words myvmm myvmm --dialect '' | sort | tr '\n' ' ')" = "mars spim " ] ||
    bad "completion of 'myvmm --dialect': '$(complete_words myvmm myvmm --dialect '')'"
all=$(complete_words myvmm myvmm - | sort)
[ "$all" = "$(cat "$d/myvmm.help")" ] || bad "completion of 'myvmm -' is not every option of --help"

# make uninstall: exactly those files; a file that is not ours stays.
touch "$d/root/usr/bin/not-ours"
mk uninstall
left=$(cd "$d/root" && find . ! -type d | sed 's|^\./||')
[ "$left" = usr/bin/not-ours ] || bad "after make uninstall: '$left' (expected only usr/bin/not-ours)"
[ -e "$d/root/usr/share/baby-hypervisor" ] && bad "make uninstall left usr/share/baby-hypervisor"

[ $fail -eq 0 ] || exit 1
echo "summary: $(wc -l <"$d/want") files installed and removed; $(wc -l <"$d/myvmm.help") myvmm and $(wc -l <"$d/babyasm.help") babyasm options in their man pages and completion"
