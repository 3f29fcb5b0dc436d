# Usage: python3 Benchmarks/ctm_boundaries.py EXP/data/test.jsonl test.ctm test.times [LAG]
# where test.ctm and test.times come from `asr decode --model EXP --manifest EXP/data/test.jsonl --times --ctm test.ctm > test.times`.
# Boundary error of `asr decode --ctm` (and of the --times emission times) against the manifest's
# reference phone segments, on phones the hypothesis gets right (Levenshtein alignment, 39 classes).
import json, os, re, sys, statistics
src = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'Sources', 'Corpus', 'TimitData.swift')).read()
fold = {}
for line in src.splitlines():
    f = line.split('\t')
    if len(f) == 3 and re.fullmatch(r"[a-z#\-]+", f[0]): fold[f[0]] = f[2]
    elif len(f) == 1 and re.fullmatch(r"q", f[0].strip()): fold['q'] = None
manifest, ctm, times = sys.argv[1], sys.argv[2], sys.argv[3]
shift = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
refs = {}
for line in open(manifest):
    e = json.loads(line); r = e['sampleRate']
    refs[e['id']] = [(fold.get(p['label']), p['start'] / r, p['end'] / r) for p in e['phones'] if fold.get(p['label'])]
hyp = {}
for line in open(ctm):
    u, _, s, d, p = line.split()[:5]; hyp.setdefault(u, []).append((p, max(0.0, float(s) - shift), max(0.0, float(s) + float(d) - shift)))
emit = {}
for line in open(times):
    f = line.split(); emit[f[0]] = [None if t == '-' else float(t) for t in (x.split('@')[1] for x in f[1:])]
def align(a, b):
    n, m = len(a), len(b); D = [[0]*(m+1) for _ in range(n+1)]
    for i in range(n+1): D[i][0] = i
    for j in range(m+1): D[0][j] = j
    for i in range(1, n+1):
        for j in range(1, m+1):
            D[i][j] = min(D[i-1][j]+1, D[i][j-1]+1, D[i-1][j-1] + (a[i-1] != b[j-1]))
    i, j, pairs = n, m, []
    while i > 0 and j > 0:
        if D[i][j] == D[i-1][j-1] + (a[i-1] != b[j-1]):
            if a[i-1] == b[j-1]: pairs.append((i-1, j-1))
            i, j = i-1, j-1
        elif D[i][j] == D[i-1][j] + 1: i -= 1
        else: j -= 1
    return pairs
ends, starts, emits, missing = [], [], [], 0
for u, ref in refs.items():
    h = hyp.get(u, []); e = emit.get(u, [])
    for i, j in align([x[0] for x in ref], [x[0] for x in h]):
        ends.append(h[j][2] - ref[i][2]); starts.append(h[j][1] - ref[i][1])
        if j < len(e) and e[j] is not None: emits.append(e[j] - ref[i][2])
        elif j < len(e): missing += 1
def show(name, v):
    a = sorted(abs(x) for x in v); s = sorted(v)
    print(f"{name}: {len(v)} phones, |error| median {1000*statistics.median(a):.0f} ms, 90th percentile {1000*a[int(0.9*len(a))]:.0f} ms, signed median {1000*statistics.median(s):+.0f} ms")
show("CTM end vs reference end", ends); show("CTM start vs reference start", starts)
show("emission time vs reference end", emits); print("correct phones with no attended state:", missing)
