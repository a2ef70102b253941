#!/usr/bin/env python3
"""
tests/file_deps.py OBJDIR - which source file calls functions defined in
which other file, the loops among them, and calls against the layers.

OBJDIR holds the object files of src/ and importers/ (a build tree's obj/,
or any directory laid out as src/NAME.o and importers/NAME.o); ui/ and
src/main.c are left out: they sit on top of everything.  For each object,
`nm` gives the global symbols it defines and the ones it uses; a use of a
symbol that another object defines is an edge "file -> file".  A loop is a
strongly connected component of more than one file.

Prints every edge ("edge A -> B: sym, sym"), every loop of the whole graph
("loop: A B ..."), then what is wrong: a loop that remains once the known
back edges below are set aside ("LOOP: ..."), or a call that a layer rule
forbids ("LAYER: A -> B"), including a call to a file that only some files
may call (ONLY_CALLED_BY).  Exits 1 when anything is wrong, else 0.
"""
import fnmatch
import os
import subprocess
import sys

# Edges that close the loops still in the code, each (caller, callee) as
# file patterns.  They are set aside before loops are looked for, so any
# other edge that closes a loop (including one that makes a known loop
# larger) fails the check.  Removing one of these loops is welcome.
KNOWN_BACK_EDGES = [
]

# Calls the layers forbid, (caller, callee) as file patterns: importers and
# analysis both write through the store, and the store calls neither.
STORE = ["src/store*.c", "src/filter*.c"]
ANALYSIS = ["src/jsscan.c", "src/jsfunc.c", "src/jsmodel*.c", "src/analyze*.c", "src/classify*.c",
            "src/flow.c", "src/suggest.c"]
IMPORTERS = ["importers/*.c"]
FORBIDDEN = ([(a, b) for a in STORE for b in IMPORTERS + ANALYSIS] +
             [(a, b) for a in ANALYSIS for b in IMPORTERS] +
             [(a, b) for a in IMPORTERS for b in ANALYSIS])

# Calls the layer rules allow by exception (none at present).
KNOWN_LAYER_EDGES = []

# Files only the listed files may call, (callee, [callers]) as patterns.
# The import driver is reached through src/ingest.c alone, which runs the
# analysis pass in the import's transaction: an import from anywhere else
# would leave a workspace without its derived facts.
ONLY_CALLED_BY = [
    ("importers/import.c", ["src/ingest.c", "importers/*.c"]),
]


def matches(edge, patterns):
    return any(fnmatch.fnmatch(edge[0], a) and fnmatch.fnmatch(edge[1], b)
               for a, b in patterns)


def symbols(path):
    """(defined, undefined) global symbol names of one object file."""
    out = subprocess.run(["nm", "-P", path], check=True,
                         capture_output=True, text=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        name, kind = parts[0], parts[1]
        if kind == "U":
            undefined.add(name)
        elif kind in "TDBRCVWGS" and kind.isupper():
            defined.add(name)
    return defined, undefined


def objects(objdir):
    """{source path: object path} for src/*.o (but main) and importers/*.o."""
    found = {}
    for sub in ("src", "importers"):
        d = os.path.join(objdir, sub)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith(".o") or (sub, name) == ("src", "main.o"):
                continue
            found[sub + "/" + name[:-2] + ".c"] = os.path.join(d, name)
    return found


def tarjan(nodes, edges):
    """Strongly connected components of the graph, each a sorted list."""
    index, low, on_stack, stack, comps = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            comps.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return comps


def main():
    if len(sys.argv) != 2:
        print("usage: file_deps.py OBJDIR", file=sys.stderr)
        return 2
    objs = objects(sys.argv[1])
    if not objs:
        print("no objects under %s" % sys.argv[1], file=sys.stderr)
        return 2
    defs, uses = {}, {}
    owner = {}
    for src, obj in objs.items():
        defs[src], uses[src] = symbols(obj)
        for sym in defs[src]:
            owner[sym] = src
    edges, via = {}, {}
    for src in objs:
        for sym in uses[src]:
            dst = owner.get(sym)
            if dst is None or dst == src:
                continue
            edges.setdefault(src, set()).add(dst)
            via.setdefault((src, dst), set()).add(sym)
    for (src, dst) in sorted(via):
        print("edge %s -> %s: %s" % (src, dst, ", ".join(sorted(via[src, dst]))))
    for comp in tarjan(objs, edges):
        if len(comp) > 1:
            print("loop: %s" % " ".join(comp))
    kept = {}
    for (src, dst) in via:
        if not matches((src, dst), KNOWN_BACK_EDGES):
            kept.setdefault(src, set()).add(dst)
    bad = 0
    for comp in tarjan(objs, kept):
        if len(comp) > 1:
            print("LOOP: %s" % " ".join(comp))
            bad += 1
    for edge in sorted(via):
        if matches(edge, FORBIDDEN) and not matches(edge, KNOWN_LAYER_EDGES):
            print("LAYER: %s -> %s: %s"
                  % (edge[0], edge[1], ", ".join(sorted(via[edge]))))
            bad += 1
    for edge in sorted(via):
        for callee, callers in ONLY_CALLED_BY:
            if (fnmatch.fnmatch(edge[1], callee) and
                    not any(fnmatch.fnmatch(edge[0], c) for c in callers)):
                print("LAYER: %s -> %s: %s (only %s may call it)"
                      % (edge[0], edge[1], ", ".join(sorted(via[edge])),
                         ", ".join(callers)))
                bad += 1
    print("%d files, %d edges, %d problems" % (len(objs), len(via), bad))
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main())
