#!/usr/bin/env python3
"""Runs the shell examples of the documentation and compares their output.

A fenced block with lines that start with `$ ` is a transcript: each `$ `
line (continued by the `> ` lines under it) is run by bash, and the lines
under it, up to the next `$ ` line, are the output it must print, stdout and
stderr together (2>&1).  Blocks without `$ ` lines are not run.  What a
transcript may say about what varies (README.md, "Tested examples"):

  - a line `...` stands for any number of output lines (none included);
  - `<!-- docs-test: mask REGEX -->` just before the block: every match of
    REGEX, in the documented and in the real output, is replaced by `*`
    before comparing (times, PIDs, temporary names);
  - `<!-- docs-test: skip REASON -->` just before the block: not run, and
    the reason is printed (two terminals, a network, a whole test suite).

Why a runner of our own rather than cram: the examples stay plain Markdown
that reads as a terminal session (no indentation rules, no `(re)` suffixes
in the text a learner reads), and `...` is what the docs already wrote.

Each page runs in its own scratch copy of the repository (without .git and
build/), its blocks in order, each block in one bash started at the copy's
root, so `cd` lasts to the end of its block and files a block writes are
there for the next block of the page.  build/babyasm and build/myvmm in the
copy are the binaries of --build.  A `$ ` line must exit with status 0;
one that shows a failure ends with `; echo "status $?"`.
"""
import argparse
import difflib
import glob
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile

DIRECTIVE = re.compile(r'^<!-- docs-test: (skip|mask) (.+?) -->$')
FENCE = re.compile(r'^(```|~~~)')
# A command of our build in a block without `$ `: an example that would
# escape the test, as the migration walkthrough's once did.
UNRUN = re.compile(r'^\S*build/(myvmm|babyasm)\b')
TIMEOUT = 60  # seconds for one block; the slowest takes under a second


class Block:
    def __init__(self, path, line):
        self.path, self.line = path, line
        self.skip, self.masks = None, []
        self.commands = []  # [line number, command text, expected lines]


def parse(root, path):
    """The transcripts of one Markdown file (path, relative to root), with
    their directives."""
    blocks, pending = [], []
    with open(os.path.join(root, path), encoding='utf-8') as f:
        lines = f.read().split('\n')
    i = 0
    while i < len(lines):
        m = DIRECTIVE.match(lines[i])
        if m:
            pending.append((i + 1, m.group(1), m.group(2)))
            i += 1
            continue
        fence = FENCE.match(lines[i])
        if not fence:
            if lines[i].strip() and pending:
                raise SystemExit(f'{path}:{pending[0][0]}: docs-test directive not followed by a fenced block')
            i += 1
            continue
        b = Block(path, i + 1)
        i += 1
        while i < len(lines) and not lines[i].startswith(fence.group(1)):
            text = lines[i]
            if text.startswith('$ '):
                b.commands.append([i + 1, text[2:], []])
            elif text.startswith('> ') and b.commands and not b.commands[-1][2]:
                b.commands[-1][1] += '\n' + text[2:]
            elif b.commands:
                b.commands[-1][2].append(text)
            i += 1
        if not b.commands:
            for k in range(b.line, i):
                if UNRUN.match(lines[k]):
                    raise SystemExit(f'{path}:{k + 1}: a command without `$ `: write it as a transcript '
                                     '(`$ ` and its output), or mark the block docs-test skip with a reason')
        i += 1
        for line, kind, arg in pending:
            if not b.commands:
                raise SystemExit(f'{path}:{line}: docs-test {kind} before a block that has no `$ ` lines')
            if kind == 'skip':
                b.skip = arg
            else:
                try:
                    b.masks.append(re.compile(arg))
                except re.error as e:
                    raise SystemExit(f'{path}:{line}: bad mask {arg!r}: {e}')
        pending = []
        if b.commands:
            blocks.append(b)
    return blocks


def masked(lines, masks):
    for m in masks:
        lines = [m.sub('*', s) for s in lines]
    return lines


def matches(want, got):
    """True when got matches want, each `...` line in want standing for any
    number of lines of got."""
    ends = {0}  # how many lines of got the lines of want so far can cover
    for w in want:
        if w == '...':
            ends = set(range(min(ends), len(got) + 1)) if ends else set()
        else:
            ends = {e + 1 for e in ends if e < len(got) and got[e] == w}
    return len(got) in ends


def run_block(b, root, env):
    """Runs one transcript; returns a list of failure reports (empty: pass)."""
    mark = 'docs-test-' + secrets.token_hex(8)
    script = ['exec 2>&1 </dev/null']
    for _, cmd, _ in b.commands:
        script += [cmd, f'echo "{mark} $?"']
    p = subprocess.Popen(['bash', '-c', '\n'.join(script)], cwd=root, env=env,
                         stdout=subprocess.PIPE, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        out += f'\n(timed out after {TIMEOUT} s)\n'.encode()
    parts = re.split(rf'(?:\n)?{mark} (\d+)\n', out.decode('utf-8', 'replace'))
    fails = []
    for k, (line, cmd, want) in enumerate(b.commands):
        where = f'{b.path}:{line}: $ {cmd}'
        if 2 * k + 1 >= len(parts):
            rest = parts[-1].splitlines()
            fails.append(f'{where}\n    did not finish; it printed:\n' + ''.join(f'    {s}\n' for s in rest))
            break
        got = parts[2 * k].splitlines()
        status = int(parts[2 * k + 1])
        w, g = masked(want, b.masks), masked(got, b.masks)
        if not matches(w, g):
            diff = difflib.unified_diff(w, g, 'documented', 'printed', lineterm='', n=2)
            fails.append(where + '\n' + ''.join(f'    {s}\n' for s in diff))
        elif status != 0:
            fails.append(f'{where}\n    exit status {status} (a line that shows a failure ends with `; echo "status $?"`)\n')
    return fails


def scratch_copy(root, build, tmp):
    """The repository without .git and build/, with build/ holding the binaries."""
    copy = os.path.join(tmp, 'repo')
    shutil.copytree(root, copy, symlinks=True,
                    ignore=lambda d, names: [n for n in names if d == root and n in ('.git', 'build')])
    os.mkdir(os.path.join(copy, 'build'))
    for prog in ('babyasm', 'myvmm'):
        src = os.path.join(build, prog)
        if os.path.exists(src):
            os.symlink(os.path.abspath(src), os.path.join(copy, 'build', prog))
    return copy


def main():
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--root', default=top, help='the repository (default: this one)')
    ap.add_argument('--build', default=os.path.join(top, 'build'),
                    help='the folder with babyasm and myvmm (default: build/)')
    ap.add_argument('files', nargs='*', help='Markdown files, relative to the root '
                    '(default: README.md, docs/**/*.md, samples/**/*.md)')
    a = ap.parse_args()
    root = os.path.abspath(a.root)
    files = a.files or ['README.md'] + sorted(
        os.path.relpath(p, root) for d in ('docs', 'samples')
        for p in glob.glob(os.path.join(root, d, '**', '*.md'), recursive=True))
    run = commands = 0
    skipped, fails = [], []
    for rel in files:
        blocks = parse(root, rel)
        runnable = [b for b in blocks if not b.skip]
        skipped += [f'{b.path}:{b.line}: {b.skip}' for b in blocks if b.skip]
        if not runnable:
            continue
        with tempfile.TemporaryDirectory(prefix='docs-test-') as tmp:
            copy = scratch_copy(root, a.build, tmp)
            env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'HOME': tmp,
                   'TMPDIR': tmp, 'LC_ALL': 'C', 'TZ': 'UTC'}
            for b in runnable:
                run += 1
                commands += len(b.commands)
                fails += run_block(b, copy, env)
    for s in skipped:
        print(f'skipped {s}')
    for f in fails:
        print('FAIL ' + f, end='')
    print(f'docs: {run} examples checked ({commands} commands), {len(fails)} failed, '
          f'{len(skipped)} skipped', end='')
    reasons = sorted({s.split(': ', 1)[1] for s in skipped})
    print(f': {"; ".join(reasons)}' if reasons else '')
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
