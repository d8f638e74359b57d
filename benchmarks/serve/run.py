#!/usr/bin/env python3
"""Load benchmark of `tim serve` (not a test): wrk against /api/search with
the latency query mix (benchmarks/latency/queries-v1.tsv) at 1, 4, 16 and 64
connections, and the same queries through `tim search --batch` in the same
run, on one core and on both, as the in-process reference. Prints a
Markdown report: QPS, p50/p99 latency, errors, the server's peak RSS.

    benchmarks/serve/run.py --db /tmp/serve-corpus [--tim build/tim] [--seconds 20]

The mix's filters are written in the query language (source:"NAME",
date:FROM..TO) so that both paths run exactly the same searches; the other
options (facets, sort, offset) become parameters and CLI flags.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def read_mix(path):
    """[(class, query text, options dict)] without cold_start."""
    queries = []
    with open(path, encoding="utf-8") as mix:
        for line in mix:
            line = line.rstrip("\n")
            if not line or line.startswith("#") or line.startswith("@"):
                continue
            cls, query, options = (line.split("\t") + [""])[:3]
            if cls == "cold_start":
                continue
            opts = dict(o.split("=", 1) if "=" in o else (o, "") for o in options.split(";") if o)
            queries.append((cls, query, opts))
    return queries


def request_of(query, opts):
    """(q, group) where group holds the options that are not in q."""
    q = query
    if "source" in opts:
        q += ' source:"%s"' % opts["source"]
    if "from" in opts or "to" in opts:
        q += " date:%s..%s" % (opts.get("from", ""), opts.get("to", ""))
    group = (("facets", "source,year,month" if "facets" in opts else "none"),
             ("sort", "date" if opts.get("sort") == "newest" else "relevance"),
             ("offset", opts.get("offset", "0")))
    return q, group


def start_server(tim, db, threads):
    server = subprocess.Popen([tim, "serve", "--db", db, "--port", "0", "--quiet",
                               "--threads", str(threads)], stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    port = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not port:
        sys.exit("tim serve did not start: " + line)
    return server, int(port.group(1))


def peak_rss_mb(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run_wrk(port, paths_file, connections, seconds):
    env = dict(os.environ, TIM_PATHS=paths_file)
    out = subprocess.run(
        ["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", "%ds" % seconds,
         "--timeout", "10s", "-s", os.path.join(HERE, "mix.lua"), "http://127.0.0.1:%d" % port],
        env=env, capture_output=True, text=True, check=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("TIM "))
    stats = {k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
    stats["qps"] = stats["requests"] / stats["seconds"]
    stats["errors"] = sum(stats[k] for k in ("connect", "read", "write", "status", "timeout"))
    return stats


def run_batches(tim, db, groups, repeat, workdir):
    """Seconds for one process per group, one after another."""
    start = time.monotonic()
    for index, (group, queries) in enumerate(sorted(groups.items())):
        path = os.path.join(workdir, "batch-%d.txt" % index)
        with open(path, "w", encoding="utf-8") as batch:
            batch.write("".join(q + "\n" for q in queries) * repeat)
        flags = []
        for name, value in group:
            flags += ["--" + name, value]
        subprocess.run([tim, "search", "--db", db, "--json", "--limit", "10", "--batch", path]
                       + flags, stdout=subprocess.DEVNULL, check=True)
    return time.monotonic() - start


def in_process_qps(tim, db, groups, repeat, workdir, processes):
    """QPS of `processes` sequences of batches run side by side."""
    count = sum(len(q) for q in groups.values()) * repeat
    start = time.monotonic()
    children = []
    for p in range(processes):
        sub = os.path.join(workdir, "p%d" % p)
        os.makedirs(sub, exist_ok=True)
        children.append(subprocess.Popen(
            [sys.executable, __file__, "--batches-only", "--db", db, "--tim", tim,
             "--repeat", str(repeat), "--workdir", sub]))
    for child in children:
        if child.wait() != 0:
            sys.exit("tim search --batch failed")
    return processes * count / (time.monotonic() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--tim", default=os.path.join(ROOT, "build", "tim"))
    parser.add_argument("--mix", default=os.path.join(ROOT, "benchmarks", "latency", "queries-v1.tsv"))
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--batches-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()

    mix = read_mix(args.mix)
    groups = {}
    paths = []
    for _, query, opts in mix:
        q, group = request_of(query, opts)
        groups.setdefault(group, []).append(q)
        params = [("q", q), ("limit", "10")] + list(group)
        paths.append("/api/search?" + urllib.parse.urlencode(params))
    if args.batches_only:
        run_batches(args.tim, args.db, groups, args.repeat, args.workdir)
        return

    print("load before: " + open("/proc/loadavg").read().strip())
    with tempfile.TemporaryDirectory() as workdir:
        paths_file = os.path.join(workdir, "paths.txt")
        with open(paths_file, "w") as out:
            out.write("\n".join(paths) + "\n")
        # The in-process reference first, while the server is not running.
        one_core = in_process_qps(args.tim, args.db, groups, args.repeat, workdir, 1)
        two_cores = in_process_qps(args.tim, args.db, groups, args.repeat, workdir, 2)
        server, port = start_server(args.tim, args.db, args.threads)
        try:
            run_wrk(port, paths_file, 4, 5)  # warm-up, not reported
            rows = [(c, run_wrk(port, paths_file, c, args.seconds)) for c in (1, 4, 16, 64)]
            # The HTTP layer alone: a small embedded file, no search.
            static_file = os.path.join(workdir, "static.txt")
            with open(static_file, "w") as out:
                out.write("/favicon.svg\n")
            static = run_wrk(port, static_file, 4, max(5, args.seconds // 4))
            rss = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait()
    print("load after: " + open("/proc/loadavg").read().strip())
    print()
    print("%d queries (%s), %d s per run, server with %d threads" %
          (len(paths), os.path.basename(args.mix), args.seconds, args.threads))
    print()
    print("| path | connections | QPS | p50 ms | p99 ms | max ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print("| `tim search --batch`, 1 process | - | %.0f | | | | 0 |" % one_core)
    print("| `tim search --batch`, 2 processes | - | %.0f | | | | 0 |" % two_cores)
    for connections, s in rows:
        print("| `tim serve` + wrk | %d | %.0f | %.2f | %.2f | %.1f | %d |" %
              (connections, s["qps"], s["p50_ms"], s["p99_ms"], s["max_ms"], s["errors"]))
    print("| `tim serve` + wrk, `/favicon.svg` (HTTP only) | 4 | %.0f | %.2f | %.2f | %.1f | %d |" %
          (static["qps"], static["p50_ms"], static["p99_ms"], static["max_ms"], static["errors"]))
    print()
    print("server peak RSS: %.0f MB" % rss)


if __name__ == "__main__":
    main()
