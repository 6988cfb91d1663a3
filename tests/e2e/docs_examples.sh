#!/usr/bin/env bash
# Every example in README.md, docs/ and samples/ (tests/docs_examples.py,
# convention in README.md "Tested examples"), after a self-test on a small
# page: a changed output, an elision, a mask, a failing status and a skip
# must each be judged as the README says.
set -u
cd "${TOP:-$(dirname "$0")/../..}"
top=$PWD
build=$top/${BUILD:-build}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# page CONTENT: the self-test's repository holds one page, page.md.
page() { rm -rf "$t/repo"; mkdir -p "$t/repo"; printf '%s\n' "$1" > "$t/repo/page.md"; }
# judge WANT_RC REGEX: run the runner on page.md; its exit status must be
# WANT_RC and a line of its report must match REGEX.
judge() {
    out=$(python3 "$top/tests/docs_examples.py" --root "$t/repo" --build "$build" page.md 2>&1)
    local rc=$?
    [ $rc -eq "$1" ] || fail "exit $rc, want $1, on:"$'\n'"$(cat "$t/repo/page.md")"$'\n'"$out"
    grep -Eq -- "$2" <<<"$out" || fail "no line matching '$2' in:"$'\n'"$out"
}

page '```
$ printf "a\nb\nc\n"
a
...
c
$ echo "pid $$"
pid 42
```'
judge 1 '^    \+pid [0-9]+$'
judge 1 '^FAIL page.md:6: \$ echo "pid \$\$"$'
page '<!-- docs-test: mask pid \d+ -->
```
$ printf "a\nb\nc\n"
a
...
c
$ echo one > f; cd /; echo "pid $$"
pid 42
```

Files outlive their block; each block starts at the root of the copy:

```
$ cat f
one
```'
judge 0 '^docs: 2 examples checked \(3 commands\), 0 failed, 0 skipped$'
[ -e "$t/repo/f" ] && fail "an example wrote into the repository"
page '```
$ false
$ false; echo "status $?"
status 1
```
<!-- docs-test: skip needs two terminals -->
```
$ sleep 1000
```'
judge 1 '^    exit status 1 '
judge 1 '^docs: 1 examples checked \(2 commands\), 1 failed, 1 skipped: needs two terminals$'
page '```
$ build/myvmm -v missing.s
```'
judge 1 "myvmm: .*missing.s"
page 'Run it:

```
build/myvmm -v samples/hello.s
```'
judge 1 '^page.md:4: a command without `\$ `'
echo "docs: self-tests passed"

out=$(python3 "$top/tests/docs_examples.py" --build "$build")
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "an example in the docs does not print what it shows"
echo "summary: $(tail -n 1 <<<"$out")"
