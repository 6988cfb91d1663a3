#!/usr/bin/env bash
# messages.sh -- every help line in the code has its case in docs/messages.md.
# A help line is the text after BH_HELP in a format string, or the format
# of a bh_err_help() call (include/bh_util.h), in common/, asm/ and vm/;
# each must match a "  help: " line of docs/messages.md (a %s or %u there
# stands for any text).  docs_examples.sh runs the cases, so together a
# changed or a new message fails until the page shows it.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$TOP" || exit 1
python3 - docs/messages.md common asm vm <<'PY'
import os, re, sys

TOKEN = re.compile(r'"(?:\\.|[^"\\\n])*"|/\*.*?\*/|//[^\n]*|[A-Za-z_]\w*|\S', re.S)
FORMAT = re.compile(r'%[-+ #0-9.*]*(?:ll|l|z|h)?[a-z]')

def literals(tokens, i):
    """The adjacent string literals from tokens[i], joined, and where they end."""
    out = []
    while i < len(tokens) and tokens[i].startswith('"'):
        out.append(bytes(tokens[i][1:-1], 'utf-8').decode('unicode_escape'))
        i += 1
    return ''.join(out), i

def helps(path):
    text = open(path, encoding='utf-8').read().replace('\\\n', '')  # macros' line joins
    toks = [t for t in TOKEN.findall(text) if not t.startswith(('/*', '//'))]
    found = []
    for i, t in enumerate(toks):
        if t == 'BH_HELP' and i + 1 < len(toks) and toks[i + 1].startswith('"'):
            found.append(literals(toks, i + 1)[0])
        elif t == 'bh_err_help' and i + 1 < len(toks) and toks[i + 1] == '(':
            depth, j, commas = 0, i + 1, 0
            while j < len(toks):  # to the third argument
                if toks[j] in '([{': depth += 1
                elif toks[j] in ')]}': depth -= 1
                elif toks[j] == ',' and depth == 1:
                    commas += 1
                    if commas == 2:
                        break
                j += 1
            s, _ = literals(toks, j + 1)
            if s:
                found.append(s)
    return found

page, dirs = sys.argv[1], sys.argv[2:]
shown = [l.strip()[len('help: '):] for l in open(page, encoding='utf-8').read().split('\n')
         if l.strip().startswith('help: ')]
count, missing = 0, []
for d in dirs:
    for root, _, files in os.walk(d):
        for f in sorted(files):
            if not f.endswith(('.c', '.h')):
                continue
            path = os.path.join(root, f)
            for h in helps(path):
                h = h.rstrip('\n')  # a format that main prints ends its line
                count += 1
                want = re.compile(''.join('.+' if FORMAT.fullmatch(p) else re.escape(p)
                                          for p in re.split('(' + FORMAT.pattern + ')', h)))
                if not any(want.fullmatch(s) for s in shown):
                    missing.append(f'{path}: "{h}"')
for m in missing:
    print(f'not in {page}: {m}')
print(f'summary: {count} help lines in the code, {len(missing)} without a case in {page}')
sys.exit(1 if missing or count == 0 else 0)
PY
