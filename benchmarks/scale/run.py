#!/usr/bin/env python3
"""Scale benchmark (issue 15): the corpus repeated K times, ingested as one
database and as databases of 2 and 4 shards; ingest rate, cores busy, peak
RSS and index size, then the latency mix's classes on each.

The repeated corpus is generated on the fly (ids rewritten "<id>~<copy>",
text untouched) into the work directory and never committed.

  python3 benchmarks/scale/run.py --tim build/tim --corpus ../shared/corpus/vnnews.jsonl.gz \
      --times 10 --shards 1,2,4 --work /tmp/tim-scale

Latency: each class's queries of benchmarks/latency/queries-v1.tsv (words
only: options are left out) answered by `tim search --batch - --json`,
three rounds, the first one dropped (warm-up); p50/p95/p99 of took_ms.

Equivalence: tim_equivalence (tests/equivalence/) runs its searches (the
README's examples, filters, sorts, deep pages, questions, the latency mix
in four orders and pages, similar articles) on the one database and on
each database of shards, and compares the whole JSON answers.
"""
import argparse
import gzip
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MIX = os.path.join(HERE, "..", "latency", "queries-v1.tsv")


def repeated_corpus(corpus, times, out_path):
    if os.path.exists(out_path):
        return out_path
    opener = gzip.open if corpus.endswith(".gz") else open
    with open(out_path + ".tmp", "w", encoding="utf-8") as out:
        for copy in range(times):
            with opener(corpus, "rt", encoding="utf-8") as lines:
                for line in lines:
                    record = json.loads(line)
                    if copy:
                        record["id"] = f"{record['id']}~{copy}"
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
    os.rename(out_path + ".tmp", out_path)
    return out_path


def directory_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def ingest(tim, db, corpus, shards):
    shutil.rmtree(db, ignore_errors=True)
    args = [tim, "ingest", "--db", db, "--json", corpus]
    if shards > 1:
        args[4:4] = ["--shards", str(shards)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + args, capture_output=True, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"ingest failed: {result.stderr}")
    report = json.loads(result.stdout)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "articles": report["added"] + report["unchanged"] + report["replaced"],
        "docs_per_s": report["added"] / wall,
        "cores": cpu / wall,
        "peak_rss_mb": int(result.stderr.strip().splitlines()[-1]) / 1024,
        "index_mb": directory_bytes(db) / 1e6,
    }


def mix_queries():
    classes = {}
    for line in open(MIX, encoding="utf-8"):
        if not line.strip() or line.startswith("#") or line.startswith("@"):
            continue
        fields = line.rstrip("\n").split("\t")
        if fields[0] != "cold_start":
            classes.setdefault(fields[0], []).append(fields[1])
    return classes


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def latency(tim, db, classes, rounds=3):
    rows = [(name, query) for name, queries in sorted(classes.items()) for query in queries]
    text = "".join(query + "\n" for _, query in rows) * rounds
    out = subprocess.run([tim, "search", "--db", db, "--batch", "-", "--json"], input=text,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    took = {}
    for i, line in enumerate(out[len(rows):]):  # the first round warms up
        took.setdefault(rows[i % len(rows)][0], []).append(json.loads(line).get("took_ms", 0))
    return {name: (statistics.median(v), percentile(v, 95), percentile(v, 99))
            for name, v in took.items()}


def equivalence(checker, databases):
    result = subprocess.run([checker] + databases, capture_output=True, text=True)
    lines = result.stdout.strip().splitlines() or [result.stderr.strip()]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tim", default="build/tim")
    parser.add_argument("--corpus", default=os.environ.get("TIM_CORPUS", "../shared/corpus/vnnews.jsonl.gz"))
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--shards", default="1,2,4")
    parser.add_argument("--work", default="/tmp/tim-scale")
    parser.add_argument("--reuse", action="store_true",
                        help="search the databases a previous run left in --work (no ingest row)")
    parser.add_argument("--equivalence", default="build/tests/tim_equivalence",
                        help="the checker; empty: skip the comparison")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    corpus = repeated_corpus(args.corpus, args.times, os.path.join(args.work, f"corpus-x{args.times}.jsonl"))
    classes = mix_queries()
    print(f"# corpus x{args.times}\n")
    print("| shards | articles | docs/s | cores | peak RSS MB | index MB |")
    print("|---:|---:|---:|---:|---:|---:|")
    results = {}
    for shards in (int(n) for n in args.shards.split(",")):
        db = os.path.join(args.work, f"x{args.times}-s{shards}")
        if args.reuse and os.path.isdir(db):
            print(f"| {shards} | (reused) | | | | {directory_bytes(db) / 1e6:,.1f} |", flush=True)
        else:
            stats = ingest(args.tim, db, corpus, shards)
            print(f"| {shards} | {stats['articles']:,} | {stats['docs_per_s']:,.0f} | {stats['cores']:.2f} "
                  f"| {stats['peak_rss_mb']:,.0f} | {stats['index_mb']:,.1f} |", flush=True)
        results[shards] = latency(args.tim, db, classes)
    print("\np50 / p95 / p99 ms\n")
    counts = sorted(results)
    print("| class | " + " | ".join(f"{n} shard{'s' if n > 1 else ''}" for n in counts) + " |")
    print("|---|" + "---|" * len(counts))
    for name in sorted(classes):
        cells = [" / ".join(f"{x:.1f}" for x in results[n][name]) for n in counts]
        print(f"| {name} | " + " | ".join(cells) + " |")
    if args.equivalence and len(counts) > 1:
        databases = [os.path.join(args.work, f"x{args.times}-s{n}") for n in counts]
        print("\nEquivalence (whole JSON answers, against the first):\n")
        for line in equivalence(args.equivalence, databases):
            print("    " + line)


if __name__ == "__main__":
    main()
