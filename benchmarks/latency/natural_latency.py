#!/usr/bin/env python3
"""Latency of natural queries (issue 18) beside the latency mix's classes,
in one run on one database: `tim search --batch - --json` (one warm
Searcher per process); the library's own took_ms per query.
Questions: 8-12 syllables of a title in a question template; descriptions:
30-60 syllables of a lead; each also typed without diacritics (the
accent suggestion runs first). Articles drawn with a fixed seed.
Usage: natural_latency.py TIM DB CORPUS_JSONL_GZ MIX_TSV [N]
(issue 18; not yet part of tim_bench_latency.) Warm, as the latency
benchmark measures: each process answers its queries once unmeasured, then
again. MIX_TSV is benchmarks/latency/queries-v2.tsv (100 queries a class;
its quoted classes too) or queries-v1.tsv, which issue 18's earlier numbers
used (8 queries a class, repeated to about 100)."""
import gzip, json, random, re, subprocess, sys, statistics, unicodedata

tim, db, corpus, mix_tsv = sys.argv[1:5]
n = int(sys.argv[5]) if len(sys.argv) > 5 else 100
rng = random.Random(18)
word = re.compile(r"[^\W_]+", re.U)
articles = []
with gzip.open(corpus, 'rt', encoding='utf-8') as f:
    for line in f:
        if rng.random() < 0.01:
            a = json.loads(line)
            if a.get('title'):
                articles.append(a)
rng.shuffle(articles)
templates = ["ai {}?", "{} ở đâu?", "vì sao {}?", "{} như thế nào?", "{} khi nào?",
             "bao nhiêu {}?", "tại sao {}", "{} là gì?"]
classes = {}
for a in articles[:n]:
    title = word.findall(a['title'])
    if len(title) >= 6:
        k = rng.randint(8, 12)
        classes.setdefault('question (10-15 syllables)', []).append(
            rng.choice(templates).format(' '.join(title[:k])))
    body = word.findall(a['body'])
    if len(body) >= 60:
        k = rng.randint(30, 60)
        classes.setdefault('description (30-60 syllables)', []).append(' '.join(body[:k]))
def unaccented(text):
    """As typed on a keyboard without Vietnamese input: no marks, đ as d."""
    bare = ''.join(c for c in unicodedata.normalize('NFD', text)
                   if not unicodedata.combining(c))
    return bare.replace('đ', 'd').replace('Đ', 'D')

for key in list(classes):
    classes[key + ', unaccented'] = [unaccented(q) for q in classes[key]]
for line in open(mix_tsv, encoding='utf-8'):
    if line.startswith(('#', '@')) or not line.strip():
        continue
    cls, query = line.rstrip('\n').split('\t')[:2]
    if cls in ('phrase', 'two_syllable', 'no_diacritics', 'one_syllable',
               'phrase_quoted', 'two_quoted', 'two_quoted_no_diacritics'):
        classes.setdefault('mix: ' + cls, []).append(query)

def run(queries):
    """The answers of a process that has answered `queries` once already."""
    out = subprocess.run([tim, 'search', '--db', db, '--batch', '-', '--json'],
                         input='\n'.join(queries * 2) + '\n', capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.strip()][len(queries):]

print('| class | queries | syllables (mean) | p50 ms | p95 ms | p99 ms | relaxed | no result |')
print('|---|---:|---:|---:|---:|---:|---:|---:|')
for key in sorted(classes):
    distinct = classes[key]
    queries = distinct * max(1, n // len(distinct))  # (mix v1: 8 queries)
    times = []
    results = run(distinct)  # the match counts
    for _ in range(3):
        times += [r['took_ms'] for r in run(queries) if 'took_ms' in r]
    times.sort()
    q = lambda p: times[min(len(times) - 1, int(p * len(times)))]
    syl = statistics.mean(len(word.findall(x)) for x in distinct)
    relaxed = sum(r.get('match') == 'relaxed' for r in results)
    empty = sum(r.get('total', 0) == 0 for r in results)
    print(f'| {key} | {len(distinct)} | {syl:.1f} | {q(0.5):.1f} | {q(0.95):.1f} | {q(0.99):.1f} | {relaxed} | {empty} |', flush=True)
