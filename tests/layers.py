#!/usr/bin/env python3
"""layers.py: the include rules of the source tree, checked (issue 11).

    python3 tests/layers.py ROOT [--objects BUILD_DIR]

Reads every #include "..." under vm/, asm/, common/ and include/ of ROOT,
resolves it the way the compiler does with the Makefile's -I folders, and
groups files into units (a .c and the .h of the same name in the same folder
are one unit).  It fails, one line per problem, on:
  - an include circle between units;
  - an include that points up a layer (vm/host > vm/state > vm/machine >
    vm/core = vm/mem = vm/dev > common/ > include/), or across the line
    between the two programs (asm/ never sees vm/; vm/ sees asm only through
    include/babyasm.h);
  - the sibling rules of vm/core, vm/mem and vm/dev;
  - vm/machine/vm_internal.h included from outside vm/machine/.
With --objects it also reads the symbols of BUILD_DIR's objects (nm) and
applies the same rules to calls: file A calls file B when B defines a symbol
A leaves undefined.
Exit status: 0 when clean (one summary line), 1 with problems, 2 on misuse.
"""
import argparse
import collections
import os
import re
import subprocess
import sys

# The device contract: the one vm/ header a device may include.
DEV_CONTRACT = "vm/dev/dev.h"
# The machine's private header: only vm/machine/ may include it.
PRIVATE_HEADER = "vm/machine/vm_internal.h"
# asm's public header: vm/ reaches the assembler only through it.
ASM_PUBLIC = "include/babyasm.h"

SCANNED = ("vm", "asm", "common", "include")
SOURCE_EXT = (".c", ".h", ".re", ".y")
# The Makefile's -I folders, in its order ($(GEN) is build output, skipped).
SEARCH = ("include", "asm", "vm", "vm/state", "vm/machine", "vm/core",
          "vm/mem", "vm/dev", "common")
# Files the build generates into $(GEN); an include of one is not checked.
GENERATED = ("parser.h", "suites.h", "superinsn.h", "superinsn_match.h")
LAYER_RANK = {"host": 5, "state": 4, "machine": 3, "core": 2, "mem": 2, "dev": 2}
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def zone(path):
    """(name, rank) of the layer a repo-relative path belongs to.  asm has no
    rank: it is a program of its own beside vm/.  None: outside every layer."""
    parts = path.split("/")
    if parts[0] == "vm":
        layer = parts[1] if len(parts) > 2 else None
        if layer in LAYER_RANK:
            return ("vm/" + layer, LAYER_RANK[layer])
        return None
    if parts[0] == "common":
        return ("common", 1)
    if parts[0] == "include":
        return ("include", 0)
    if parts[0] == "asm":
        return ("asm", None)
    return None


def unit(path):
    return os.path.splitext(path)[0]


def rule_problems(src, dst, what):
    """The rules that `src` using `dst` breaks, each a line (what: "include"
    or "call"; dst is a file for includes, a unit's source file for calls).
    All of them: fixing one (say, the private header) may leave another."""
    if unit(src) == unit(dst):
        return []
    zs, zd = zone(src), zone(dst)
    if zs is None or zd is None:
        return []  # reported once per file by check_includes
    out = []
    if what == "include" and dst == PRIVATE_HEADER and not src.startswith("vm/machine/"):
        out.append("private header: %s is private to vm/machine/" % PRIVATE_HEADER)
    if zs[0] == "asm" or zd[0] == "asm":
        if zs[0] == "asm" and zd[0].startswith("vm/"):
            out.append("program boundary: asm/ may not %s anything in vm/ (%s)" % (what, dst))
        elif zs[0] != "asm" and zd[0] == "asm":
            out.append("program boundary: %s/ may not %s anything in asm/ (%s); vm/ uses %s"
                       % (zs[0].split("/")[0], what, dst, ASM_PUBLIC))
        return out  # asm/ has no rank; it may use asm/, common/ and include/
    if zs[0] == "vm/dev" and zd[0].startswith("vm/") and unit(dst) != unit(DEV_CONTRACT):
        out.append("device contract: a device may %s only %s, common/ and include/, not %s"
                   % (what, DEV_CONTRACT, dst))
    if zd[1] > zs[1]:
        out.append("upward %s: %s (%s, %d) -> %s (%s, %d)"
                   % (what, src, zs[0], zs[1], dst, zd[0], zd[1]))
    if zs[0] == "vm/core" and zd[0] == "vm/dev":
        out.append("sibling rule: vm/core may not %s vm/dev (the core does not know devices "
                   "exist): %s" % (what, dst))
    # The memory map holds device regions: it may use the contract's types.
    if zs[0] == "vm/mem" and (zd[0] == "vm/core" or
                              (zd[0] == "vm/dev" and unit(dst) != unit(DEV_CONTRACT))):
        out.append("sibling rule: vm/mem may %s neither vm/core nor a device (only %s): %s"
                   % (what, DEV_CONTRACT, dst))
    return out


def scan(root):
    files = []
    for top in SCANNED:
        for d, dirs, names in os.walk(os.path.join(root, top)):
            dirs.sort()
            for n in sorted(names):
                if n.endswith(SOURCE_EXT):
                    files.append(os.path.relpath(os.path.join(d, n), root).replace(os.sep, "/"))
    return files


def resolve(root, src, name):
    """The repo-relative file `#include "name"` in src opens, or None."""
    cands = [os.path.join(os.path.dirname(src), name)]
    cands += [os.path.join(d, name) for d in SEARCH]
    for c in cands:
        c = os.path.normpath(c).replace(os.sep, "/")
        if not c.startswith("../") and os.path.isfile(os.path.join(root, c)):
            return c
    return None


def shortest_path(graph, members, start, goal):
    """A shortest path start -> ... -> goal inside one strongly connected set."""
    prev = {start: None}
    queue = collections.deque([start])
    while queue:
        u = queue.popleft()
        if u == goal:
            path = [u]
            while prev[path[-1]] is not None:
                path.append(prev[path[-1]])
            return list(reversed(path))
        for v in sorted(graph[u]):
            if v in members and v not in prev:
                prev[v] = u
                queue.append(v)
    return None


def circles(graph):
    """Strongly connected sets of more than one node (Tarjan, iterative)."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            u, it = work[-1]
            advanced = False
            for v in it:
                if v not in index:
                    index[v] = low[v] = counter[0]
                    counter[0] += 1
                    stack.append(v)
                    on.add(v)
                    work.append((v, iter(sorted(graph[v]))))
                    advanced = True
                    break
                if v in on:
                    low[u] = min(low[u], index[v])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[u])
            if low[u] == index[u]:
                comp = set()
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.add(w)
                    if w == u:
                        break
                if len(comp) > 1:
                    out.append(comp)
    return sorted(out, key=min)


def report_circles(graph, where, kind, problems):
    """Short circles until every edge that lies on a circle is in one of
    them, so each include (or call) to undo shows up."""
    for comp in circles(graph):
        covered = set()
        for u in sorted(comp):
            for v in sorted(graph[u] & comp):
                if (u, v) in covered:
                    continue
                chain = [u] + shortest_path(graph, comp, v, u)
                covered.update(zip(chain, chain[1:]))
                loc, note = where[(u, v)]
                problems.append("%s: %s circle: %s%s" % (loc, kind, " -> ".join(chain), note))


def check_includes(root, problems):
    files = scan(root)
    graph = collections.defaultdict(set)
    where = {}
    nincludes = 0
    for f in files:
        graph[unit(f)]
        if zone(f) is None:
            problems.append("%s:1: unknown layer: vm/ files live in vm/<%s>/" % (
                f, "|".join(LAYER_RANK)))
        with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
            for lineno, line in enumerate(fh, 1):
                m = INCLUDE_RE.match(line)
                if not m:
                    continue
                name = m.group(1)
                dst = resolve(root, f, name)
                if dst is None:
                    if os.path.basename(name) not in GENERATED:
                        problems.append('%s:%d: unresolved include: "%s" is in none of the '
                                        "folders the Makefile searches" % (f, lineno, name))
                    continue
                nincludes += 1
                for rule in rule_problems(f, dst, "include"):
                    problems.append("%s:%d: %s" % (f, lineno, rule))
                if unit(dst) != unit(f):
                    graph[unit(f)].add(unit(dst))
                    where.setdefault((unit(f), unit(dst)), ("%s:%d" % (f, lineno), ""))
    report_circles(graph, where, "include", problems)
    return len(files), nincludes


def object_source(root, build, obj):
    """The source file an object was built from ($(GEN)'s lexer/parser come
    from asm/lexer.re and asm/parser.y), or None for a stale object."""
    rel = os.path.relpath(obj, build).replace(os.sep, "/")
    stem = os.path.splitext(rel)[0]
    if stem.startswith("gen/"):
        cands = ["asm/" + stem[4:] + ext for ext in (".re", ".y")]
    else:
        cands = [stem + ".c"]
    for c in cands:
        if os.path.isfile(os.path.join(root, c)):
            return c
    return None


def public_names(root):
    """The functions include/babyasm.h declares: what vm/ may call in asm."""
    try:
        with open(os.path.join(root, ASM_PUBLIC), encoding="utf-8") as fh:
            return set(re.findall(r"\b([A-Za-z_]\w*)\s*\(", fh.read()))
    except OSError:
        return set()


def check_calls(root, build, problems):
    objs = []
    for top in ("vm", "asm", "gen", "common"):
        for d, dirs, names in os.walk(os.path.join(build, top)):
            dirs.sort()
            objs += [os.path.join(d, n) for n in sorted(names) if n.endswith(".o")]
    defined, undefined, source = collections.defaultdict(set), {}, {}
    for o in objs:
        src = object_source(root, build, o)
        if src is None:
            continue
        try:
            out = subprocess.run(["nm", o], capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError) as e:
            problems.append("%s: nm failed: %s" % (o, e))
            continue
        u = unit(src)
        source[u] = src
        undefined[u] = set()
        for line in out.splitlines():
            f = line.split()
            if len(f) >= 2 and f[-2] == "U":
                undefined[u].add(f[-1])
            elif len(f) == 3 and f[1] in "TDBRC":
                defined[f[2]].add(u)
    if not source:
        problems.append("%s: no objects of vm/ or asm/ here (not built?)" % build)
    public = public_names(root)
    graph = collections.defaultdict(set)
    where = {}
    ncalls = 0
    for u in sorted(undefined):
        graph[u]
        for sym in sorted(undefined[u]):
            for d in sorted(defined.get(sym, ())):
                if d == u:
                    continue
                ncalls += 1
                src, dst = source[u], source[d]
                # vm/ may call asm's public API, declared in include/babyasm.h.
                zs, zd = zone(src), zone(dst)
                if not (zs and zd and zs[0].startswith("vm/") and zd[0] == "asm"
                        and sym in public):
                    for rule in rule_problems(src, dst, "call"):
                        problems.append("%s: %s (%s)" % (src, rule, sym))
                graph[u].add(d)
                where.setdefault((u, d), (src, " (%s)" % sym))
    report_circles(graph, where, "call", problems)
    return len(source), ncalls


def main(argv):
    ap = argparse.ArgumentParser(description="Check the include (and call) rules of the layers.")
    ap.add_argument("root", help="the repository's top folder")
    ap.add_argument("--objects", metavar="BUILD_DIR", help="also check calls between objects")
    args = ap.parse_args(argv[1:])
    root, build = args.root, args.objects
    for d in (root, build):
        if d is not None and not os.path.isdir(d):
            ap.error("%s is not a folder" % d)
    problems = []
    nfiles, nincludes = check_includes(root, problems)
    summary = "layers: %d files, %d includes, no circle, no upward include" % (nfiles, nincludes)
    if build is not None:
        nunits, ncalls = check_calls(root, build, problems)
        summary += "; %d objects, %d calls, no call circle, no upward call" % (nunits, ncalls)
    if problems:
        for p in problems:
            print(p)
        print("layers: %d problem%s" % (len(problems), "" if len(problems) == 1 else "s"))
        return 1
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
